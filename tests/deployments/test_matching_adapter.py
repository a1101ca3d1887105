"""The adapter between the database and the engine: newcomer exclusions and a region's planning problem."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from sleutelnet.deployments import matching, services
from sleutelnet.deployments.models import Assignment
from sleutelnet.matching import io
from sleutelnet.matching import plan as planner
from sleutelnet.people.models import AvailabilityException
from tests import factories as f
from tests.conftest import World

pytestmark = pytest.mark.django_db


def tomorrow(hour: int, minutes: int = 0) -> dt.datetime:
    return timezone.localtime().replace(
        hour=hour, minute=minutes, second=0, microsecond=0
    ) + dt.timedelta(days=1)


def file(world: World, title: str, start: dt.datetime, hours: float = 2, **overrides: object):  # type: ignore[no-untyped-def]
    data = world.request_data(
        title=title, starts_at=start, ends_at=start + dt.timedelta(hours=hours), **overrides
    )
    return services.file_request(actor=world.requester, organisation=world.organisation, data=data)


def week() -> tuple[dt.datetime, dt.datetime]:
    now = timezone.localtime()
    return now, now + dt.timedelta(days=7)


# --- newcomer exclusions ---------------------------------------------------------------------


def test_newcomer_exclusion_is_a_hard_constraint_with_its_own_reason(world):
    world.newcomer.excluded_key_persons.add(world.key_person)
    other = f.KeyPersonFactory(region=world.region)
    req = file(world, "Huisartsbezoek", tomorrow(10), newcomer=world.newcomer)
    assert str(world.key_person.uuid) in matching.engine_request(req).excluded_key_persons
    ranked = {kp.id: cand for kp, cand in matching.candidates_for(req)}
    assert not ranked[world.key_person.id].feasible
    assert [r.code for r in ranked[world.key_person.id].violations] == ["excluded_newcomer"]
    assert ranked[other.id].feasible
    assert [r.code for r in matching.check_feasible(req, world.key_person)] == ["excluded_newcomer"]


def test_newcomer_exclusion_only_concerns_that_newcomers_requests(world):
    world.newcomer.excluded_key_persons.add(world.key_person)
    req = file(world, "Ouderavond", tomorrow(10))  # no newcomer
    assert matching.check_feasible(req, world.key_person) == []


def test_offer_refuses_an_excluded_key_person(world):
    from sleutelnet.core.exceptions import DomainError

    world.newcomer.excluded_key_persons.add(world.key_person)
    req = file(world, "Huisartsbezoek", tomorrow(10), newcomer=world.newcomer)
    with translation.override("en"), pytest.raises(DomainError, match="excluded for this newcomer"):
        services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    assert not Assignment.objects.filter(request=req).exists()


# --- the planning problem of a region --------------------------------------------------------


def test_region_instance_holds_the_open_requests_that_still_need_someone(world, other_world):
    kp2 = f.KeyPersonFactory(region=world.region)
    one = file(world, "Eén nodig", tomorrow(10))
    two = file(world, "Twee nodig", tomorrow(14), key_persons_needed=2)
    services.offer(
        actor=world.coordinator, request=two, key_persons=[kp2]
    )  # one of two is on its way
    full = file(world, "Al vol", tomorrow(18))
    services.offer(actor=world.coordinator, request=full, key_persons=[world.key_person])
    far = file(world, "Over twee weken", tomorrow(10) + dt.timedelta(days=14))
    cancelled = file(world, "Afgezegd", tomorrow(12))
    services.cancel_request(actor=world.requester, request=cancelled, reason="Gaat niet door")
    foreign = file(other_world, "Andere regio", tomorrow(10))

    problem = matching.region_instance(world.region, *week())
    needed = {r.id: r.key_persons_needed for r in problem.instance.requests}
    assert needed == {str(one.uuid): 1, str(two.uuid): 1}
    assert set(problem.requests) == set(needed)
    for absent in (full, far, cancelled, foreign):
        assert str(absent.uuid) not in needed
    assert set(problem.key_persons) == {str(world.key_person.uuid), str(kp2.uuid)}
    assert str(other_world.key_person.uuid) not in {k.id for k in problem.instance.key_persons}
    # who already has a request is excluded from it
    req_two = problem.engine_request(str(two.uuid))
    assert req_two is not None and str(kp2.uuid) in req_two.excluded_key_persons


def test_region_instance_ids_and_exclusions(world):
    world.newcomer.excluded_key_persons.add(world.key_person)
    kp2 = f.KeyPersonFactory(region=world.region)
    req = file(world, "Huisartsbezoek", tomorrow(10), newcomer=world.newcomer)
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[kp2])
    services.decline(actor=kp2.user or _login(kp2, world), assignment=a, reason="Ziek")
    problem = matching.region_instance(world.region, *week())
    ereq = problem.engine_request(str(req.uuid))
    assert ereq is not None
    assert ereq.excluded_key_persons == {str(world.key_person.uuid), str(kp2.uuid)}
    assert ereq.municipality == world.municipality.cbs_code
    assert ereq.newcomer == str(world.newcomer.uuid)
    assert ereq.organisation == str(world.organisation.uuid)
    assert problem.newcomer_excluded[str(req.uuid)] == {str(world.key_person.uuid)}


def _login(kp, world):  # type: ignore[no-untyped-def]
    from sleutelnet.core.models import Role

    user = f.member(Role.KEY_PERSON, world.region)
    kp.user = user
    kp.save(update_fields=["user"])
    return user


def test_availability_leaves_out_exceptions_and_time_already_taken(world):
    start = tomorrow(10)
    taken = file(world, "Al toegezegd", start)
    [a] = services.offer(actor=world.coordinator, request=taken, key_persons=[world.key_person])
    services.accept(actor=world.key_person_user, assignment=a)
    day_after = (start + dt.timedelta(days=1)).date()
    AvailabilityException.objects.create(
        key_person=world.key_person, starts_on=day_after, ends_on=day_after
    )
    problem = matching.region_instance(world.region, *week())
    kp = problem.engine_key_person(str(world.key_person.uuid))
    assert kp is not None
    windows = [(w.start, w.end) for w in kp.availability]
    # every window is inside the horizon
    assert all(
        problem.instance.horizon.start <= s < e <= problem.instance.horizon.end for s, e in windows
    )
    # the accepted assignment's time is cut out of tomorrow's 08:00-22:00 (touching is fine)
    assert not any(s < taken.ends_at and taken.starts_at < e for s, e in windows)
    assert any(e == taken.starts_at for s, e in windows) and any(
        s == taken.ends_at for s, e in windows
    )
    # the exception removes the whole day after
    assert not any(s.date() == day_after for s, e in windows)
    # capacity: the month's 20 h minus the 2 h already planned
    assert kp.capacity_hours == pytest.approx(18.0)
    assert problem.capacity_month[str(world.key_person.uuid)] == 20.0


def test_an_open_offer_holds_the_time_too(world):
    taken = file(world, "Aangeboden", tomorrow(10))
    services.offer(actor=world.coordinator, request=taken, key_persons=[world.key_person])
    clash = file(world, "Tegelijk", tomorrow(11))
    problem = matching.region_instance(world.region, *week())
    kp = problem.engine_key_person(str(world.key_person.uuid))
    req = problem.engine_request(str(clash.uuid))
    assert kp is not None and req is not None
    assert not any(w.contains(req.start, req.end) for w in kp.availability)


def test_history_and_load_for_continuity(world):
    from tests.web.conftest import accepted_in_past, report_data

    a = accepted_in_past(world, days_ago=3, newcomer=world.newcomer)
    services.submit_report(actor=world.key_person_user, assignment=a, data=report_data(a))
    services.approve_report(actor=world.coordinator, assignment=a)
    file(world, "Vervolg", tomorrow(10), newcomer=world.newcomer)
    problem = matching.region_instance(world.region, *week())
    kp = problem.engine_key_person(str(world.key_person.uuid))
    assert kp is not None
    assert str(world.newcomer.uuid) in kp.history_newcomers
    assert str(world.organisation.uuid) in kp.history_organisations
    assert kp.load_hours_last_30d == pytest.approx(2.5)


def test_instance_follows_the_contract_and_plans(world):
    f.KeyPersonFactory(region=world.region)
    f.KeyPersonFactory(region=world.region, setup__languages={"ar": 5})
    file(world, "Ochtend", tomorrow(10))
    file(world, "Middag", tomorrow(14), key_persons_needed=2)
    file(world, "Arabisch", tomorrow(10), language=f.language("ar"))
    problem = matching.region_instance(world.region, *week())
    document = io.instance_to_dict(problem.instance)
    assert io.schema_errors(document, "instance") == []
    again = io.load_instance(document)
    assert {r.id for r in again.requests} == {r.id for r in problem.instance.requests}
    result = planner.plan(again, time_limit=5)
    assert len(result.assignments) == 4 and not result.unfilled
    assert io.schema_errors(io.plan_to_dict(result), "plan") == []


def test_region_instance_uses_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    file(world, "Ochtend", tomorrow(10), newcomer=world.newcomer)
    with CaptureQueriesContext(connection) as few:
        matching.region_instance(world.region, *week())
    for _ in range(8):
        f.KeyPersonFactory(region=world.region)
    file(world, "Middag", tomorrow(14))
    with CaptureQueriesContext(connection) as many:
        matching.region_instance(world.region, *week())
    assert len(many) == len(few) <= 17  # +1: the newcomers' consents


# --- several offers at once ------------------------------------------------------------------


def test_offer_plan_sends_each_request_on_its_own(world):
    arabic = f.KeyPersonFactory(region=world.region, setup__languages={"ar": 5})
    good = file(world, "Goed", tomorrow(10))
    bad = file(world, "Niet mogelijk", tomorrow(14))
    with translation.override("en"):
        outcomes = services.offer_plan(
            actor=world.coordinator,
            proposals=[(good, [world.key_person]), (bad, [world.key_person, arabic])],
        )
    assert [o.sent for o in outcomes] == [True, False]
    assert "cannot take this request" in outcomes[1].error
    assert Assignment.objects.filter(
        request=good, key_person=world.key_person, status="offered"
    ).exists()
    assert not Assignment.objects.filter(request=bad).exists()  # nothing half-offered


def test_candidates_read_only_the_continuity_of_this_requests_newcomer(world, monkeypatch):
    """The candidates of a request look up whether each key person worked with *its* newcomer and
    organisation, not every newcomer they ever met (bench/load.py: tens of thousands of rows and
    processing-log lines per page at national scale)."""
    from tests.web.conftest import accepted_in_past, report_data

    other = f.NewcomerFactory(region=world.region, municipality=world.municipality)
    for newcomer, days in ((world.newcomer, 3), (other, 4)):
        a = accepted_in_past(world, days_ago=days, newcomer=newcomer)
        services.submit_report(actor=world.key_person_user, assignment=a, data=report_data(a))
        services.approve_report(actor=world.coordinator, assignment=a)
    req = file(world, "Vervolg", tomorrow(10), newcomer=world.newcomer)
    read: list[tuple[str, int]] = []
    real = matching.processing.note_read
    monkeypatch.setattr(matching.processing, "note_read", lambda kind, pk, *a, **k: (read.append((kind, pk)), real(kind, pk, *a, **k)))

    [(kp, cand)] = [(kp, c) for kp, c in matching.candidates_for(req) if kp.id == world.key_person.id]
    codes = {r.code for r in cand.reasons}
    assert {"knows_newcomer", "knows_organisation"} <= codes
    assert ("newcomer", other.id) not in read and ("newcomer", world.newcomer.id) in read
