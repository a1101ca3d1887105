"""Helpers for the allowance tests: work on a given day, approved through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sleutelnet.allowances.models import AllowanceLimit, AllowanceRate
from sleutelnet.core import clock
from sleutelnet.core.models import User
from sleutelnet.deployments import services
from sleutelnet.deployments.models import Assignment, Request
from sleutelnet.people.models import KeyPerson
from tests import factories as f
from tests.conftest import World


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def worked(
    world: World, day: dt.date, hours: str | Decimal, *, kp: KeyPerson | None = None, user: User | None = None,
    approve: bool = True,
) -> Assignment:
    """A request on `day` at 10:00, offered, accepted, reported with `hours` (and approved), each
    step at the moment it would really happen."""
    kp = kp or world.key_person
    user = user or world.key_person_user
    # one request after another on the same day (the agenda refuses two at once)
    earlier = Request.objects.filter(region=world.region, starts_at__range=(at(day, 0), at(day, 23))).count()
    start = at(day, 8 + 2 * earlier)
    with clock.at(start - dt.timedelta(days=1)):
        req = services.file_request(
            actor=world.requester, organisation=world.organisation,
            data=world.request_data(title=f"Werk {day}", starts_at=start, ends_at=start + dt.timedelta(hours=2)),
        )
        [a] = services.offer(actor=world.coordinator, request=req, key_persons=[kp])
        services.accept(actor=user, assignment=a)
    with clock.at(start + dt.timedelta(hours=3)):
        services.submit_report(
            actor=user, assignment=a,
            data=services.ReportData(date=day, hours=Decimal(hours), roles_used=f.roles("translator"), participants=2),
        )
    if approve:
        with clock.at(start + dt.timedelta(days=1)):
            services.approve_report(actor=world.coordinator, assignment=a)
    a.refresh_from_db()
    return a


@pytest.fixture
def rate(world: World) -> AllowanceRate:
    """The region pays € 5.00 an hour and € 0.23 a kilometre; the test key person has room in the agenda."""
    KeyPerson.objects.filter(pk=world.key_person.pk).update(capacity_hours_per_month=200)
    world.key_person.refresh_from_db()
    return AllowanceRate.objects.create(region=world.region, valid_from=dt.date(2020, 1, 1), per_hour=Decimal("5.00"), per_km=Decimal("0.23"))


@pytest.fixture
def limits_2026(world: World) -> AllowanceLimit:
    """The region's own limits for 2026, lower than 2025's, as an administrator would enter them."""
    return AllowanceLimit.objects.create(
        region=world.region, valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 12, 31),
        per_hour_adult=Decimal("5.60"), per_hour_young=Decimal("3.30"), per_month=Decimal("150"), per_year=Decimal("1500"),
        source="test",
    )
