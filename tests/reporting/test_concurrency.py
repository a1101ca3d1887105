"""Two coordinators approve reports in the same municipality and month at the same moment: on
PostgreSQL both land in the rollups (the municipality row is locked while a month is recomputed)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from sleutelnet.deployments import services
from sleutelnet.deployments.models import Assignment
from sleutelnet.reporting.models import Rollup
from sleutelnet.reporting.services import rebuild
from tests import factories as f
from tests.reporting.test_indicators import _past
from tests.web.conftest import report_data

pytestmark = pytest.mark.django_db(transaction=True)


def _reported(world, day):  # type: ignore[no-untyped-def]
    import datetime as dt

    from sleutelnet.core import clock

    req = _past(world, day)
    with clock.at(req.starts_at - dt.timedelta(hours=12)):
        [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
        services.accept(actor=world.key_person_user, assignment=a)
    a.refresh_from_db()
    services.submit_report(actor=world.key_person_user, assignment=a, data=report_data(a, participants=7))
    return a


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one write at a time; the race needs PostgreSQL")
def test_concurrent_approvals_in_one_month_are_both_counted(vocabulary_again, world) -> None:  # type: ignore[no-untyped-def]
    first, second = _reported(world, 6), _reported(world, 7)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def approve(a: Assignment) -> None:
        try:
            barrier.wait(timeout=10)
            services.approve_report(actor=world.coordinator, assignment=a)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(a,)) for a in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    total = Rollup.objects.get(subject="report", dimension="total", municipality=world.municipality)
    assert (total.count, total.participants) == (2, 14)
    kept = sorted(Rollup.objects.values_list("month", "subject", "dimension", "value", "count", "participants"))
    rebuild()
    assert sorted(Rollup.objects.values_list("month", "subject", "dimension", "value", "count", "participants")) == kept


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks; the deadlock needs PostgreSQL")
def test_a_refresh_does_not_hold_up_a_new_row_of_its_municipality(vocabulary_again, world) -> None:  # type: ignore[no-untyped-def]
    """While the worker recomputes a month (the region and municipality locked), a change that
    inserts a row pointing at both commits at once. With FOR UPDATE its foreign-key checks waited
    for the refresh, and a refresh waiting for them deadlocked (bench/README.md, sixth round)."""
    import datetime as dt

    from sleutelnet.reporting.models import PendingRefresh
    from sleutelnet.reporting.services import lock_for_refresh
    from tests.locks import commit_beside, held

    def insert() -> None:
        PendingRefresh.objects.create(municipality=world.municipality, month=dt.date(2026, 11, 1))
        f.KeyPersonFactory(region=world.region)  # a row pointing at the region

    with held(lambda: lock_for_refresh(world.region.id, world.municipality.id)):
        outcome = commit_beside(insert)
    assert outcome == "committed"
