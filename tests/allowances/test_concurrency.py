"""Two coordinators approve the same monthly statement at the same moment, on PostgreSQL with real
parallel connections: one statement, paid once, and a clear message for the second coordinator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from sleutelnet.allowances import services
from sleutelnet.allowances.models import ExpenseClaim, MonthlyStatement, StatementLine
from sleutelnet.core import clock
from sleutelnet.core.models import Role
from tests import factories as f
from tests.allowances.conftest import at, worked
from tests.deployments.test_concurrency import race, winner_and_loser

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one write at a time, so there is no race to lose; this race needs PostgreSQL",
    ),
]


def test_two_approvals_of_the_same_month_at_once(vocabulary_again, world, rate) -> None:  # type: ignore[no-untyped-def]
    """Both coordinators see the draft of January; one statement is made, the claim is paid on it
    once, and the other coordinator is told it was already approved (no database error)."""
    kp = world.key_person
    other_coordinator = f.member(Role.COORDINATOR, world.region)
    worked(world, dt.date(2025, 1, 6), "4")
    worked(world, dt.date(2025, 1, 20), "6")
    with clock.at(at(dt.date(2025, 1, 21))):
        claim = services.file_claim(
            actor=world.key_person_user, data=services.ClaimData(date=dt.date(2025, 1, 21), kind="kilometres", kilometres="10")
        )
        services.approve_claim(actor=world.coordinator, claim=claim)

    def approve(actor):  # type: ignore[no-untyped-def]
        with clock.at(at(dt.date(2025, 2, 3))):
            return services.approve_statement(actor=actor, key_person=kp, month=dt.date(2025, 1, 1))

    outcomes = race(lambda: approve(world.coordinator), lambda: approve(other_coordinator))

    statement, refused = winner_and_loser(outcomes)
    assert str(refused.message) == "The statement of this month has already been approved."
    assert list(MonthlyStatement.objects.filter(key_person=kp).values_list("pk", "total")) == [(statement.pk, Decimal("52.30"))]
    assert StatementLine.objects.filter(statement__key_person=kp).count() == 2  # the lines of one statement only
    assert ExpenseClaim.objects.get(pk=claim.pk).statement_id == statement.pk
