"""Properties of the figures on random data: municipalities add up to the region, periods add
up to the year, rollups equal a fresh count of the raw reports, and suppression never leaks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sleutelnet.deployments.models import ActivityReport, Assignment, Request
from sleutelnet.reporting import selectors
from sleutelnet.reporting.dashboard import build
from sleutelnet.reporting.periods import Period
from sleutelnet.reporting.services import rebuild
from sleutelnet.reporting.suppression import Suppressed
from tests import factories as f

pytestmark = pytest.mark.django_db

YEAR = 2025
REPORT = st.tuples(
    st.integers(0, 2),  # municipality
    st.integers(1, 12),  # month
    st.integers(0, 12),  # participants
    st.integers(1, 8),  # hours
    st.sets(st.sampled_from(["translator", "educator", "advisor"]), min_size=1),
)
PROPS = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _load(world, reports) -> list:  # type: ignore[no-untyped-def]
    ActivityReport.objects.all().delete()
    Assignment.objects.all().delete()
    Request.objects.all().delete()
    munis = [world.municipality, *(f.MunicipalityFactory(region=world.region) for _ in range(2))]
    tz = timezone.get_current_timezone()
    for m, month, participants, hours, roles in reports:
        start = dt.datetime(YEAR, month, 10, 10, tzinfo=tz)
        req = Request.objects.create(
            region=world.region, organisation=world.organisation, requested_by=world.requester, title="t",
            kind="group_session", language=f.language("ti"), municipality=munis[m], place="p",
            starts_at=start, ends_at=start + dt.timedelta(hours=hours), chain_link="execution", status="closed",
        )
        a = Assignment.objects.create(request=req, key_person=world.key_person, offered_by=world.coordinator,
                                      offered_at=start, responded_at=start, status="approved")
        r = ActivityReport.objects.create(
            assignment=a, date=start.date(), hours=Decimal(hours), participants=participants,
            participants_little_dutch=participants // 2, submitted_at=start,
        )
        r.roles_used.set(f.roles(*sorted(roles)))
    rebuild()
    return munis


@PROPS
@given(st.lists(REPORT, max_size=12))
def test_municipalities_and_periods_add_up(world, reports) -> None:  # type: ignore[no-untyped-def]
    munis = _load(world, reports)
    region = [world.region.id]
    year = Period("year", dt.date(YEAR, 1, 1))
    whole = selectors.figures(selectors.Scope(regions=region), year).current
    per_muni = [selectors.figures(selectors.Scope(regions=region, municipality_id=m.id), year).current for m in munis]
    quarters = [selectors.figures(selectors.Scope(regions=region), Period("quarter", dt.date(YEAR, q, 1))).current for q in (1, 4, 7, 10)]
    for attr in ("count", "hours", "participants", "little_dutch", "allowance"):
        truth = sum((getattr(s, attr) for s in [selectors.Sums(count=1, hours=Decimal(h), participants=p, little_dutch=p // 2) for _m, _mo, p, h, _r in reports]), Decimal(0) if attr in ("hours", "allowance") else 0)
        if attr != "allowance":
            assert getattr(whole.totals, attr) == truth, attr
        assert getattr(whole.totals, attr) == sum(getattr(f_.totals, attr) for f_ in per_muni), attr
        assert getattr(whole.totals, attr) == sum(getattr(q.totals, attr) for q in quarters), attr
    for role in whole.breakdown["role"]:
        assert whole.breakdown["role"][role].count == sum(q.breakdown["role"][role].count for q in quarters if role in q.breakdown["role"])
    assert whole.received == sum(q.received for q in quarters)


@PROPS
@given(st.lists(REPORT, max_size=12), st.integers(2, 10))
def test_suppression_never_leaks(world, reports, threshold) -> None:  # type: ignore[no-untyped-def]
    _load(world, reports)
    fig = selectors.figures(selectors.Scope(regions=[world.region.id]), Period("year", dt.date(YEAR, 1, 1)))
    full = build(fig, threshold=None, charts=False)
    shown = build(fig, threshold=threshold, charts=False)
    for t_full, t_shown in zip(full.tables, shown.tables, strict=True):
        lines = [*t_full.rows, *([t_full.total] if t_full.total else [])]
        shown_lines = [*t_shown.rows, *([t_shown.total] if t_shown.total else [])]
        for j, col in enumerate(t_full.columns):
            if not col.people:
                continue
            hidden = 0
            for a, b in zip(lines, shown_lines, strict=True):
                value = a.cells[j]
                if isinstance(value, int) and 0 < value < threshold:
                    assert isinstance(b.cells[j], Suppressed), (t_full.key, a.label, value)
                if isinstance(b.cells[j], Suppressed):
                    hidden += 1
                else:
                    assert b.cells[j] == value  # what is shown is true
            if t_full.total is not None and not isinstance(t_shown.total.cells[j], Suppressed):  # type: ignore[union-attr]
                assert hidden != 1, (t_full.key, j)  # one hidden cell under a published total could be worked out
