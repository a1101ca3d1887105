"""The voice loops through the API: the same rules as the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from sleutelnet.core import clock
from tests.auth import api_client

pytestmark = pytest.mark.django_db


def test_the_signal_loop_through_the_api(world):
    kp, coordinator, officer = api_client(world.key_person_user), api_client(world.coordinator), api_client(world.policy_officer)
    body = {
        "theme": "Schoolapp", "description": "Ouders begrijpen de app niet.", "community": "Eritrese ouders",
        "municipality": world.municipality.cbs_code, "peopleAffected": "many", "lifeDomains": ["education"], "language": "ti",
    }
    bad = kp.post("/api/v1/signals", {**body, "peopleAffected": "lots"}, format="json")
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "peopleAffected"
    created = kp.post("/api/v1/signals", body, format="json")
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert api_client(world.requester).get(f"/api/v1/signals/{uuid}").status_code == 404
    deadline = (clock.today() + dt.timedelta(days=10)).isoformat()
    routed = coordinator.post(f"/api/v1/signals/{uuid}/route", {"ownerUser": str(world.policy_officer.uuid), "deadline": deadline}, format="json")
    assert routed.status_code == 200, routed.content
    assert routed.json()["status"] == "routed"
    assert kp.post(f"/api/v1/signals/{uuid}/answer", {"answer": "x"}, format="json").status_code == 403
    answered = officer.post(f"/api/v1/signals/{uuid}/answer", {"answer": "De school zet de vertaalknop aan.", "publish": True}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert kp.get(f"/api/v1/signals/{uuid}").json()["answer"] == "De school zet de vertaalknop aan."
    reopened = kp.post(f"/api/v1/signals/{uuid}/reopen", {"reason": "Niet in het Tigrinya."}, format="json")
    assert reopened.json()["status"] == "in_progress" and reopened.json()["reopened"] == 1
    officer.post(f"/api/v1/signals/{uuid}/answer", {"answer": "Nu wel in het Tigrinya."}, format="json")
    closed = coordinator.post(f"/api/v1/signals/{uuid}/close", {}, format="json")
    assert closed.json()["status"] == "closed"
    assert coordinator.post(f"/api/v1/signals/{uuid}/close", {}, format="json").status_code == 409


def test_the_consultation_loop_through_the_api(world):
    officer, kp = api_client(world.policy_officer), api_client(world.key_person_user)
    body = {
        "title": "Brief brede intake", "question": "Is deze brief duidelijk?", "deadline": (clock.today() + dt.timedelta(days=5)).isoformat(),
        "draftText": "Beste inwoner,\n\nU bent welkom.", "keyPersons": [str(world.key_person.uuid)],
    }
    created = officer.post("/api/v1/consultations", body, format="json")
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert created.json()["paragraphs"] == ["Beste inwoner,", "U bent welkom."]
    answer = kp.post(f"/api/v1/consultations/{uuid}/answers", {"answers": [{"paragraph": 1, "text": "Schrijf je."}], "hours": 0.5}, format="json")
    assert answer.status_code == 201, answer.content
    assert kp.get(f"/api/v1/consultations/{uuid}").json()["advice"] == [{"paragraph": 1, "text": "Schrijf je.", "hours": 0.5, "keyPerson": None}]
    assert officer.get(f"/api/v1/consultations/{uuid}").json()["advice"][0]["keyPerson"] == world.key_person.full_name
    outcome = officer.post(
        f"/api/v1/consultations/{uuid}/outcome",
        {"summary": "Overgenomen.", "points": [{"text": "Schrijf je", "adoption": "adopted"}], "revisedText": "Beste inwoner,\n\nJe bent welkom."},
        format="json",
    )
    assert outcome.status_code == 200, outcome.content
    seen = kp.get(f"/api/v1/consultations/{uuid}").json()
    assert seen["status"] == "published" and seen["advicePoints"] == [{"text": "Schrijf je", "adoption": "adopted", "change": ""}]
