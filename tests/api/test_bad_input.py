"""Bad input on every write endpoint: 400 problem+json naming every camelCase field, never a 500."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from typing import Any

import pytest
from django.utils import timezone

from sleutelnet.core import clock
from sleutelnet.deployments import services
from tests.api.conftest import assert_problem, invalid_names, report_body, request_body

LONG = "x" * 10_000


@pytest.fixture
def setup(world):
    """An open request with an accepted assignment on it, and a second open request."""
    req = services.file_request(
        actor=world.requester, organisation=world.organisation, data=world.request_data()
    )
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    services.accept(actor=world.key_person_user, assignment=a)
    later = req.starts_at + dt.timedelta(days=1)
    second = services.file_request(
        actor=world.requester,
        organisation=world.organisation,
        data=world.request_data(
            title="Tweede", starts_at=later, ends_at=later + dt.timedelta(hours=2)
        ),
    )
    return {"request": req, "assignment": a, "open": second}


def after_start(setup):  # type: ignore[no-untyped-def]
    return clock.at(setup["request"].ends_at + dt.timedelta(hours=1))


def test_empty_bodies_list_every_required_field(world, setup, api):
    requester, coordinator, key_person = (
        api(world.requester),
        api(world.coordinator),
        api(world.key_person_user),
    )
    r, o, a = setup["request"].uuid, setup["open"].uuid, setup["assignment"].uuid
    request_fields = {
        "title",
        "kind",
        "language",
        "roles",
        "municipality",
        "place",
        "startsAt",
        "endsAt",
        "chainLink",
    }
    assert invalid_names(requester.post("/requests", {})) == request_fields
    assert invalid_names(requester.post("/requests")) == request_fields  # no body at all
    assert invalid_names(requester.put(f"/requests/{o}", {})) == request_fields
    assert invalid_names(coordinator.post("/key-persons", {})) == {"fullName"}
    assert invalid_names(coordinator.put(f"/key-persons/{world.key_person.uuid}", {})) == {
        "fullName"
    }
    assert invalid_names(coordinator.post("/newcomers", {})) == {
        "reference",
        "displayName",
        "municipality",
    }
    assert invalid_names(coordinator.put(f"/newcomers/{world.newcomer.uuid}", {})) == {
        "reference",
        "displayName",
        "municipality",
    }
    assert invalid_names(coordinator.post(f"/requests/{o}/offer", {})) == {"keyPersons"}
    assert invalid_names(coordinator.post(f"/requests/{o}/offer", {"keyPersons": []})) == {
        "keyPersons"
    }
    assert invalid_names(requester.post(f"/requests/{r}/cancel", {})) == {"reason"}
    assert invalid_names(requester.post(f"/requests/{r}/cancel", {"reason": "   "})) == {"reason"}
    assert invalid_names(key_person.post(f"/assignments/{a}/cancel", {})) == {"reason"}
    assert invalid_names(coordinator.post(f"/assignments/{a}/return", {})) == {"comment"}
    with after_start(setup):
        assert invalid_names(key_person.post(f"/assignments/{a}/report", {})) == {
            "date",
            "hours",
            "rolesUsed",
            "participants",
        }
    # PATCH with nothing changes nothing, and that is fine.
    assert requester.patch(f"/requests/{o}", {}).status_code == 200


def test_decline_without_reason(world, setup, api):
    o = setup["open"]
    [a] = services.offer(actor=world.coordinator, request=o, key_persons=[world.key_person])
    assert invalid_names(api(world.key_person_user).post(f"/assignments/{a.uuid}/decline", {})) == {
        "reason"
    }


def test_decline_with_a_reason_from_the_list(world, setup, api):
    o = setup["open"]
    [a] = services.offer(actor=world.coordinator, request=o, key_persons=[world.key_person])
    client = api(world.key_person_user)
    assert invalid_names(client.post(f"/assignments/{a.uuid}/decline", {"code": "nonsense"})) == {"code"}
    assert invalid_names(client.post(f"/assignments/{a.uuid}/decline", {"code": "other"})) == {"reason"}
    answer = client.post(f"/assignments/{a.uuid}/decline", {"code": "too_far"})
    assert answer.status_code == 200, answer.content
    assert (answer.json()["declineCode"], answer.json()["declineReason"]) == ("too_far", "")


def test_oversized_strings_are_refused_without_echo(world, setup, api):
    requester, coordinator, key_person = (
        api(world.requester),
        api(world.coordinator),
        api(world.key_person_user),
    )
    r, a = setup["request"].uuid, setup["assignment"].uuid
    cases = [
        (
            requester.post,
            "/requests",
            request_body(world, title=LONG, place=LONG, description=LONG, language=LONG),
            {"title", "place", "description", "language"},
        ),
        (
            requester.patch,
            f"/requests/{setup['open'].uuid}",
            {"title": LONG, "newcomerReference": LONG},
            {"title", "newcomerReference"},
        ),
        (
            coordinator.post,
            "/key-persons",
            {"fullName": LONG, "phone": LONG, "email": LONG + "@example.org"},
            {"fullName", "phone", "email"},
        ),
        (
            coordinator.post,
            "/newcomers",
            {
                "reference": LONG,
                "displayName": LONG,
                "consentScope": LONG,
                "municipality": world.municipality.cbs_code,
            },
            {"reference", "displayName", "consentScope"},
        ),
        (requester.post, f"/requests/{r}/cancel", {"reason": LONG}, {"reason"}),
        (key_person.post, f"/assignments/{a}/cancel", {"reason": LONG}, {"reason"}),
        (coordinator.post, f"/assignments/{a}/return", {"comment": LONG}, {"comment"}),
        (
            coordinator.post,
            f"/requests/{setup['open'].uuid}/offer",
            {"keyPersons": [LONG]},
            {"keyPersons.0"},
        ),
    ]
    for method, path, body, names in cases:
        response = method(path, body)
        assert invalid_names(response) == names, (path, response.json())
        assert len(response.content) < 5000, path  # the 10,000 characters are not sent back
    with after_start(setup):
        response = key_person.post(
            f"/assignments/{a}/report",
            report_body(timezone.localdate(), outcome=LONG, followUp=LONG),
        )
    assert invalid_names(response) == {"outcome", "followUp"}


def test_wrong_types_are_refused(world, setup, api):
    requester, coordinator, key_person = (
        api(world.requester),
        api(world.coordinator),
        api(world.key_person_user),
    )
    body = request_body(
        world,
        title=5,
        keyPersonsNeeded="two",
        urgency="2",
        participantsExpected="12",
        roles=5,
        lifeDomains="education",
        requiresVog="yes",
        startsAt=12345,
        place=["De Regenboog"],
        kind={"value": "group_session"},
    )
    assert invalid_names(requester.post("/requests", body)) == {
        "title",
        "keyPersonsNeeded",
        "urgency",
        "participantsExpected",
        "roles",
        "lifeDomains",
        "requiresVog",
        "startsAt",
        "place",
        "kind",
    }
    assert invalid_names(
        coordinator.post(
            "/key-persons",
            {
                "fullName": "Semhar",
                "languages": 5,
                "capacityHoursPerMonth": "12",
                "municipalities": "GM0001",
            },
        )
    ) == {"languages", "capacityHoursPerMonth", "municipalities"}
    assert invalid_names(
        coordinator.post(
            "/key-persons",
            {
                "fullName": "Semhar",
                "languages": [
                    {"language": "ti", "level": "5"},
                    {"language": "nl", "level": 9},
                    "ti",
                ],
                "availability": [{"weekday": 7, "startTime": "25:00", "endTime": 9}],
            },
        )
    ) == {
        "languages.0.level",
        "languages.1.level",
        "languages.2",
        "availability.0.weekday",
        "availability.0.startTime",
        "availability.0.endTime",
    }
    assert invalid_names(
        coordinator.post(
            f"/requests/{setup['open'].uuid}/offer", {"keyPersons": str(world.key_person.uuid)}
        )
    ) == {"keyPersons"}
    assert invalid_names(
        coordinator.post(f"/requests/{setup['open'].uuid}/offer", {"keyPersons": 5})
    ) == {"keyPersons"}
    assert invalid_names(
        requester.post(f"/requests/{setup['request'].uuid}/cancel", {"reason": 5})
    ) == {"reason"}
    with after_start(setup):
        response = key_person.post(
            f"/assignments/{setup['assignment'].uuid}/report",
            report_body(
                timezone.localdate(),
                hours="2.5",
                participants="12",
                rolesUsed=3,
                date=20240101,
                participantsLittleDutch=1.5,
                hours_=None,
            ),
        )
    assert invalid_names(response) == {
        "hours",
        "participants",
        "rolesUsed",
        "date",
        "participantsLittleDutch",
        "hours_",
    }


def test_unknown_and_foreign_references(world, other_world, setup, api):
    requester, coordinator = api(world.requester), api(world.coordinator)
    body = request_body(
        world,
        language="xx",
        municipality=other_world.municipality.cbs_code,
        organisation=str(other_world.organisation.uuid),
        roles=["translator", "pilot"],
        lifeDomains=["space"],
        newcomer=str(other_world.newcomer.uuid),
    )
    response = coordinator.post("/requests", body)
    assert invalid_names(response) == {
        "language",
        "municipality",
        "organisation",
        "roles.1",
        "lifeDomains.0",
        "newcomer",
    }
    reasons = {p["name"]: p for p in response.json()["invalidParams"]}
    assert reasons["language"]["code"] == "does_not_exist"
    assert other_world.organisation.name not in response.content.decode()

    assert invalid_names(
        requester.post("/requests", request_body(world, newcomerReference="NOPE-1"))
    ) == {"newcomerReference"}
    assert invalid_names(
        requester.post("/requests", request_body(world, language="ar-martian"))
    ) == {"language"}
    # A requester cannot name a newcomer by UUID (only coordinators list newcomers).
    assert invalid_names(
        requester.post("/requests", request_body(world, newcomer=str(world.newcomer.uuid)))
    ) == {"newcomer"}

    offer = coordinator.post(
        f"/requests/{setup['open'].uuid}/offer",
        {"keyPersons": [str(uuid_lib.uuid4()), str(other_world.key_person.uuid), "not-a-uuid"]},
    )
    assert invalid_names(offer) == {"keyPersons.0", "keyPersons.1", "keyPersons.2"}
    assert other_world.key_person.full_name not in offer.content.decode()

    kp = coordinator.post(
        "/key-persons",
        {
            "fullName": "Semhar",
            "municipalities": [other_world.municipality.cbs_code],
            "communicationLanguage": "zz",
            "languages": [{"language": "qq", "level": 3}],
        },
    )
    assert invalid_names(kp) == {
        "municipalities.0",
        "communicationLanguage",
        "languages.0.language",
    }
    nc = coordinator.post(
        "/newcomers",
        {
            "reference": "R-1",
            "displayName": "A",
            "municipality": "GM9999",
            "languages": ["ti", "zz"],
        },
    )
    assert invalid_names(nc) == {"municipality", "languages.1"}


def test_unknown_read_only_and_forbidden_fields_are_refused(world, setup, api):
    requester, coordinator = api(world.requester), api(world.coordinator)
    response = requester.post(
        "/requests",
        request_body(
            world, status="closed", region=str(world.region.uuid), uuid=str(uuid_lib.uuid4())
        ),
    )
    codes = {p["name"]: p["code"] for p in assert_problem(response, 400)["invalidParams"]}
    assert codes == {"status": "read_only", "region": "unknown_field", "uuid": "read_only"}

    patch = requester.patch(
        f"/requests/{setup['open'].uuid}",
        {"organisation": str(world.organisation.uuid), "cancelReason": "x"},
    )
    codes = {p["name"]: p["code"] for p in assert_problem(patch, 400)["invalidParams"]}
    assert codes == {"organisation": "not_allowed", "cancelReason": "read_only"}

    assert invalid_names(
        coordinator.post(f"/assignments/{setup['assignment'].uuid}/approve", {"status": "approved"})
    ) == {"status"}
    assert invalid_names(
        coordinator.post(
            "/newcomers",
            {
                "reference": "R-2",
                "displayName": "A",
                "municipality": world.municipality.cbs_code,
                "bsn": "123456782",
            },
        )
    ) == {"bsn"}


def test_domain_errors_name_the_field(world, setup, api):
    requester, coordinator = api(world.requester), api(world.coordinator)
    body = request_body(world)
    body["endsAt"] = body["startsAt"]
    assert invalid_names(requester.post("/requests", body)) == {"endsAt"}
    past = (timezone.now() - dt.timedelta(days=2)).replace(microsecond=0)
    body = request_body(
        world, startsAt=past.isoformat(), endsAt=(past + dt.timedelta(hours=1)).isoformat()
    )
    assert invalid_names(requester.post("/requests", body)) == {"startsAt"}
    assert invalid_names(requester.post("/requests", request_body(world, roles=[]))) == {"roles"}
    assert invalid_names(
        coordinator.post(
            "/newcomers",
            {
                "reference": "123456782",
                "displayName": "A",
                "municipality": world.municipality.cbs_code,
            },
        )
    ) == {"reference"}
    assert invalid_names(
        coordinator.post(
            "/newcomers",
            {
                "reference": world.newcomer.reference,
                "displayName": "A",
                "municipality": world.municipality.cbs_code,
            },
        )
    ) == {"reference"}
    # The newcomer named by reference has no consent yet: the error names the field that was sent.
    [consent] = coordinator.get(f"/newcomers/{world.newcomer.uuid}").json()["consents"]
    assert coordinator.post(f"/consents/{consent['uuid']}/withdraw", {"note": "Wil het niet meer"}).status_code == 200
    assert invalid_names(
        requester.post("/requests", request_body(world, newcomerReference=world.newcomer.reference))
    ) == {"newcomerReference"}


def test_invalid_transitions_are_409(world, setup, api):
    coordinator, key_person, requester = (
        api(world.coordinator),
        api(world.key_person_user),
        api(world.requester),
    )
    a = setup["assignment"].uuid
    body = assert_problem(coordinator.post(f"/assignments/{a}/approve"), 409)
    assert body["type"].endswith("invalid-transition") and body["detail"]
    assert "invalidParams" not in body
    assert_problem(key_person.post(f"/assignments/{a}/accept"), 409)
    assert_problem(
        key_person.post(f"/assignments/{a}/report", report_body(timezone.localdate())), 409
    )  # not started
    assert_problem(
        requester.patch(f"/requests/{setup['request'].uuid}", {"title": "Anders"}), 409
    )  # accepted already
    assert_problem(
        coordinator.post(
            f"/requests/{setup['request'].uuid}/offer", {"keyPersons": [str(world.key_person.uuid)]}
        ),
        409,
    )


def test_bodies_that_are_not_json_objects(world, setup, api):
    requester = api(world.requester)
    for body in ([], ["title"], "title", 5, None):
        response = requester.client.post(
            "/api/v1/requests", data=_json(body), content_type="application/json"
        )
        assert_problem(response, 400)
    broken = requester.client.post(
        "/api/v1/requests", data="{'title': ", content_type="application/json"
    )
    assert assert_problem(broken, 400)["type"].endswith("parse-error")
    form = requester.client.post("/api/v1/requests", data={"title": "x"})  # multipart form
    assert_problem(form, 415)
    assert_problem(requester.client.delete(f"/api/v1/requests/{setup['request'].uuid}"), 405)


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


def test_bad_query_parameters(world, setup, api):
    coordinator, policy = api(world.coordinator), api(world.policy_officer)
    assert invalid_names(coordinator.get("/requests", {"status": "bogus"})) == {"status"}
    assert invalid_names(
        coordinator.get("/requests", {"startsAfter": "yesterday", "urgency": "9"})
    ) == {"startsAfter", "urgency"}
    assert invalid_names(coordinator.get("/assignments", {"keyPerson": "nope"})) == {"keyPerson"}
    assert invalid_names(
        policy.get("/reach", {"start": "2024-13-01", "municipality": "GM9999"})
    ) == {"start", "municipality"}
    assert coordinator.get("/requests", {"pageSize": "lots"}).status_code == 200
    assert_problem(coordinator.get("/requests", {"page": 999}), 404)


def test_messages_follow_accept_language(world, api):
    requester = api(world.requester)
    dutch = requester.post("/requests", {}, HTTP_ACCEPT_LANGUAGE="nl").json()
    english = requester.post("/requests", {}, HTTP_ACCEPT_LANGUAGE="en").json()
    reason = {p["name"]: p["reason"] for p in dutch["invalidParams"]}
    assert reason["title"] == "Vul dit veld in."
    assert {p["name"]: p["reason"] for p in english["invalidParams"]}[
        "title"
    ] == "This field is required."
    assert dutch["title"] == "De invoer is niet geldig."
    assert english["title"] == "The input is not valid."
    unknown = requester.post(
        "/requests", request_body(world, language="xx"), HTTP_ACCEPT_LANGUAGE="nl"
    ).json()
    assert {p["name"]: p["reason"] for p in unknown["invalidParams"]}["language"].startswith(
        "Onbekende taal"
    )
