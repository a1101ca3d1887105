"""Isolation: another region, organisation or key person gets 404 (problem+json), never data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sleutelnet.core import clock
from sleutelnet.core.models import Role
from sleutelnet.deployments import services
from tests import factories as f
from tests.api.conftest import assert_problem, report_body, request_body


@pytest.fixture
def records(world):
    """A request of `world` with an accepted, reported assignment and a report."""
    req = services.file_request(
        actor=world.requester, organisation=world.organisation, data=world.request_data()
    )
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    services.accept(actor=world.key_person_user, assignment=a)
    with clock.at(req.ends_at + dt.timedelta(hours=1)):
        report = services.submit_report(
            actor=world.key_person_user,
            assignment=a,
            data=services.ReportData(
                date=clock.today(),
                hours=Decimal(2),
                roles_used=f.roles("translator"),
                participants=5,
            ),
        )
    return {"request": req, "assignment": a, "report": report}


def endpoints(world, records):
    """Every detail and action endpoint on `world`'s records, with a body that would be valid."""
    r, a = records["request"].uuid, records["assignment"].uuid
    day = records["report"].date
    return [
        ("get", f"/requests/{r}", None),
        ("patch", f"/requests/{r}", {"title": "Nieuw"}),
        ("put", f"/requests/{r}", request_body(world)),
        ("get", f"/requests/{r}/candidates", None),
        ("post", f"/requests/{r}/offer", {"keyPersons": [str(world.key_person.uuid)]}),
        ("post", f"/requests/{r}/cancel", {"reason": "Weg"}),
        ("get", f"/assignments/{a}", None),
        ("post", f"/assignments/{a}/accept", {}),
        ("post", f"/assignments/{a}/decline", {"reason": "Nee"}),
        ("post", f"/assignments/{a}/cancel", {"reason": "Nee"}),
        ("post", f"/assignments/{a}/report", report_body(day)),
        ("post", f"/assignments/{a}/approve", {}),
        ("post", f"/assignments/{a}/return", {"comment": "Nee"}),
        ("get", f"/activity-reports/{records['report'].uuid}", None),
        ("get", f"/key-persons/{world.key_person.uuid}", None),
        ("patch", f"/key-persons/{world.key_person.uuid}", {"phone": "0600000000"}),
        ("put", f"/key-persons/{world.key_person.uuid}", {"fullName": "X"}),
        ("get", f"/newcomers/{world.newcomer.uuid}", None),
        ("patch", f"/newcomers/{world.newcomer.uuid}", {"displayName": "X"}),
        (
            "put",
            f"/newcomers/{world.newcomer.uuid}",
            {"reference": "X", "displayName": "X", "municipality": world.municipality.cbs_code},
        ),
        ("get", f"/organisations/{world.organisation.uuid}", None),
        ("get", f"/municipalities/{world.municipality.uuid}", None),
    ]


def _allowed(user, method, path):
    """Whether the permission matrix lets `user`'s role call `path` (else the answer is 403)."""
    from django.urls import resolve

    from sleutelnet.core.permissions import decide
    from sleutelnet.core.selectors import roles_of

    name = resolve("/api/v1" + path).view_name
    return decide(name, method, user, roles=roles_of(user), verified=True).allowed


@pytest.mark.parametrize("role", ["coordinator", "requester", "key_person_user", "policy_officer"])
def test_other_region_gets_404_everywhere(world, other_world, records, api, role):
    user = getattr(other_world, role)
    client = api(user)
    for method, path, body in endpoints(world, records):
        response = (
            getattr(client, method)(path, body)
            if body is not None
            else getattr(client, method)(path)
        )
        # a role the matrix allows here does not find the record; other roles may not ask at all
        problem = assert_problem(response, 404 if _allowed(user, method, path) else 403)
        assert problem["instance"] == "/api/v1" + path, (method, path)
        assert world.key_person.full_name not in response.content.decode()


