"""Signing in for tests: a browser session that passed both factors, or an API client with a token."""

from __future__ import annotations

from typing import Any

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sleutelnet.core.models import User


def login(client: Any, user: User) -> None:
    """Sign `user` in on the test `client`."""
    client.force_login(user)


def api_client(user: User | None) -> APIClient:
    """An API client with a token of `user` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
