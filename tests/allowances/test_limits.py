"""The tax-free limits: per hour, month and year at once; month and year boundaries; the lower
limit below 21; allowances from elsewhere; paid key persons outside the limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sleutelnet.allowances import services
from sleutelnet.allowances.models import AllowanceLimit
from sleutelnet.allowances.selectors import LimitKind, age_on, limit_check, statement_of
from sleutelnet.care.models import Agreement
from sleutelnet.core import clock
from sleutelnet.people.models import KeyPerson
from tests.allowances.conftest import at, worked

pytestmark = pytest.mark.django_db

D = Decimal


def kinds(warnings: list) -> dict[str, Decimal]:  # type: ignore[type-arg]
    return {w.kind: w.excess for w in warnings}


def test_the_national_limits_of_2024_and_2025_are_data() -> None:
    rows = {r.valid_from.year: r for r in AllowanceLimit.objects.filter(region__isnull=True)}
    y2024, y2025 = rows[2024], rows[2025]
    assert (y2024.per_hour_adult, y2024.per_hour_young, y2024.per_month, y2024.per_year) == (D("5.50"), None, D("210"), D("2100"))
    assert (y2025.per_hour_adult, y2025.per_hour_young, y2025.per_month, y2025.per_year) == (D("5.60"), D("3.30"), D("210"), D("2100"))
    assert (y2025.valid_from, y2025.valid_until) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_age_counts_from_the_birthday_itself() -> None:
    born = dt.date(2004, 1, 15)
    assert age_on(born, dt.date(2025, 1, 14)) == 20
    assert age_on(born, dt.date(2025, 1, 15)) == 21


def test_the_month_limit_counts_the_day_of_the_work_31_january_against_1_february(world, rate) -> None:
    worked(world, dt.date(2025, 1, 31), "20")
    worked(world, dt.date(2025, 1, 31), "20")  # € 200 in January
    worked(world, dt.date(2025, 2, 1), "20")  # € 100 in February: not January's
    kp = world.key_person
    assert limit_check(kp, dt.date(2025, 1, 1)) == []
    assert limit_check(kp, dt.date(2025, 2, 1)) == []
    # two more hours on 31 January: € 210, exactly the limit, is still within it
    assert limit_check(kp, dt.date(2025, 1, 1), 2, on=dt.date(2025, 1, 31)) == []
    # four more: € 220, € 10 over the month limit
    [warning] = limit_check(kp, dt.date(2025, 1, 1), 4, on=dt.date(2025, 1, 31))
    assert (warning.kind, warning.limit, warning.amount, warning.excess) == (LimitKind.MONTH, D("210"), D("220.00"), D("10.00"))
    assert "€ 10.00" in warning.message.replace(",", ".") or "10,00" in warning.message
    # the same four hours on 1 February land in February (€ 120): no warning
    assert limit_check(kp, dt.date(2025, 2, 1), 4, on=dt.date(2025, 2, 1)) == []


def test_31_december_and_1_january_use_the_limits_of_their_own_year(world, rate, limits_2026) -> None:
    worked(world, dt.date(2025, 12, 31), "20")
    worked(world, dt.date(2025, 12, 31), "10")  # € 150 in December 2025 (limit 210)
    worked(world, dt.date(2026, 1, 1), "20")
    worked(world, dt.date(2026, 1, 1), "10")  # € 150 in January 2026 (this region's limit: 150)
    kp = world.key_person
    assert limit_check(kp, dt.date(2025, 12, 1), 2, on=dt.date(2025, 12, 31)) == []  # € 160 < 210
    [warning] = limit_check(kp, dt.date(2026, 1, 1), 2, on=dt.date(2026, 1, 1))  # € 160 > 150
    assert (warning.kind, warning.limit, warning.excess, warning.provisional) == (LimitKind.MONTH, D("150"), D("10.00"), False)
    # an allowance from elsewhere in December takes 2025 over its year limit, not 2026
    services.declare_allowance(actor=world.coordinator, key_person=kp, month=dt.date(2025, 12, 1), amount="1990", organisation="Voedselbank")
    december = kinds(limit_check(kp, dt.date(2025, 12, 1)))
    assert december == {LimitKind.MONTH: D("1930.00"), LimitKind.YEAR: D("40.00")}  # 150 + 1990 = 2140
    assert LimitKind.YEAR not in kinds(limit_check(kp, dt.date(2026, 1, 1)))


def test_a_year_without_limits_uses_the_last_ones_and_says_so(world, rate) -> None:
    worked(world, dt.date(2026, 3, 2), "24")
    worked(world, dt.date(2026, 3, 3), "24")  # € 240: over 2025's 210 (2026 not entered nationally)
    [warning] = limit_check(world.key_person, dt.date(2026, 3, 1))
    assert warning.kind == LimitKind.MONTH and warning.limit == D("210") and warning.provisional
    assert "nog niet ingevuld" in warning.message  # Dutch: the default interface language


def test_under_21_the_lower_hour_limit_applies_until_the_birthday_inside_the_month(world, rate) -> None:
    kp = world.key_person
    KeyPerson.objects.filter(pk=kp.pk).update(born_on=dt.date(2004, 1, 15))  # 21 on 15 January 2025
    kp.refresh_from_db()
    worked(world, dt.date(2025, 1, 10), "2")  # 20 years old: € 5.00 > € 3.30, € 1.70 too much an hour
    worked(world, dt.date(2025, 1, 20), "3")  # 21: € 5.00 < € 5.60
    [warning] = limit_check(kp, dt.date(2025, 1, 1))
    assert (warning.kind, warning.young, warning.limit, warning.amount, warning.excess) == (LimitKind.HOUR, True, D("3.30"), D("5.00"), D("3.40"))
    assert "21" in warning.message  # "jonger dan 21" in Dutch, the default language
    # hours after the birthday add nothing to the hour limit
    assert limit_check(kp, dt.date(2025, 1, 1), 5, on=dt.date(2025, 1, 25))[0].excess == D("3.40")
    # one more hour before the birthday does
    assert limit_check(kp, dt.date(2025, 1, 1), 1, on=dt.date(2025, 1, 12))[0].excess == D("5.10")
    # a birthday before the first hours: no hour warning at all
    KeyPerson.objects.filter(pk=kp.pk).update(born_on=dt.date(2004, 1, 5))
    kp.refresh_from_db()
    assert limit_check(kp, dt.date(2025, 1, 1)) == []


def test_2024_had_no_lower_limit_so_the_adult_one_applies(world, rate) -> None:
    kp = world.key_person
    KeyPerson.objects.filter(pk=kp.pk).update(born_on=dt.date(2006, 6, 1))  # 18 in 2024
    kp.refresh_from_db()
    worked(world, dt.date(2024, 3, 4), "4")
    assert limit_check(kp, dt.date(2024, 3, 1)) == []  # € 5.00 < € 5.50


def test_an_hourly_rate_above_the_limit_warns_for_every_hour(world, rate) -> None:
    rate.per_hour = D("6.00")
    rate.save()
    worked(world, dt.date(2025, 5, 6), "10")
    [warning] = limit_check(world.key_person, dt.date(2025, 5, 1))
    assert (warning.kind, warning.limit, warning.amount, warning.excess) == (LimitKind.HOUR, D("5.60"), D("6.00"), D("4.00"))


def test_allowances_from_elsewhere_count_towards_the_month_and_year(world, rate) -> None:
    kp = world.key_person
    worked(world, dt.date(2025, 3, 3), "18")
    worked(world, dt.date(2025, 3, 4), "18")  # € 180
    assert limit_check(kp, dt.date(2025, 3, 1)) == []
    elsewhere = services.declare_allowance(actor=world.coordinator, key_person=kp, month=dt.date(2025, 3, 17), amount="40", organisation="Taalhuis")
    assert elsewhere.month == dt.date(2025, 3, 1)
    [warning] = limit_check(kp, dt.date(2025, 3, 1))
    assert (warning.kind, warning.amount, warning.excess) == (LimitKind.MONTH, D("220.00"), D("10.00"))
    # April is its own month; the year adds up every month's allowances, ours and theirs
    for month in range(4, 13):
        services.declare_allowance(actor=world.coordinator, key_person=kp, month=dt.date(2025, month, 1), amount="210", organisation="Taalhuis")
    year = kinds(limit_check(kp, dt.date(2025, 4, 1)))
    assert year == {LimitKind.YEAR: D("10.00")}  # 180 + 40 + 9 × 210 = 2110
    # withdrawn by mistake: it no longer counts
    services.withdraw_declared_allowance(actor=world.coordinator, declared=elsewhere)
    assert limit_check(kp, dt.date(2025, 3, 1)) == []


def test_paid_key_persons_fall_outside_the_volunteer_limits(world, rate) -> None:
    kp = world.key_person
    Agreement.objects.create(
        key_person=kp, kind="employment", starts_on=dt.date(2025, 2, 1), hourly_rate=D("25.00"), signed_on=dt.date(2025, 1, 20),
        recorded_by=world.coordinator,
    )
    worked(world, dt.date(2025, 1, 30), "20")  # volunteer: € 100
    worked(world, dt.date(2025, 2, 3), "24")
    worked(world, dt.date(2025, 2, 4), "24")  # employed: 48 paid hours, no allowance
    assert limit_check(kp, dt.date(2025, 2, 1)) == []
    assert limit_check(kp, dt.date(2025, 2, 1), 24, on=dt.date(2025, 2, 5)) == []  # more paid work: still nothing
    # January was volunteer work: it still counts there
    assert kinds(limit_check(kp, dt.date(2025, 1, 1), 24, on=dt.date(2025, 1, 31))) == {LimitKind.MONTH: D("10.00")}
    with clock.at(at(dt.date(2025, 3, 2))):
        february = statement_of(kp, dt.date(2025, 2, 1))
    assert (february.paid_hours, february.paid_amount) == (D("48.0"), D("1200.00"))
    assert (february.volunteer_hours, february.volunteer_amount) == (D("20.0"), D("100.00"))  # January's, not paid yet
    assert february.warnings == []
