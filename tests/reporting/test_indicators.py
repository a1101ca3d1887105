"""Each indicator on a hand-built fixture with known answers, made through the services.

The fixture (one region, two municipalities, this month):
- A, individual support for newcomer N (little Dutch): 2 h, translator + trust builder, health;
- A, the same newcomer again: 1 h, translator;
- A, group session: 3 h, 12 participants of whom 8 little Dutch and 3 first contact, educator;
- B, document review for an institution: 1.5 h, advisor, 0 participants;
- a request in A that started without anyone: one offer declined "too_busy";
- a request in A that was cancelled.
The region pays 5.00 per hour.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from sleutelnet.allowances.models import AllowanceRate
from sleutelnet.core import clock
from sleutelnet.deployments import services
from sleutelnet.reporting import selectors
from sleutelnet.reporting.models import KeyPersonMonth, NewcomerMonth, PendingRefresh, Rollup
from sleutelnet.reporting.periods import Period
from sleutelnet.reporting.services import rebuild, refresh_pending
from tests import factories as f
from tests.web.conftest import report_data

pytestmark = pytest.mark.django_db


def _past(world, day, **overrides):  # type: ignore[no-untyped-def]
    """A request on `day` of last month at 10:00, filed the day before (through services)."""
    start = dt.datetime.combine(last_month().replace(day=day), dt.time(10), tzinfo=timezone.get_current_timezone())
    with clock.at(start - dt.timedelta(days=1)):
        return services.file_request(
            actor=world.requester, organisation=world.organisation,
            data=world.request_data(starts_at=start, ends_at=start + dt.timedelta(hours=2), **overrides),
        )


def last_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _done(world, day, *, report, **request):  # type: ignore[no-untyped-def]
    req = _past(world, day, **request)
    with clock.at(req.starts_at - dt.timedelta(hours=12)):
        [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
        services.accept(actor=world.key_person_user, assignment=a)
    a.refresh_from_db()
    services.submit_report(actor=world.key_person_user, assignment=a, data=report_data(a, **report))
    services.approve_report(actor=world.coordinator, assignment=a)
    return a


def build_fixture(world):  # type: ignore[no-untyped-def]
    AllowanceRate.objects.create(region=world.region, valid_from=dt.date(2020, 1, 1), per_hour=Decimal("5.00"))
    other = f.MunicipalityFactory(region=world.region, name="Bronckhorst")
    world.key_person.municipalities.add(other)
    # Reports on the 1st to 4th of last month; requests are counted in the month they came in (now).
    days = [1, 2, 3, 4]
    newcomer = f.NewcomerFactory(
        region=world.region, municipality=world.municipality, consent=timezone.localdate() - dt.timedelta(days=90)
    )
    individual = dict(kind="individual_support", newcomer=newcomer, life_domains=f.domains("health"))
    _done(world, days[0], report=dict(hours=Decimal(2), participants=1, participants_little_dutch=1,
          participants_first_contact=1, roles_used=f.roles("translator", "trust_builder"), life_domains=f.domains("health")), **individual)
    _done(world, days[1], report=dict(hours=Decimal(1), participants=1, participants_little_dutch=1,
          participants_first_contact=0, roles_used=f.roles("translator")), **individual)
    _done(world, days[2], report=dict(hours=Decimal(3), participants=12, participants_little_dutch=8,
          participants_first_contact=3, roles_used=f.roles("educator")))
    _done(world, days[3], report=dict(hours=Decimal("1.5"), participants=0, participants_little_dutch=0,
          participants_first_contact=0, roles_used=f.roles("advisor")), kind="document_review", municipality=other)
    unfilled = _past(world, 5)
    with clock.at(unfilled.starts_at - dt.timedelta(hours=12)):
        [a] = services.offer(actor=world.coordinator, request=unfilled, key_persons=[world.key_person])
        services.decline(actor=world.key_person_user, assignment=a, code="too_busy")
    cancelled = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    services.cancel_request(actor=world.requester, request=cancelled, reason="Niet meer nodig.")
    return other


def test_every_indicator_on_the_fixture(world) -> None:  # type: ignore[no-untyped-def]
    other = build_fixture(world)
    period = Period.containing("month", last_month())
    fig = selectors.figures(selectors.Scope(regions=[world.region.id]), period)
    c = fig.current
    requests = selectors.figures(selectors.Scope(regions=[world.region.id]), period.following()).current
    # reach
    assert c.totals.count == 4
    assert c.totals.hours == Decimal("7.5")
    assert c.totals.participants == 14
    assert c.totals.little_dutch == 10
    assert c.totals.first_contact == 4
    assert c.newcomers == 1 and c.newcomers_little_dutch == 1  # the same newcomer twice: once
    assert c.by_municipality[world.municipality.id].participants == 14
    assert c.by_municipality[other.id].hours == Decimal("1.5")
    ti = str(f.language("ti").pk)
    assert c.breakdown["language"][ti].count == 4
    assert c.breakdown["chain"]["execution"].count == 4
    assert c.breakdown["org_kind"][world.organisation.kind].count == 4
    # how key persons work
    translator = str(f.roles("translator")[0].pk)
    assert c.breakdown["role"][translator].count == 2
    assert c.breakdown["role"][translator].hours == Decimal(3)
    assert {v: s.count for v, s in c.breakdown["n_roles"].items()} == {"1": 3, "2": 1}
    assert c.multi_role_share == 0.25
    assert c.mean_roles == 1.25
    assert {v: s.count for v, s in c.breakdown["n_domains"].items()} == {"0": 3, "1": 1}
    assert c.institution_share == pytest.approx(1.5 / 7.5)
    # requests: 4 filled, 1 started without anyone (declined: too busy), 1 cancelled
    assert requests.received == 6
    assert (requests.status("filled"), requests.status("unfilled"), requests.status("cancelled"), requests.status("waiting")) == (4, 1, 1, 0)
    assert requests.fill_rate == 0.8
    assert requests.requests["reason"] == {"declined:too_busy": 1, "cancelled": 1}
    assert requests.requests["decline"] == {"too_busy": 1}
    assert requests.median_delay_hours is not None and 0 <= requests.median_delay_hours <= 48
    # key persons
    assert c.active_key_persons == 1
    assert c.key_person_hours == [Decimal("7.5")]
    assert c.top5_share == 1.0
    assert c.gini == 0.0
    # efficiency: 7.5 h x 5.00
    assert c.totals.allowance == Decimal("37.50")
    assert c.cost_per_hour == Decimal("5.00")
    assert c.cost_per_participant == Decimal("2.68")  # 37.50 / 14
    assert c.by_municipality[other.id].allowance == Decimal("7.50")
    # one municipality only
    only_b = selectors.figures(selectors.Scope(regions=[world.region.id], municipality_id=other.id), period)
    assert only_b.current.totals.count == 1 and only_b.previous.totals.count == 0
    # the previous period is empty, and another region sees nothing of this one
    assert fig.previous.totals.count == 0
    assert selectors.figures(selectors.Scope(regions=[world.region.id + 999]), period).current.totals.count == 0


def test_rollups_kept_current_equal_a_rebuild(world) -> None:  # type: ignore[no-untyped-def]
    build_fixture(world)
    kept = _snapshot()
    assert kept[0], "the services wrote no rollups"
    rebuild()
    assert _snapshot() == kept


def _snapshot() -> tuple[list, list, list]:  # type: ignore[type-arg]
    return (
        sorted(Rollup.objects.values_list("municipality_id", "month", "subject", "dimension", "value", "count", "hours",
                                          "participants", "little_dutch", "first_contact", "allowance")),
        sorted(NewcomerMonth.objects.values_list("municipality_id", "month", "newcomer_id", "little_dutch")),
        sorted(KeyPersonMonth.objects.values_list("municipality_id", "month", "key_person_id", "reports", "hours", "allowance")),
    )


def test_deferred_refresh_queues_the_months_and_the_worker_brings_them_up_to_date(world, settings) -> None:  # type: ignore[no-untyped-def]
    """REPORTING_REFRESH=deferred: the changes only queue their municipality-months; the worker's
    step recomputes each once, and then the rollups equal a rebuild."""
    settings.REPORTING_REFRESH = "deferred"
    build_fixture(world)
    assert not Rollup.objects.exists(), "a deferred change recomputed the rollups itself"
    queued = set(PendingRefresh.objects.values_list("municipality_id", "month"))
    assert queued and PendingRefresh.objects.count() > len(queued)  # queued more often than there are months
    assert refresh_pending(limit=1000, delay=3600) == 0  # nothing waited an hour yet
    assert refresh_pending(limit=1000, delay=0) == len(queued)
    assert not PendingRefresh.objects.exists()
    kept = _snapshot()
    assert kept[0]
    rebuild()
    assert _snapshot() == kept
    assert refresh_pending(delay=0) == 0


def test_the_month_query_plans_without_hash_joins_and_leaves_the_setting_as_it_was(world) -> None:  # type: ignore[no-untyped-def]
    """recompute_month finds a month's reports by key (reporting.services._nested_loops): the
    planner setting holds for that one query and is back on for everything after it."""
    from django.db import connection, transaction

    from sleutelnet.reporting import services

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting; this pass runs on SQLite")

    def hashjoin() -> str:
        with connection.cursor() as cur:
            cur.execute("SHOW enable_hashjoin")
            return str(cur.fetchone()[0])

    with transaction.atomic():
        with services._nested_loops():
            assert hashjoin() == "off"
        assert hashjoin() == "on"
    build_fixture(world)  # recompute_month runs inline for every change of the fixture
    rebuilt = _snapshot()
    rebuild()
    assert _snapshot() == rebuilt and rebuilt[0]
    assert hashjoin() == "on"


def test_the_worker_round_handles_the_queued_figures(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REPORTING_REFRESH = "deferred"
    settings.REPORTING_REFRESH_DELAY_SECONDS = 0
    build_fixture(world)
    assert PendingRefresh.objects.exists()
    call_command("run_worker", "--once", stdout=io.StringIO())
    assert not PendingRefresh.objects.exists() and Rollup.objects.exists()


def test_gini_and_median() -> None:
    assert selectors.gini([]) is None
    assert selectors.gini([5, 5, 5]) == 0.0
    assert selectors.gini([0, 0, 0, 10]) == pytest.approx(0.75)
    assert selectors.median_from_histogram({}) is None
    assert selectors.median_from_histogram({1: 1, 3: 1, 10: 1}) == 3
    assert selectors.median_from_histogram({1: 2, 3: 2}) == 1  # the lower median


def test_periods() -> None:
    q = Period.containing("quarter", dt.date(2026, 2, 14))
    assert (q.start, q.end, q.number, q.slug) == (dt.date(2026, 1, 1), dt.date(2026, 4, 1), 1, "2026-q1")
    assert q.previous() == Period("quarter", dt.date(2025, 10, 1))
    assert Period.containing("month", dt.date(2026, 12, 31)).following() == Period("month", dt.date(2027, 1, 1))
    assert len(Period.containing("year", dt.date(2026, 5, 5)).months) == 12


def test_a_request_that_started_yesterday_without_anyone_counts_as_unfilled(world) -> None:  # type: ignore[no-untyped-def]
    """The worker's daily refresh (refresh_started) moves a request whose start passed without a
    key person from waiting to unfilled; a refresh of another day leaves it."""
    from sleutelnet.reporting.services import refresh_started

    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    yesterday = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(10), tzinfo=tz)
    filed = yesterday - dt.timedelta(days=1)
    with clock.at(filed):
        services.file_request(
            actor=world.requester, organisation=world.organisation,
            data=world.request_data(starts_at=yesterday, ends_at=yesterday + dt.timedelta(hours=2)),
        )
    period = Period.containing("month", today)  # a request counts in the month it was stored

    def counts() -> tuple[int, int]:
        c = selectors.figures(selectors.Scope(regions=[world.region.id]), period).current
        return c.status("waiting"), c.status("unfilled")

    assert counts() == (1, 0)  # counted when it was filed, before it started
    assert refresh_started(day=today - dt.timedelta(days=1)) == 0  # the day before: nothing started then
    assert counts() == (1, 0)
    assert refresh_started(day=today) == 1
    assert counts() == (0, 1)
