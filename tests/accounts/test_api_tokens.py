"""API tokens: per organisation, scoped, revocable, stored hashed, with an expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from sleutelnet.accounts import services
from sleutelnet.accounts.models import ApiToken, hash_key
from sleutelnet.core.exceptions import DomainError, NotAllowed
from sleutelnet.core.models import Membership, Role
from sleutelnet.deployments import services as deployments
from tests import factories as f

pytestmark = pytest.mark.django_db


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def admin(world):  # type: ignore[no-untyped-def]
    return f.member(Role.ADMINISTRATOR, world.region, is_staff=True)


def issue(admin, world, **kwargs):  # type: ignore[no-untyped-def]
    values = dict(organisation=world.organisation, user=world.coordinator, name="Zaaksysteem", scopes=["requests:read"], days=30)
    values.update(kwargs)
    return services.issue_api_token(actor=admin, **values)


def test_only_the_hash_is_stored_and_the_scopes_limit_the_calls(world, admin):
    token, key = issue(admin, world)
    assert token.key_hash == hash_key(key) and key not in (token.key_hash, token.prefix) and token.prefix == key[:10]
    client = bearer(key)
    assert client.get("/api/v1/requests").status_code == 200
    assert client.get("/api/v1/languages").status_code == 200  # reference data: every token
    refused = client.post("/api/v1/requests", {}, format="json", headers={"accept-language": "en"})
    assert refused.status_code == 403 and "scopes" in refused.json()["detail"]
    assert client.get("/api/v1/newcomers").status_code == 403
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_expired_and_revoked_tokens_stop_working(world, admin):
    token, key = issue(admin, world)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert bearer(key).get("/api/v1/requests").status_code == 401
    token2, key2 = issue(admin, world)
    assert bearer(key2).get("/api/v1/requests").status_code == 200
    services.revoke_api_token(actor=admin, token=token2)
    assert bearer(key2).get("/api/v1/requests").status_code == 401


def test_a_token_acts_only_within_its_organisations_region(world, other_world, admin):
    # a coordinator of both regions: the token of the first region's organisation sees only that region
    Membership.objects.create(user=world.coordinator, region=other_world.region, role=Role.COORDINATOR)
    theirs = deployments.file_request(actor=other_world.requester, organisation=other_world.organisation, data=other_world.request_data())
    _token, key = issue(admin, world)
    client = bearer(key)
    assert client.get(f"/api/v1/requests/{theirs.uuid}").status_code == 404
    assert str(theirs.uuid) not in client.get("/api/v1/requests").content.decode()


def test_a_requesters_token_is_for_their_organisation_only(world, admin):
    other = f.OrganisationFactory(region=world.region, municipality=world.municipality)
    req = deployments.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    _token, key = issue(admin, world, organisation=other, user=world.requester)
    # the requester files for world.organisation, the token is for `other`: their requests are out of reach
    assert bearer(key).get(f"/api/v1/requests/{req.uuid}").status_code == 403


def test_issuing_checks_every_field_and_the_role(world, admin, other_world):
    for kwargs, field in (
        ({"name": " "}, "name"),
        ({"scopes": ["everything:write"]}, "scopes"),
        ({"scopes": []}, "scopes"),
        ({"days": 0}, "days"),
        ({"days": 1000}, "days"),
        ({"user": other_world.coordinator}, "user"),
    ):
        with pytest.raises(DomainError) as err:
            issue(admin, world, **kwargs)
        assert err.value.field == field, kwargs
    with pytest.raises(NotAllowed):
        issue(world.coordinator, world)
    with pytest.raises(NotAllowed):
        issue(admin, world, organisation=other_world.organisation)


def test_the_administrator_issues_and_revokes_tokens_on_a_page(world, admin):
    client = Client(headers={"accept-language": "en"})
    client.force_login(admin)
    response = client.post(
        "/settings/api-tokens/",
        {"name": "Zaaksysteem", "organisation": str(world.organisation.uuid), "user": str(world.coordinator.uuid), "scopes": ["requests:read", "assignments:read"], "days": "90"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    key = html.split('<code class="token">')[1].split("</code>")[0]
    assert "Copy it now" in html and bearer(key).get("/api/v1/assignments").status_code == 200
    assert key not in client.get("/settings/api-tokens/").content.decode()  # shown once
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert client.post(f"/settings/api-tokens/{token.uuid}/revoke/").status_code == 302
    assert bearer(key).get("/api/v1/assignments").status_code == 401
    response = client.post("/settings/api-tokens/", {"name": "", "organisation": "", "user": "", "days": "9999"})
    assert response.status_code == 400 and 'id="id_name-error"' in response.content.decode()
