"""Fixtures for the web pages: requests and assignments in every state, made through services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from sleutelnet.core import clock
from sleutelnet.deployments import services
from sleutelnet.deployments.models import Assignment, Request
from tests import factories as f
from tests.conftest import World


@dataclass
class Scene:
    """One world with a request in each interesting state."""

    world: World
    open_request: Request
    offered: Assignment
    past_accepted: Assignment
    reported: Assignment


def past_request(world: World, days_ago: int = 2, **overrides: object) -> Request:
    """A request that started `days_ago` days ago, filed (through services) before it started."""
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) - dt.timedelta(days=days_ago)
    with clock.at(start - dt.timedelta(days=1)):
        return services.file_request(
            actor=world.requester,
            organisation=world.organisation,
            data=world.request_data(starts_at=start, ends_at=start + dt.timedelta(hours=2), **overrides),
        )


def accepted_in_past(world: World, days_ago: int = 2, **overrides: object) -> Assignment:
    req = past_request(world, days_ago, **overrides)
    with clock.at(req.starts_at - dt.timedelta(hours=12)):
        [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
        services.accept(actor=world.key_person_user, assignment=a)
    a.refresh_from_db()
    return a


def report_data(a: Assignment, **overrides: object) -> services.ReportData:
    values: dict[str, object] = dict(
        date=timezone.localdate(a.request.starts_at),
        hours=Decimal("2.5"),
        roles_used=f.roles("translator"),
        participants=10,
        participants_little_dutch=6,
        participants_first_contact=3,
        outcome="Goed gesprek.",
    )
    values.update(overrides)
    return services.ReportData(**values)  # type: ignore[arg-type]


def make_scene(world: World) -> Scene:
    open_request = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    [offered] = services.offer(actor=world.coordinator, request=open_request, key_persons=[world.key_person])
    past_accepted = accepted_in_past(world, days_ago=2)
    reported = accepted_in_past(world, days_ago=3)
    services.submit_report(actor=world.key_person_user, assignment=reported, data=report_data(reported))
    reported.refresh_from_db()
    return Scene(world, open_request, offered, past_accepted, reported)


@pytest.fixture
def scene(world: World) -> Scene:
    return make_scene(world)


@pytest.fixture
def other_scene(other_world: World) -> Scene:
    return make_scene(other_world)


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    """A browser that asks for English, so tests can read Django's own messages in the source language."""
    from django.test import Client

    return Client(headers={"accept-language": "en"})
