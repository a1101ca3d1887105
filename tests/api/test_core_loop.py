"""The whole core loop through the API, as the four roles would do it with their tokens."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sleutelnet.core import clock
from tests.api.conftest import assert_problem, report_body, request_body


def test_core_loop_through_the_api(world, api):
    requester, coordinator = api(world.requester), api(world.coordinator)
    key_person, policy = api(world.key_person_user, scheme="Bearer"), api(world.policy_officer)

    # The policy officer's reach figure before anything happened.
    start = timezone.localdate()
    period = {"start": start.isoformat(), "end": (start + dt.timedelta(days=7)).isoformat()}
    before = policy.get("/reach", period)
    assert before.status_code == 200, before.content
    assert before["API-Version"] == "1.0.0"
    assert before.json()["totals"]["participants"] == 0

    # 1. The requester files a request.
    response = requester.post(
        "/requests", request_body(world, newcomerReference=world.newcomer.reference)
    )
    assert response.status_code == 201, response.content
    req = response.json()
    assert response["Location"] == f"http://testserver/api/v1/requests/{req['uuid']}"
    assert req["status"] == "open"
    assert req["organisation"] == str(world.organisation.uuid)
    assert req["language"] == "ti" and req["municipality"] == world.municipality.cbs_code
    assert req["newcomerReference"] == world.newcomer.reference
    assert req["confirmedKeyPersons"] == []
    uuid = req["uuid"]

    # 2. The coordinator sees it in the queue, ranks candidates and offers.
    listed = coordinator.get("/requests", {"status": "open"}).json()
    assert [r["uuid"] for r in listed["results"]] == [uuid]
    candidates = coordinator.get(f"/requests/{uuid}/candidates")
    assert candidates.status_code == 200, candidates.content
    first = candidates.json()[0]
    assert first["keyPerson"] == {
        "uuid": str(world.key_person.uuid),
        "name": world.key_person.full_name,
    }
    assert first["feasible"] is True and first["violations"] == []
    assert first["reasons"] and all(isinstance(r, str) for r in first["reasons"])
    assert isinstance(first["weight"], float)

    offered = coordinator.post(
        f"/requests/{uuid}/offer", {"keyPersons": [first["keyPerson"]["uuid"]]}
    )
    assert offered.status_code == 201, offered.content
    [assignment] = offered.json()
    assert assignment["status"] == "offered" and assignment["matchReasons"]
    assert assignment["request"]["uuid"] == uuid
    a = assignment["uuid"]

    # 3. The key person sees the offer and accepts it.
    mine = key_person.get("/assignments").json()
    assert [x["uuid"] for x in mine["results"]] == [a]
    assert key_person.get(f"/requests/{uuid}").status_code == 200  # the offered request is readable
    accepted = key_person.post(f"/assignments/{a}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"

    # 4. The requester sees who comes (the key person's name only).
    seen = requester.get(f"/requests/{uuid}").json()
    assert seen["status"] == "filled"
    assert seen["confirmedKeyPersons"] == [{"assignment": a, "name": world.key_person.full_name}]
    [on_request] = requester.get("/assignments", {"request": uuid}).json()["results"]
    assert on_request["keyPerson"] == {"uuid": None, "name": world.key_person.full_name}
    assert on_request["matchReasons"] is None

    # 5. Reporting before the start is refused as a conflict.
    day = timezone.localdate(parse_datetime(req["startsAt"]))
    assert_problem(key_person.post(f"/assignments/{a}/report", report_body(day)), 409)

    # 6. After the date: the key person reports; the coordinator returns it once, then approves.
    with clock.at(parse_datetime(req["endsAt"]) + dt.timedelta(hours=1)):
        filed = key_person.post(f"/assignments/{a}/report", report_body(day, hours=3))
    assert filed.status_code == 201, filed.content
    report = filed.json()
    assert report["hours"] == 3.0 and report["rolesUsed"] == ["translator", "educator"]
    assert report["assignment"] == a and report["status"] == "reported"

    returned = coordinator.post(
        f"/assignments/{a}/return", {"comment": "Graag de uren corrigeren."}
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["status"] == "accepted"
    assert returned.json()["reviewComment"] == "Graag de uren corrigeren."

    with clock.at(parse_datetime(req["endsAt"]) + dt.timedelta(hours=2)):
        refiled = key_person.post(f"/assignments/{a}/report", report_body(day))
    assert refiled.status_code == 201, refiled.content
    assert refiled.json()["uuid"] == report["uuid"]  # the same report, replaced

    approved = coordinator.post(f"/assignments/{a}/approve")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["report"] == report["uuid"]

    # 7. The request is closed, for the requester too.
    assert requester.get(f"/requests/{uuid}").json()["status"] == "closed"
    assert coordinator.get(f"/activity-reports/{report['uuid']}").json()["reviewedAt"]

    # 8. The policy officer's reach figure changed, and they see no records.
    after = policy.get("/reach", period).json()
    assert after["totals"]["reports"] == 1
    assert after["totals"]["participants"] == before.json()["totals"]["participants"] + 12
    assert after["totals"]["hours"] == 2.5
    assert after["rows"][0]["cbsCode"] == world.municipality.cbs_code
    # aggregates only: the matrix does not let a policy officer ask for records at all
    assert_problem(policy.get("/requests"), 403)
    assert_problem(policy.get("/assignments"), 403)
    assert_problem(policy.get("/activity-reports"), 403)
    assert_problem(policy.get(f"/requests/{uuid}"), 403)


def test_requester_cancels_and_key_person_declines(world, api):
    requester, coordinator, key_person = (
        api(world.requester),
        api(world.coordinator),
        api(world.key_person_user),
    )
    uuid = requester.post("/requests", request_body(world)).json()["uuid"]
    [a] = coordinator.post(
        f"/requests/{uuid}/offer", {"keyPersons": [str(world.key_person.uuid)]}
    ).json()
    declined = key_person.post(
        f"/assignments/{a['uuid']}/decline", {"reason": "Ik ben op vakantie."}
    )
    assert declined.status_code == 200, declined.content
    assert declined.json()["declineReason"] == "Ik ben op vakantie."
    assert_problem(key_person.post(f"/assignments/{a['uuid']}/accept"), 409)

    changed = requester.patch(f"/requests/{uuid}", {"title": "Ouderavond groep 8", "urgency": 3})
    assert changed.status_code == 200, changed.content
    assert changed.json()["title"] == "Ouderavond groep 8" and changed.json()["urgency"] == 3
    assert changed.json()["roles"] == ["translator", "educator"]  # PATCH keeps what was not sent

    cancelled = requester.post(f"/requests/{uuid}/cancel", {"reason": "De avond gaat niet door."})
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "cancelled"
    assert_problem(requester.post(f"/requests/{uuid}/cancel", {"reason": "Nog een keer."}), 409)
    assert_problem(
        coordinator.post(f"/requests/{uuid}/offer", {"keyPersons": [str(world.key_person.uuid)]}),
        409,
    )


def test_coordinator_manages_key_persons_and_newcomers(world, api):
    coordinator = api(world.coordinator)
    created = coordinator.post(
        "/key-persons",
        {
            "fullName": "Semhar Tesfay",
            "status": "active",
            "email": "semhar@example.org",
            "languages": [{"language": "ti", "level": 5}, {"language": "ar-syrian", "level": 2}],
            "roles": ["translator", "trust_builder"],
            "lifeDomains": ["health"],
            "municipalities": [world.municipality.cbs_code],
            "availability": [{"weekday": 2, "startTime": "09:00", "endTime": "17:00"}],
            "capacityHoursPerMonth": 12.5,
            "gender": "f",
        },
    )
    assert created.status_code == 201, created.content
    kp = created.json()
    assert kp["languages"] == [
        {"language": "ti", "level": 5},
        {"language": "ar-syrian", "level": 2},
    ]
    assert kp["capacityHoursPerMonth"] == 12.5 and kp["region"] == str(world.region.uuid)
    assert kp["availability"] == [{"weekday": 2, "startTime": "09:00", "endTime": "17:00"}]

    patched = coordinator.patch(
        f"/key-persons/{kp['uuid']}", {"status": "paused", "phone": "0612345678"}
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["status"] == "paused" and patched.json()["roles"] == [
        "translator",
        "trust_builder",
    ]
    assert coordinator.get("/key-persons", {"language": "ar-syrian"}).json()["count"] == 1

    newcomer = coordinator.post(
        "/newcomers",
        {
            "reference": "DTC-2024-117",
            "displayName": "Amanuel",
            "municipality": world.municipality.cbs_code,
            "languages": ["ti"],
            "dutchLevel": "a1",
            "learningRoute": "b1",
        },
    )
    assert newcomer.status_code == 201, newcomer.content
    nc = newcomer.json()
    assert nc["hasConsent"] is False and nc["languages"] == ["ti"]
    # consent is recorded as its own record (when, how, what it covers, by whom), not patched
    refused = coordinator.patch(f"/newcomers/{nc['uuid']}", {"consentGivenOn": timezone.localdate().isoformat()})
    assert {p["name"]: p["code"] for p in refused.json()["invalidParams"]} == {"consentGivenOn": "unknown_field"}
    consent = coordinator.post(
        f"/newcomers/{nc['uuid']}/consents",
        {
            "purpose": "key_person_support",
            "givenOn": timezone.localdate().isoformat(),
            "scope": "Hulp bij afspraken",
            "method": "paper",
        },
    )
    assert consent.status_code == 201, consent.content
    assert consent.json()["recordedBy"] == world.coordinator.username and consent.json()["isActive"] is True
    assert coordinator.get(f"/newcomers/{nc['uuid']}").json()["hasConsent"] is True
    assert coordinator.get("/newcomers", {"dutchLevel": "a1"}).json()["count"] == 1


def test_key_person_reads_and_edits_only_own_profile(world, api):
    key_person = api(world.key_person_user)
    listed = key_person.get("/key-persons").json()
    assert [k["uuid"] for k in listed["results"]] == [str(world.key_person.uuid)]
    own = f"/key-persons/{world.key_person.uuid}"
    ok = key_person.patch(own, {"phone": "0687654321", "uiLanguage": "en"})
    assert ok.status_code == 200, ok.content
    assert ok.json()["phone"] == "0687654321" and ok.json()["uiLanguage"] == "en"
    refused = key_person.patch(
        own, {"status": "active", "capacityHoursPerMonth": 200, "phone": "06"}
    )
    body = assert_problem(refused, 400)
    by_name = {p["name"]: p["code"] for p in body["invalidParams"]}
    assert by_name == {"status": "not_allowed", "capacityHoursPerMonth": "not_allowed"}
    assert_problem(key_person.get("/newcomers"), 403)
    assert_problem(key_person.post("/key-persons", {"fullName": "X"}), 403)


def test_vocabularies_and_organisations(world, other_world, api):
    requester = api(world.requester)
    languages = requester.get("/languages", {"pageSize": 100}).json()["results"]
    assert {"ti", "ar-syrian", "nl"} <= {lang["tag"] for lang in languages}
    roles = requester.get("/key-person-roles").json()["results"]
    assert "trust_builder" in {r["code"] for r in roles}
    assert requester.get("/life-domains").json()["count"] == 13
    assert [o["uuid"] for o in requester.get("/organisations").json()["results"]] == [
        str(world.organisation.uuid)
    ]
    assert [m["cbsCode"] for m in requester.get("/municipalities").json()["results"]] == [
        world.municipality.cbs_code
    ]
