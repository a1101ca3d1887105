"""`excludedKeyPersons` on newcomers: key persons never to offer for them (coordinators only)."""

from __future__ import annotations

import uuid

import pytest

from sleutelnet.deployments import services
from tests import factories as f
from tests.api.conftest import assert_problem, invalid_names

pytestmark = pytest.mark.django_db


def test_coordinator_sets_reads_and_keeps_exclusions(world, api):
    coordinator = api(world.coordinator)
    other = f.KeyPersonFactory(region=world.region)
    url = f"/newcomers/{world.newcomer.uuid}"
    assert coordinator.get(url).json()["excludedKeyPersons"] == []
    response = coordinator.patch(url, {"excludedKeyPersons": [str(world.key_person.uuid)]})
    assert response.status_code == 200, response.content
    assert response.json()["excludedKeyPersons"] == [str(world.key_person.uuid)]
    # a PATCH of another field keeps them
    response = coordinator.patch(url, {"displayName": "Y."})
    assert response.json()["excludedKeyPersons"] == [str(world.key_person.uuid)]
    listed = coordinator.get("/newcomers").json()["results"]
    assert [n["excludedKeyPersons"] for n in listed if n["uuid"] == str(world.newcomer.uuid)] == [
        [str(world.key_person.uuid)]
    ]
    response = coordinator.patch(url, {"excludedKeyPersons": [str(other.uuid)]})
    assert response.json()["excludedKeyPersons"] == [str(other.uuid)]
    assert list(world.newcomer.excluded_key_persons.all()) == [other]


def test_exclusions_when_registering(world, api):
    coordinator = api(world.coordinator)
    body = {
        "reference": "DTC-9",
        "displayName": "Z.",
        "municipality": world.municipality.cbs_code,
        "excludedKeyPersons": [str(world.key_person.uuid)],
    }
    response = coordinator.post("/newcomers", body)
    assert response.status_code == 201, response.content
    assert response.json()["excludedKeyPersons"] == [str(world.key_person.uuid)]


@pytest.mark.parametrize(
    "value",
    ["not-a-list", ["nonsense"], [str(uuid.uuid4())], [12], "OTHER_REGION"],
)
def test_bad_exclusions_are_refused_naming_the_field(world, other_world, api, value):
    if value == "OTHER_REGION":
        value = [str(other_world.key_person.uuid)]
    coordinator = api(world.coordinator)
    response = coordinator.patch(f"/newcomers/{world.newcomer.uuid}", {"excludedKeyPersons": value})
    names = invalid_names(response)
    assert names and all(n.startswith("excludedKeyPersons") for n in names), names
    assert not world.newcomer.excluded_key_persons.exists()


def test_others_cannot_see_or_set_exclusions(world, api):
    world.newcomer.excluded_key_persons.add(world.key_person)
    for user in (world.requester, world.key_person_user, world.policy_officer):
        client = api(user)
        response = client.patch(f"/newcomers/{world.newcomer.uuid}", {"excludedKeyPersons": []})
        assert response.status_code in (403, 404)
        assert "excludedKeyPersons" not in response.content.decode()
    req = services.file_request(
        actor=world.requester,
        organisation=world.organisation,
        data=world.request_data(newcomer=world.newcomer),
    )
    body = api(world.requester).get(f"/requests/{req.uuid}").content.decode()
    assert "excludedKeyPersons" not in body and str(world.key_person.uuid) not in body
    assert world.newcomer.excluded_key_persons.count() == 1


def test_candidates_show_the_exclusion(world, api):
    world.newcomer.excluded_key_persons.add(world.key_person)
    req = services.file_request(
        actor=world.requester,
        organisation=world.organisation,
        data=world.request_data(newcomer=world.newcomer),
    )
    coordinator = api(world.coordinator)
    rows = coordinator.get(f"/requests/{req.uuid}/candidates", HTTP_ACCEPT_LANGUAGE="en").json()
    [row] = [r for r in rows if r["keyPerson"]["uuid"] == str(world.key_person.uuid)]
    assert row["feasible"] is False
    assert any("excluded for this newcomer" in v for v in row["violations"])
    response = coordinator.post(
        f"/requests/{req.uuid}/offer", {"keyPersons": [str(world.key_person.uuid)]}
    )
    body = assert_problem(response, 400)
    assert "excludedKeyPersons" not in body
