"""Two people take the same step at the same moment, on PostgreSQL with real parallel connections:
exactly one wins, the other gets a message a user understands, and nothing is half saved.

The lock order that makes this work (key person, then request, then assignment) is described in
docs/architecture.md, "Concurrency".
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import translation

from sleutelnet.core.exceptions import DomainError, InvalidTransition
from sleutelnet.core.models import Role
from sleutelnet.deployments import services
from sleutelnet.deployments.models import Assignment, AssignmentStatus, Request, RequestStatus
from sleutelnet.notifications.models import OutboxMessage
from sleutelnet.people.models import KeyPerson
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one write at a time, so there is no race to lose; these races need PostgreSQL",
    ),
]


def race(*steps: Callable[[], Any]) -> list[Any]:
    """Run each step in its own thread (its own database connection), released together by a
    barrier; return what each step returned, or the exception it raised, in the order given.
    Messages come in English (the msgids), so the tests read the words a user is shown."""
    barrier = threading.Barrier(len(steps))
    outcomes: list[Any] = [None] * len(steps)

    def run(i: int, step: Callable[[], Any]) -> None:
        try:
            with translation.override("en"):
                barrier.wait(timeout=10)
                outcomes[i] = step()
        except BaseException as exc:  # noqa: BLE001 - judged by the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, step)) for i, step in enumerate(steps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a step hung: a lock was never released"
    return outcomes


def winner_and_loser(outcomes: list[Any], error: type[DomainError] = InvalidTransition) -> tuple[Any, DomainError]:
    """Exactly one step succeeded and the other raised `error` (not a database error)."""
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    won = [o for o in outcomes if not isinstance(o, BaseException)]
    assert len(won) == 1 and len(failed) == 1, outcomes
    assert isinstance(failed[0], error), repr(failed[0])
    return won[0], failed[0]


def key_person(world) -> tuple[KeyPerson, Any]:  # type: ignore[no-untyped-def]
    """A second key person of the region, with a login, who fits the world's requests."""
    user = f.member(Role.KEY_PERSON, world.region)
    return f.KeyPersonFactory(region=world.region, user=user, email=user.email), user


def mails_to(email: str) -> int:
    return OutboxMessage.objects.filter(to_email=email).count()


def test_two_coordinators_offer_the_same_key_person_the_same_request(vocabulary_again, world) -> None:  # type: ignore[no-untyped-def]
    """Both see the key person as free for the request; only one offer is made."""
    other_coordinator = f.member(Role.COORDINATOR, world.region)
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    mails_before = mails_to(world.key_person.email)

    outcomes = race(
        lambda: services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person]),
        lambda: services.offer(actor=other_coordinator, request=req, key_persons=[world.key_person]),
    )

    [made], refused = winner_and_loser(outcomes, DomainError)
    assert str(refused.message) == f"{world.key_person.full_name} already has this request."
    assert list(Assignment.objects.filter(request=req).values_list("pk", "status")) == [(made.pk, AssignmentStatus.OFFERED)]
    assert mails_to(world.key_person.email) == mails_before + 1  # one offer in the inbox, not two


def test_two_coordinators_offer_one_key_person_more_hours_than_are_left(vocabulary_again, world) -> None:  # type: ignore[no-untyped-def]
    """Two requests of 2 hours each, a key person with 3 hours left this month: each coordinator
    sees room for their own request, only one of them can have it."""
    KeyPerson.objects.filter(pk=world.key_person.pk).update(capacity_hours_per_month=3)
    other_coordinator = f.member(Role.COORDINATOR, world.region)
    morning = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(title="Ochtend"))
    start = morning.starts_at.replace(hour=14)
    afternoon = services.file_request(
        actor=world.requester, organisation=world.organisation,
        data=world.request_data(title="Middag", starts_at=start, ends_at=start + dt.timedelta(hours=2)),
    )

    outcomes = race(
        lambda: services.offer(actor=world.coordinator, request=morning, key_persons=[world.key_person]),
        lambda: services.offer(actor=other_coordinator, request=afternoon, key_persons=[world.key_person]),
    )

    [made], refused = winner_and_loser(outcomes, DomainError)
    assert str(refused.message) == (
        f"{world.key_person.full_name} cannot take this request: only 1.0 h free this month, the request takes 2.0 h."
    )
    assert list(Assignment.objects.filter(key_person=world.key_person).values_list("pk", flat=True)) == [made.pk]


def test_two_key_persons_accept_the_last_place_at_once(vocabulary_again, world) -> None:  # type: ignore[no-untyped-def]
    """One place, two offers, both say yes at the same moment: one comes, the other is told."""
    second, second_user = key_person(world)
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    first_offer, second_offer = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person, second])
    requester_mails = mails_to(world.requester.email)

    outcomes = race(
        lambda: services.accept(actor=world.key_person_user, assignment=first_offer),
        lambda: services.accept(actor=second_user, assignment=second_offer),
    )

    accepted, refused = winner_and_loser(outcomes)
    assert str(refused.message) in (
        "Enough key persons have already accepted this request.",
        "This request no longer needs a key person.",
    )
    req.refresh_from_db()
    assert req.status == RequestStatus.FILLED
    states = dict(Assignment.objects.filter(request=req).values_list("pk", "status"))
    loser = (first_offer if accepted.pk == second_offer.pk else second_offer).pk
    assert states == {accepted.pk: AssignmentStatus.ACCEPTED, loser: AssignmentStatus.CANCELLED}
    assert Assignment.objects.get(pk=loser).cancel_reason == "Enough key persons accepted this request."
    assert mails_to(world.requester.email) == requester_mails + 1  # the requester hears of one key person