def test_other_region_lists_show_nothing_of_ours(world, other_world, records, api):
    for role in ("coordinator", "requester", "key_person_user", "policy_officer"):
        user = getattr(other_world, role)
        client = api(user)
        for path in ("/requests", "/assignments", "/activity-reports", "/newcomers", "/key-persons", "/organisations"):
            response = client.get(path)
            if not _allowed(user, "GET", path):
                assert_problem(response, 403)
                continue
            uuids = {item["uuid"] for item in response.json()["results"]}
            assert not uuids & {
                str(world.newcomer.uuid), str(world.key_person.uuid), str(world.organisation.uuid),
                str(records["request"].uuid), str(records["assignment"].uuid), str(records["report"].uuid),
            }, (role, path)


def test_other_organisation_and_other_key_person_of_the_same_region(world, records, api):
    other_org = f.OrganisationFactory(region=world.region, municipality=world.municipality)
    other_requester = api(f.member(Role.REQUESTER, world.region, other_org))
    kp_user = f.member(Role.KEY_PERSON, world.region)
    f.KeyPersonFactory(region=world.region, user=kp_user)
    other_key_person = api(kp_user)

    r, a = records["request"].uuid, records["assignment"].uuid
    assert other_requester.get("/requests").json()["count"] == 0
    assert other_requester.get("/assignments").json()["count"] == 0
    assert_problem(other_requester.get(f"/requests/{r}"), 404)
    assert_problem(other_requester.post(f"/requests/{r}/cancel", {"reason": "Weg"}), 404)
    assert_problem(other_requester.get(f"/assignments/{a}"), 404)

    assert other_key_person.get("/assignments").json()["count"] == 0
    assert_problem(other_key_person.get(f"/assignments/{a}"), 404)
    assert_problem(other_key_person.post(f"/assignments/{a}/cancel", {"reason": "Ik"}), 404)
    assert_problem(other_key_person.get(f"/requests/{r}"), 404)
    assert_problem(other_key_person.get(f"/key-persons/{world.key_person.uuid}"), 404)
    assert_problem(other_key_person.get(f"/activity-reports/{records['report'].uuid}"), 404)


def test_requester_sees_only_own_organisation_and_key_person_only_own_assignments(
    world, records, api
):
    other_org = f.OrganisationFactory(region=world.region, municipality=world.municipality)
    other_requester = f.member(Role.REQUESTER, world.region, other_org)
    theirs = services.file_request(
        actor=other_requester, organisation=other_org, data=world.request_data(title="Ander")
    )
    kp2 = f.KeyPersonFactory(region=world.region, user=f.member(Role.KEY_PERSON, world.region))
    services.offer(actor=world.coordinator, request=theirs, key_persons=[kp2])

    requests = api(world.requester).get("/requests").json()
    assert [r["uuid"] for r in requests["results"]] == [str(records["request"].uuid)]
    assignments = api(world.key_person_user).get("/assignments").json()
    assert [x["uuid"] for x in assignments["results"]] == [str(records["assignment"].uuid)]
    assert api(world.coordinator).get("/requests").json()["count"] == 2
    assert api(world.coordinator).get("/assignments").json()["count"] == 2


def test_roles_that_may_not_act_get_403(world, records, api):
    r, a = records["request"].uuid, records["assignment"].uuid
    requester, key_person, policy = (
        api(world.requester),
        api(world.key_person_user),
        api(world.policy_officer),
    )
    assert_problem(requester.get(f"/requests/{r}/candidates"), 403)
    assert_problem(
        requester.post(f"/requests/{r}/offer", {"keyPersons": [str(world.key_person.uuid)]}), 403
    )
    assert_problem(requester.post(f"/assignments/{a}/approve"), 403)
    assert_problem(key_person.post(f"/assignments/{a}/approve"), 403)
    assert_problem(key_person.post(f"/requests/{r}/cancel", {"reason": "Ik"}), 403)
    assert_problem(key_person.patch(f"/requests/{r}", {"title": "Ik"}), 403)
    assert_problem(key_person.get("/reach"), 403)
    assert_problem(requester.get("/reach"), 403)
    assert_problem(policy.post("/requests", request_body(world)), 403)
    assert_problem(policy.post("/newcomers", {}), 403)
