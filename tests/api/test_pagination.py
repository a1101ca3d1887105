"""The list count: exact up to a bound, above it counted once a minute and shared."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from sleutelnet.api import pagination
from tests.api.conftest import request_body


@pytest.mark.django_db
def test_a_long_list_is_counted_once_a_minute_and_the_records_stay_current(world, api, monkeypatch):
    monkeypatch.setattr(pagination, "EXACT", 2)  # "long" from three records on, to keep the test small
    cache.clear()
    requester = api(world.requester)
    for i in range(3):
        assert requester.post("/requests", request_body(world, title=f"Verzoek {i}")).status_code == 201
    first = requester.get("/requests", {"pageSize": 10}).json()
    assert first["count"] == 3 and len(first["results"]) == 3
    assert requester.post("/requests", request_body(world, title="Verzoek 3")).status_code == 201
    again = requester.get("/requests", {"pageSize": 10}).json()
    assert again["count"] == 3  # the shared count of the last minute
    assert len(again["results"]) == 4  # the records themselves are current
    cache.clear()  # a minute later
    assert requester.get("/requests", {"pageSize": 10}).json()["count"] == 4


@pytest.mark.django_db
def test_a_short_list_is_counted_exactly_every_time(world, api):
    cache.clear()
    requester = api(world.requester)
    assert requester.get("/requests").json()["count"] == 0
    assert requester.post("/requests", request_body(world)).status_code == 201
    assert requester.get("/requests").json()["count"] == 1