def test_one_key_person_accepts_two_overlapping_offers_at_once(vocabulary_again, world) -> None:  # type: ignore[no-untyped-def]
    """Two requests at the same time of day, the key person says yes to both from two devices:
    only one goes in the agenda."""
    morning = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(title="Ochtend"))
    later = morning.starts_at + dt.timedelta(hours=1)
    overlapping = services.file_request(
        actor=world.requester, organisation=world.organisation,
        data=world.request_data(title="Overlap", starts_at=later, ends_at=later + dt.timedelta(hours=2)),
    )
    [a] = services.offer(actor=world.coordinator, request=morning, key_persons=[world.key_person])
    [b] = services.offer(actor=world.coordinator, request=overlapping, key_persons=[world.key_person])

    outcomes = race(
        lambda: services.accept(actor=world.key_person_user, assignment=a),
        lambda: services.accept(actor=world.key_person_user, assignment=b),
    )

    accepted, refused = winner_and_loser(outcomes)
    other = b if accepted.pk == a.pk else a
    won_title = Request.objects.get(assignments=accepted).title
    assert str(refused.message) == f"You already have an assignment at that time: {won_title}."
    states = dict(Assignment.objects.filter(key_person=world.key_person).values_list("pk", "status"))
    assert states == {accepted.pk: AssignmentStatus.ACCEPTED, other.pk: AssignmentStatus.OFFERED}
    assert Request.objects.get(assignments=accepted).status == RequestStatus.FILLED
    assert Request.objects.get(assignments=other).status == RequestStatus.OPEN


def test_a_coordinator_withdraws_an_offer_while_another_key_person_takes_the_last_place(vocabulary_again, world) -> None:  # type: ignore[no-untyped-def]
    """Accepting the last place withdraws the other offers; a coordinator withdrawing one of them
    at that moment takes the locks in the same order (request, then assignment), so neither waits
    for the other forever and PostgreSQL never has to break a deadlock. Who gets there first
    varies, so the race runs five rounds (with the old order, assignment before request, two of
    five single rounds ended in "deadlock detected", and four of five runs of this test failed)."""
    second, _user = key_person(world)
    for day in range(1, 6):
        data = world.request_data(title=f"Ronde {day}")
        data.starts_at += dt.timedelta(days=day)
        data.ends_at += dt.timedelta(days=day)
        req = services.file_request(actor=world.requester, organisation=world.organisation, data=data)
        first_offer, second_offer = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person, second])

        accepted, withdrawn = race(
            lambda: services.accept(actor=world.key_person_user, assignment=first_offer),  # noqa: B023 - run before the next round
            lambda: services.cancel_assignment(actor=world.coordinator, assignment=second_offer, reason="Toch niet nodig."),  # noqa: B023
        )

        assert not isinstance(accepted, BaseException), repr(accepted)
        if isinstance(withdrawn, BaseException):  # the accept came first and already withdrew the offer
            assert isinstance(withdrawn, InvalidTransition), repr(withdrawn)
            assert str(withdrawn.message) == "This assignment cannot be cancelled in its current state."
        req.refresh_from_db()
        assert req.status == RequestStatus.FILLED
        states = dict(Assignment.objects.filter(request=req).values_list("pk", "status"))
        assert states == {first_offer.pk: AssignmentStatus.ACCEPTED, second_offer.pk: AssignmentStatus.CANCELLED}


def _key_person_locks() -> dict[str, Callable[[Any], Any]]:
    """Every service helper that locks a key person's row to queue the steps of one person."""
    from sleutelnet.allowances import services as allowances
    from sleutelnet.care import services as care
    from sleutelnet.people import services as people

    return {
        "deployments._lock_key_persons": lambda kp: services._lock_key_persons([kp.id]),
        "care._locked": care._locked,
        "allowances._locked_key_person": allowances._locked_key_person,
        "people._own": lambda kp: people._own(kp.user),
    }


@pytest.mark.parametrize("helper", sorted(_key_person_locks()))
def test_a_locked_key_person_does_not_hold_up_a_row_pointing_at_them(vocabulary_again, world, helper) -> None:  # type: ignore[no-untyped-def]
    """While one step holds a key person's row, another transaction that inserts a row pointing at
    them (here a weekly availability; in the load bench a rollup of the worker) commits at once.
    With FOR UPDATE its foreign-key check waited for the lock, which can end in a deadlock when
    the holder then waits for that transaction (docs/architecture.md, "Concurrency")."""
    from sleutelnet.people.models import WeeklyAvailability
    from tests.locks import commit_beside, held

    lock = _key_person_locks()[helper]
    kp = KeyPerson.objects.select_related("user").get(pk=world.key_person.pk)
    with held(lambda: lock(kp)):
        outcome = commit_beside(
            lambda: WeeklyAvailability.objects.create(key_person_id=kp.pk, weekday=6, start_time=dt.time(20), end_time=dt.time(21))
        )
    assert outcome == "committed"
