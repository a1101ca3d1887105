"""API test helpers: a token client per user, and request bodies in the API's camelCase shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from sleutelnet.core.models import User

API = "/api/v1"


class Api:
    """A client that talks to the API with one user's token, in JSON."""

    def __init__(self, user: User | None, *, scheme: str = "Token") -> None:
        self.client = APIClient()
        self.user = user
        if user is not None:
            from tests.auth import api_token

            self.client.credentials(HTTP_AUTHORIZATION=f"{scheme} {api_token(user)}")

    def _url(self, path: str) -> str:
        return path if path.startswith("/api/") else API + path

    def get(self, path: str, params: dict[str, Any] | None = None, **extra: Any):  # type: ignore[no-untyped-def]
        return self.client.get(self._url(path), params or {}, **extra)

    def post(self, path: str, body: Any = None, **extra: Any):  # type: ignore[no-untyped-def]
        return self.client.post(self._url(path), body, format="json", **extra)

    def patch(self, path: str, body: Any = None, **extra: Any):  # type: ignore[no-untyped-def]
        return self.client.patch(self._url(path), body, format="json", **extra)

    def put(self, path: str, body: Any = None, **extra: Any):  # type: ignore[no-untyped-def]
        return self.client.put(self._url(path), body, format="json", **extra)


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """The factories set a password per user; a fast hasher keeps the many worlds here quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api() -> Callable[..., Api]:
    """api(user) -> a client with that user's token; api(None) -> anonymous."""
    return Api


def request_body(world: Any, **overrides: Any) -> dict[str, Any]:
    """A valid POST /requests body for tomorrow 10:00-12:00 in Tigrinya."""
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(
        days=1
    )
    body: dict[str, Any] = {
        "title": "Ouderavond basisschool",
        "kind": "group_session",
        "language": "ti",
        "roles": ["translator", "educator"],
        "lifeDomains": ["education"],
        "municipality": world.municipality.cbs_code,
        "place": "De Regenboog, Doetinchem",
        "startsAt": start.isoformat(),
        "endsAt": (start + dt.timedelta(hours=2)).isoformat(),
        "chainLink": "execution",
    }
    body.update(overrides)
    return body


def report_body(day: dt.date, **overrides: Any) -> dict[str, Any]:
    """A valid activity report body."""
    body: dict[str, Any] = {
        "date": day.isoformat(),
        "hours": 2.5,
        "rolesUsed": ["translator", "educator"],
        "lifeDomains": ["education"],
        "languagesUsed": ["ti"],
        "participants": 12,
        "participantsLittleDutch": 9,
        "participantsFirstContact": 4,
        "outcome": "Ouders weten nu hoe het rapport werkt.",
    }
    body.update(overrides)
    return body


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is a problem+json with `status`, with the API-Version header; returns the body."""
    assert response.status_code == status, (response.status_code, response.content[:2000])
    assert response["Content-Type"].startswith("application/problem+json"), response["Content-Type"]
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= set(body), body
    assert body["status"] == status
    return body


def invalid_names(response: Any) -> set[str]:
    """The names in invalidParams of a 400 problem."""
    body = assert_problem(response, 400)
    assert body.get("invalidParams"), body
    for param in body["invalidParams"]:
        assert set(param) == {"name", "code", "reason"}, param
    return {p["name"] for p in body["invalidParams"]}
