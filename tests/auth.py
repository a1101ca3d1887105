"""Signing in for tests: a browser session that passed both steps, or an API client with a token.

Pages need the second factor (accounts); tests that are not about signing in use `login()` (or
the test client's `force_login`, which tests/conftest.py makes do the same). Tests of the sign-in
itself go through the real pages.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from sleutelnet.accounts.models import SCOPES, ApiToken, hash_key
from sleutelnet.core.models import Membership, Organisation, Role, User

#: The unpatched Client.force_login: signed in with the password only.
password_only_login = Client.force_login

#: Every token key a test made, for the log scan (none may appear in the logs).
ISSUED_KEYS: set[str] = set()


def mark_verified(client: Any, user: User) -> None:
    """The session passed the second step, with the user's authenticator app."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="test app", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def login(client: Any, user: User) -> None:
    """Sign `user` in on the test `client`, both steps."""
    password_only_login(client, user)
    mark_verified(client, user)


def api_token(user: User, *, scopes: tuple[str, ...] = SCOPES, organisation: Organisation | None = None) -> str:
    """A valid API token key for `user`: for their organisation (requesters) or their region's first."""
    if organisation is None:
        requester = Membership.objects.filter(user=user, role=Role.REQUESTER).first()
        membership = Membership.objects.filter(user=user).order_by("id").first()
        if requester is not None:
            organisation = requester.organisation
        elif membership is not None:
            organisation = Organisation.objects.filter(region_id=membership.region_id).order_by("id").first() or (
                Organisation.objects.create(region_id=membership.region_id, name=f"Organisatie {secrets.token_hex(3)}", kind="other")
            )
        else:  # no role at all: any organisation; the token then has no roles to act with
            organisation = Organisation.objects.order_by("id").first()
    key = "sn_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        name="test", organisation=organisation, user=user, key_hash=hash_key(key), prefix=key[:10],
        scopes=list(scopes), expires_at=timezone.now() + dt.timedelta(days=30),
    )
    ISSUED_KEYS.add(key)
    return key


def api_client(user: User | None, *, scheme: str = "Bearer", **token_kwargs: Any) -> APIClient:
    """An API client with a token of `user` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"{scheme} {api_token(user, **token_kwargs)}")
    return client
