"""The API's reach: coordinators get the counts, policy officers the counts with small ones hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.auth import api_client
from tests.reporting.test_indicators import build_fixture, last_month

pytestmark = pytest.mark.django_db


def _reach(user) -> dict:  # type: ignore[no-untyped-def,type-arg]
    start = last_month()
    end = timezone.localdate()
    response = api_client(user).get("/api/v1/reach", {"start": start.isoformat(), "end": (end + dt.timedelta(days=0)).isoformat()})
    assert response.status_code == 200, response.content
    return response.json()


def test_policy_officers_get_small_counts_hidden(world) -> None:  # type: ignore[no-untyped-def]
    build_fixture(world)
    full = _reach(world.coordinator)
    assert full["totals"]["firstContact"] == 4 and full["totals"]["participants"] == 14
    hidden = _reach(world.policy_officer)
    assert hidden["totals"]["participants"] == 14  # not small
    assert hidden["totals"]["firstContact"] == "<5"  # 4 reached for the first time
    for row in hidden["rows"]:
        for key in ("participants", "littleDutch", "firstContact"):
            value = row[key]
            assert value in ("<5", "x") or value == 0 or value >= 5, (key, value)
