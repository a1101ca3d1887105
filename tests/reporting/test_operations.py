"""The coordinator's start of the day (reporting.selectors.operations): every count and today's
list on a fixture with known answers, with a neighbouring region's assignments left out.

"Now" is Wednesday 2 December 2026, 09:00; the week ends before Monday 7 December."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sleutelnet.core import clock
from sleutelnet.deployments import services
from sleutelnet.deployments.models import Assignment
from sleutelnet.reporting import selectors
from tests.web.conftest import report_data

pytestmark = pytest.mark.django_db

TZ = timezone.get_current_timezone()
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
TODAY = NOW.date()
WEEK_END = TODAY + dt.timedelta(days=7 - TODAY.weekday())


def _at(days: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(TODAY + dt.timedelta(days=days), dt.time(hour), tzinfo=TZ)


def _offered(world, start: dt.datetime, *, offered_at: dt.datetime | None = None) -> Assignment:  # type: ignore[no-untyped-def]
    """A two-hour request of `world` at `start`, offered to its key person (a day before, or at `offered_at`)."""
    when = offered_at or start - dt.timedelta(days=1)
    with clock.at(when - dt.timedelta(hours=1)):
        request = services.file_request(
            actor=world.requester, organisation=world.organisation,
            data=world.request_data(starts_at=start, ends_at=start + dt.timedelta(hours=2)),
        )  # fmt: skip
    with clock.at(when):
        [a] = services.offer(actor=world.coordinator, request=request, key_persons=[world.key_person])
    return a


def _accepted(world, start: dt.datetime) -> Assignment:  # type: ignore[no-untyped-def]
    a = _offered(world, start)
    with clock.at(start - dt.timedelta(hours=12)):
        services.accept(actor=world.key_person_user, assignment=a)
    a.refresh_from_db()
    return a


def test_every_count_and_todays_list(world, other_world) -> None:  # type: ignore[no-untyped-def]
    later_today = _accepted(world, _at(0, 14))
    early_today = _accepted(world, _at(0, 8))  # started an hour ago: still today's
    _accepted(world, _at(2, 10))  # Friday: this week, not today
    _accepted(world, _at(6, 10))  # next Tuesday: not this week
    _accepted(world, _at(-3, 10))  # ended three days ago, no report yet: late
    _accepted(world, _at(-1, 10))  # ended yesterday: not late yet
    _offered(world, _at(3, 15), offered_at=NOW - dt.timedelta(days=3))  # three days without an answer
    _offered(world, _at(3, 18), offered_at=NOW - dt.timedelta(hours=1))  # offered an hour ago
    reported = _accepted(world, _at(-5, 10))
    with clock.at(_at(-5, 13)):
        services.submit_report(actor=world.key_person_user, assignment=reported, data=report_data(reported))
    _accepted(other_world, _at(0, 11))  # the neighbours' work today counts for them only
    _accepted(other_world, _at(-4, 10))

    with clock.at(NOW):
        ops = selectors.operations([world.region.id], TODAY, WEEK_END)
        theirs = selectors.operations([other_world.region.id], TODAY, WEEK_END)

    assert [a.id for a in ops.today] == [early_today.id, later_today.id]
    assert ops.today[0].request.starts_at == _at(0, 8) and ops.today[0].key_person == world.key_person
    assert ops.week == 3  # today twice and Friday
    assert ops.waiting_answer == 1
    assert ops.to_approve == 1
    assert ops.reports_late == 1
    assert (len(theirs.today), theirs.week, theirs.waiting_answer, theirs.to_approve, theirs.reports_late) == (1, 1, 0, 0, 1)


def test_an_assignment_no_longer_accepted_leaves_todays_list_and_the_counts(world) -> None:  # type: ignore[no-untyped-def]
    today = _accepted(world, _at(0, 14))
    late = _accepted(world, _at(-3, 10))
    with clock.at(NOW):
        before = selectors.operations([world.region.id], TODAY, WEEK_END)
        services.cancel_assignment(actor=world.coordinator, assignment=today, reason="Niet meer nodig.")
        services.submit_report(actor=world.key_person_user, assignment=late, data=report_data(late))
        after = selectors.operations([world.region.id], TODAY, WEEK_END)
    assert (len(before.today), before.week, before.reports_late, before.to_approve) == (1, 1, 1, 0)
    assert (len(after.today), after.week, after.reports_late, after.to_approve) == (0, 0, 0, 1)
