"""Writes refuse fields a role may not set (OWASP ASVS 15.3.3), and every form needs its CSRF token."""

from __future__ import annotations

import pytest
from django.test import Client

from sleutelnet.core.permissions import endpoint_for
from tests.auth import api_client
from tests.walk import own_and_foreign, url_for, url_patterns, user_of

pytestmark = pytest.mark.django_db


def refused(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.content[:500]
    return {p["name"]: p["code"] for p in response.json()["invalidParams"]}


def test_the_api_refuses_fields_a_role_may_not_set(world):
    from sleutelnet.deployments import services

    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    requester, coordinator, key_person = api_client(world.requester), api_client(world.coordinator), api_client(world.key_person_user)
    assert refused(requester.patch(f"/api/v1/requests/{req.uuid}", {"organisation": str(world.organisation.uuid)}, format="json")) == {
        "organisation": "not_allowed"
    }
    assert refused(requester.patch(f"/api/v1/requests/{req.uuid}", {"status": "filled", "uuid": "x"}, format="json")) == {
        "status": "read_only", "uuid": "read_only",
    }
    assert refused(coordinator.patch(f"/api/v1/key-persons/{world.key_person.uuid}", {"region": str(world.region.uuid)}, format="json")) == {
        "region": "not_allowed"
    }
    own = f"/api/v1/key-persons/{world.key_person.uuid}"
    assert refused(key_person.patch(own, {"status": "active", "vogValidUntil": "2030-01-01", "fullName": "Ik"}, format="json")) == {
        "status": "not_allowed", "vogValidUntil": "not_allowed", "fullName": "not_allowed",
    }
    assert refused(coordinator.patch(f"/api/v1/newcomers/{world.newcomer.uuid}", {"consent": {}, "hasConsent": True}, format="json")) == {
        "consent": "not_allowed", "hasConsent": "read_only",
    }
    assert refused(coordinator.post("/api/v1/newcomers", {"region": "x", "reference": "A", "displayName": "B", "municipality": world.municipality.cbs_code}, format="json")) == {
        "region": "unknown_field"
    }
    world.key_person.refresh_from_db()
    assert world.key_person.full_name != "Ik" and world.key_person.status == "active"


def test_the_web_forms_ignore_fields_they_do_not_have(client, world):
    client.force_login(world.key_person_user)
    before = (world.key_person.full_name, world.key_person.status, world.key_person.capacity_hours_per_month)
    client.post("/me/profile/", {"phone": "0611111111", "email": world.key_person.email, "ui_language": "nl", "full_name": "Ik", "status": "stopped",
                                 "capacity_hours_per_month": "200", "availability-TOTAL_FORMS": "0", "availability-INITIAL_FORMS": "0"})
    world.key_person.refresh_from_db()
    assert (world.key_person.full_name, world.key_person.status, world.key_person.capacity_hours_per_month) == before


@pytest.mark.parametrize("role", ["coordinator", "requester", "key_person", "privacy_officer", "administrator"])
def test_every_form_post_needs_the_csrf_token(both, role):  # type: ignore[no-untyped-def]
    mine, theirs = both
    user = user_of(mine, role)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    checked = 0
    for name, pattern in url_patterns():
        endpoint = endpoint_for(name)
        if endpoint is None or endpoint.is_api or "POST" not in endpoint.methods or name.startswith("admin:"):
            continue
        allowed = endpoint.roles_for("POST")
        if role not in allowed and "anyone" not in allowed:
            continue
        record = own_and_foreign(endpoint.subject, role, mine, theirs)[0] if endpoint.subject else None
        url = url_for(name, pattern, record)
        response = client.post(url, {})
        assert response.status_code == 403 and b"CSRF" in response.content, (url, response.status_code)
        checked += 1
    assert checked
