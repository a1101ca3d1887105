"""The demo region: loads through the services, once, the same every time, with working logins.

Loading takes several seconds, so this module loads twice in all: the first load is rolled
back after its fingerprint is taken, the second stays for the other tests (and is rolled back
when the module ends).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from sleutelnet.core.models import Membership, Municipality, Organisation, Region, Role, User
from sleutelnet.demo import data
from sleutelnet.demo.region import LoadResult, demo_logins, format_logins, load_demo
from sleutelnet.deployments.models import (
    ActivityReport,
    Assignment,
    AssignmentStatus,
    Request,
    RequestStatus,
)
from sleutelnet.notifications.models import OutboxMessage, OutboxStatus
from sleutelnet.people.models import KeyPerson, Newcomer


def fingerprint() -> list[tuple[object, ...]]:
    """What the demo holds, without timestamps or generated ids."""
    rows: list[tuple[object, ...]] = []
    requests = (
        Request.objects.filter(region__name=data.REGION_NAME)
        .select_related("language", "municipality", "organisation", "requested_by", "newcomer")
        .prefetch_related("assignments__key_person", "assignments__report")
    )
    for r in requests.order_by("starts_at", "title"):
        assignments = sorted(
            (
                a.key_person.full_name,
                a.status,
                a.decline_reason,
                a.cancel_reason,
                a.review_comment,
                str(a.report.hours) if hasattr(a, "report") else "",
                a.report.participants if hasattr(a, "report") else -1,
            )
            for a in r.assignments.all()
        )
        rows.append(
            (
                r.title,
                r.status,
                r.kind,
                r.language.tag,
                r.municipality.cbs_code,
                r.organisation.name,
                r.requested_by.username,
                r.key_persons_needed,
                r.cancel_reason,
                r.newcomer.reference if r.newcomer else "",
                tuple(assignments),
            )
        )
    rows.sort()  # requests at the same moment with the same title: any database order is fine
    for kp in KeyPerson.objects.filter(region__name=data.REGION_NAME).order_by("full_name"):
        rows.append(
            (kp.full_name, kp.status, kp.vog_valid_until, kp.user.username if kp.user else "")
        )
    for nc in Newcomer.objects.filter(region__name=data.REGION_NAME).order_by("reference"):
        given = sorted(c.given_on for c in nc.consents.all())
        rows.append((nc.reference, nc.display_name, nc.municipality.name, tuple(given)))
    return rows


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Region,
            Municipality,
            Organisation,
            User,
            Membership,
            KeyPerson,
            Newcomer,
            Request,
            Assignment,
            ActivityReport,
            OutboxMessage,
        )
    }


@dataclass
class Loaded:
    first: LoadResult
    second: LoadResult
    first_fingerprint: list[tuple[object, ...]]
    second_fingerprint: list[tuple[object, ...]]


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[Loaded]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        with transaction.atomic():
            first = load_demo()
            first_fingerprint = fingerprint()
            transaction.set_rollback(True)  # back to an empty database for the second load
        outer = transaction.atomic()
        outer.__enter__()
        try:
            second = load_demo()
            yield Loaded(first, second, first_fingerprint, fingerprint())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_loads_a_complete_region(demo: Loaded, db: None) -> None:
    assert demo.first.created and demo.second.created
    assert demo.second.skipped == []  # the services accepted every step of the history
    region = Region.objects.get(name=data.REGION_NAME)
    assert sorted(region.municipalities.values_list("cbs_code", flat=True)) == sorted(
        ["GM0197", "GM1859", "GM1876", "GM0222", "GM1955", "GM1586", "GM1509", "GM0294"]
    )
    assert 12 <= region.organisations.count() <= 20
    assert 20 <= KeyPerson.objects.filter(region=region).count() <= 30
    assert 50 <= Newcomer.objects.filter(region=region).count() <= 70
    requests = Request.objects.filter(region=region)
    assert 150 <= requests.count() <= 250
    assert set(requests.values_list("status", flat=True)) == set(RequestStatus.values)
    assignments = Assignment.objects.filter(request__region=region)
    assert set(assignments.values_list("status", flat=True)) == set(AssignmentStatus.values)
    assert requests.values("organisation").distinct().count() >= 8
    assert requests.values("requested_by").distinct().count() >= 8


def test_history_has_every_kind_of_work(demo: Loaded, db: None) -> None:
    requests = Request.objects.filter(region__name=data.REGION_NAME)
    now = timezone.now()
    ahead = requests.filter(starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=21))
    # The coordinator's queue: the plan is relative to today, so the count moves with the weekday
    # and the hour it is loaded (27 was seen loading just before midnight).
    assert 8 <= ahead.filter(status=RequestStatus.OPEN).count() <= 30
    assert ahead.filter(status=RequestStatus.FILLED).exists()
    assert requests.filter(status=RequestStatus.CANCELLED).exclude(cancel_reason="").count() >= 5
    assert not requests.filter(status=RequestStatus.CANCELLED, cancel_reason="").exists()
    assert requests.filter(needs_certified_interpreter=True).exists()
    assert len(set(requests.values_list("kind", flat=True))) >= 6
    assigned = Assignment.objects.filter(request__region__name=data.REGION_NAME)
    assert not assigned.filter(status=AssignmentStatus.DECLINED, decline_reason="").exists()
    assert (
        assigned.filter(status=AssignmentStatus.ACCEPTED).exclude(review_comment="").exists()
    )  # sent back
    reach = ActivityReport.objects.filter(assignment__status=AssignmentStatus.APPROVED).aggregate(
        hours=Sum("hours"),
        participants=Sum("participants"),
        little=Sum("participants_little_dutch"),
        first=Sum("participants_first_contact"),
    )
    assert all(value and value > 0 for value in reach.values()), reach
    roles_per_report = Counter(r.roles_used.count() for r in ActivityReport.objects.all())
    assert (
        sum(n for k, n in roles_per_report.items() if k >= 2) > sum(roles_per_report.values()) / 2
    )
    # The demo e-mail belongs to the past: nothing waits for the worker.
    assert not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists()


def test_demo_key_person_has_work_waiting(demo: Loaded, db: None) -> None:
    user = User.objects.get(username="sleutelpersoon")
    kp = user.key_person
    assert (
        kp.full_name == data.DEMO_KEY_PERSON and kp.languages.filter(language__code="ti").exists()
    )
    now = timezone.now()
    mine = Assignment.objects.filter(key_person=kp)
    assert mine.filter(status=AssignmentStatus.OFFERED, request__starts_at__gt=now).count() >= 2
    assert (
        mine.filter(status=AssignmentStatus.ACCEPTED, request__starts_at__lt=now).count() >= 2
    )  # to report
    assert mine.filter(
        status=AssignmentStatus.ACCEPTED, request__starts_at__gt=now
    ).exists()  # agenda
    assert mine.filter(status=AssignmentStatus.APPROVED).count() >= 5


def test_second_load_changes_nothing(demo: Loaded, db: None) -> None:
    before = counts()
    result = load_demo()
    assert not result.created
    assert counts() == before


def test_two_loads_give_the_same_data(demo: Loaded, db: None) -> None:
    # (`db` keeps this test beside the others, so pytest-django's reordering cannot split the module)
    assert demo.first_fingerprint == demo.second_fingerprint
    assert demo.first.counts == demo.second.counts


def test_every_login_works(demo: Loaded, db: None) -> None:
    rows = demo_logins()
    assert [r.username for r in rows] == [
        "coordinator",
        "requester",
        "sleutelpersoon",
        "beleid",
        "privacy",
        "admin",
    ]
    expected_role = {
        "coordinator": Role.COORDINATOR,
        "requester": Role.REQUESTER,
        "sleutelpersoon": Role.KEY_PERSON,
        "beleid": Role.POLICY_OFFICER,
        "privacy": Role.PRIVACY_OFFICER,
        "admin": Role.ADMINISTRATOR,
    }
    from django.test import RequestFactory
    from django_otp import match_token

    from sleutelnet.demo.data import DEMO_SECOND_FACTOR

    for row in rows:
        user = authenticate(RequestFactory().post("/login/"), username=row.username, password=row.password)
        assert user is not None, row.username
        assert user.email.endswith("@example.org")
        assert Membership.objects.filter(user=user, role=expected_role[row.username]).exists()
        # the demo's second step works for the demo accounts (and only outside production)
        assert match_token(user, DEMO_SECOND_FACTOR) is not None
        assert match_token(user, "000000") is None
    assert User.objects.get(username="admin").is_superuser
    assert Membership.objects.get(user__username="requester").organisation is not None


def test_command_prints_the_logins_when_the_region_exists(demo: Loaded, db: None) -> None:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "already exists" in text
    assert format_logins() in text
    for row in demo_logins():
        assert row.username in text


def test_the_demo_holds_signals_in_every_state_and_consultations_to_the_outcome(db):
    from sleutelnet.demo.region import load_demo
    from sleutelnet.voice.models import Consultation, ConsultationStatus, Signal, SignalStatus

    load_demo()
    statuses = set(Signal.objects.values_list("status", flat=True))
    assert set(SignalStatus.values) <= statuses
    assert Signal.objects.filter(merged_into__isnull=False).exists() and Signal.objects.filter(reopened__gt=0).exists()
    assert Signal.objects.filter(published=True).exists()
    assert set(Consultation.objects.values_list("status", flat=True)) >= {ConsultationStatus.OPEN, ConsultationStatus.PUBLISHED}
    assert Consultation.objects.filter(kind="meeting", minutes__gt="").exists()
    published = Consultation.objects.get(status=ConsultationStatus.PUBLISHED)
    assert published.answers.exists() and published.advice_points.count() == 3


def test_the_demo_region_has_figures(demo: Loaded, db: None, client) -> None:  # type: ignore[no-untyped-def]
    """The dashboards work on the demo region: the rollups hold what the approved reports hold."""
    from sleutelnet.reporting import selectors
    from sleutelnet.reporting.periods import Period
    from tests.auth import login

    region = Region.objects.get(name=data.REGION_NAME)
    approved = ActivityReport.objects.filter(assignment__status=AssignmentStatus.APPROVED)
    first = approved.order_by("date").values_list("date", flat=True).first()
    year_figures = [
        selectors.figures(selectors.Scope(regions=[region.id]), Period("year", dt.date(y, 1, 1))).current
        for y in range(first.year, timezone.localdate().year + 1)
    ]
    assert sum(f.totals.count for f in year_figures) == approved.count()
    assert sum(f.totals.participants for f in year_figures) == approved.aggregate(p=Sum("participants"))["p"]
    assert sum(f.received for f in year_figures) == Request.objects.filter(region=region).count()
    login(client, User.objects.get(username="beleid"))
    html = client.get("/policy/figures/").content.decode()
    assert html.count("data:image/svg+xml;base64,") >= 10
    login(client, User.objects.get(username="coordinator"))
    assert client.get("/coordinator/today/").status_code == 200


def test_the_demo_has_key_persons_in_every_stage_of_care(demo: Loaded, db: None) -> None:
    from sleutelnet.care import selectors as care
    from sleutelnet.care.models import Agreement, Attendance, Certificate, ExperienceStatement

    region = Region.objects.get(name=data.REGION_NAME)
    stages = care.pipeline([region.id])
    assert all(stage.people for stage in stages), [(s.step, len(s.people)) for s in stages]
    names = list(KeyPerson.objects.filter(region=region).values_list("full_name", flat=True))
    assert len(names) == len(set(names)), "two demo key persons with one name"
    assert Agreement.objects.filter(key_person__region=region, kind="freelance", hourly_rate__gt=0).exists()
    assert Certificate.objects.filter(key_person__region=region, course__kind="basic").count() >= 20
    assert Attendance.objects.filter(session__course__kind="intervision", attended=True).exists()
    assert ExperienceStatement.objects.filter(key_person__full_name=data.DEMO_KEY_PERSON).exists()
