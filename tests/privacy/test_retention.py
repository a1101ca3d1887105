"""Retention: what is past its period is anonymised or deleted, the figures stay, a dry run changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from sleutelnet.core import clock, processing
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import AuditLogEntry, ProcessingLogEntry, Role
from sleutelnet.deployments import services
from sleutelnet.deployments.models import ActivityReport, Assignment, Request
from sleutelnet.notifications.models import OutboxMessage, OutboxStatus
from sleutelnet.people.models import KeyPerson, Newcomer
from sleutelnet.privacy import services as privacy
from sleutelnet.privacy.models import RetentionRun
from sleutelnet.reporting.selectors import reach
from tests import factories as f
from tests.auth import login

pytestmark = pytest.mark.django_db

YEARS_AGO_3 = dt.timedelta(days=3 * 365)


def closed_request(world, ago: dt.timedelta, **data):  # type: ignore[no-untyped-def]
    """A request of `ago` ago, offered, accepted, reported and approved, so it closed; all through services."""
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) - ago
    with clock.at(start - dt.timedelta(days=2)):
        req = services.file_request(
            actor=world.requester,
            organisation=world.organisation,
            data=world.request_data(starts_at=start, ends_at=start + dt.timedelta(hours=2), description="Voor Amal, kamer 3", **data),
        )
        [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
        services.accept(actor=world.key_person_user, assignment=a)
    with clock.at(start + dt.timedelta(hours=3)):
        services.submit_report(
            actor=world.key_person_user,
            assignment=a,
            data=services.ReportData(
                date=clock.today(), hours=Decimal("2.5"), roles_used=f.roles("translator"), participants=7,
                participants_little_dutch=4, participants_first_contact=2, outcome="Goed gegaan met Amal",
            ),
        )
        services.approve_report(actor=world.coordinator, assignment=a)
    req.refresh_from_db()
    assert req.status == "closed"
    return req


def long_known_newcomer(world):  # type: ignore[no-untyped-def]
    return f.NewcomerFactory(region=world.region, municipality=world.municipality, consent=timezone.localdate() - 4 * YEARS_AGO_3 / 3)


def old(model, pk, **fields):  # type: ignore[no-untyped-def]
    model.objects.filter(pk=pk).update(**fields)


def test_an_old_request_is_anonymised_and_the_figures_stay(world):
    nc = long_known_newcomer(world)
    req = closed_request(world, YEARS_AGO_3, newcomer=nc)
    recent = closed_request(world, dt.timedelta(days=30))
    period = dict(start=timezone.localdate() - dt.timedelta(days=4 * 365), end=timezone.localdate())
    before = reach(world.policy_officer, **period)

    items, done = privacy.run_retention()
    assert done["request"] == 1
    req.refresh_from_db()
    assert req.anonymised_at is not None and req.newcomer is None and req.description == ""
    assert "Amal" not in req.title + req.place
    a = Assignment.objects.get(request=req)
    assert a.key_person is None and a.match_reasons == []
    report = ActivityReport.objects.get(assignment=a)
    assert report.outcome == "" and report.participants == 7 and report.hours == Decimal("2.5")
    assert report.key_person_id is None  # the copy on the report is cut too
    assert ActivityReport.objects.get(assignment__request=recent).key_person_id == world.key_person.pk
    # the other request is younger than the period: untouched
    recent.refresh_from_db()
    assert recent.anonymised_at is None and "Amal" in recent.description
    after = reach(world.policy_officer, **period)
    assert after.totals == before.totals and after.rows == before.rows and after.hours_by_role == before.hours_by_role
    # one line per person whose data it touched, with the retention activity
    lines = ProcessingLogEntry.objects.filter(operation="anonymise", processing_activity="retention")
    assert {line.subject for line in lines} == {
        processing.pseudonym("newcomer", nc.pk), processing.pseudonym("key_person", world.key_person.pk)
    }
    # running again changes nothing more
    assert privacy.run_retention()[1]["request"] == 0


def test_a_dry_run_lists_what_is_due_and_changes_nothing(world):
    req = closed_request(world, YEARS_AGO_3)
    out = StringIO()
    call_command("retention", "--dry-run", "--ids", stdout=out)
    text = out.getvalue()
    assert f"{world.region.name}: request: would anonymise 1" in text and str(req.uuid) in text
    assert "Dry run: nothing was changed." in text
    req.refresh_from_db()
    assert req.anonymised_at is None
    out = StringIO()
    call_command("retention", stdout=out)
    assert f"{world.region.name}: request: did anonymise 1" in out.getvalue()
    req.refresh_from_db()
    assert req.anonymised_at is not None


def test_the_region_sets_its_own_periods_within_bounds(world):
    officer = f.member(Role.PRIVACY_OFFICER, world.region)
    req = closed_request(world, dt.timedelta(days=400))
    assert not [d for d in privacy.due() if d.kind == "request" and d.region == world.region and d.ids]
    privacy.set_retention(actor=officer, region=world.region, kind="request", months=12)
    [item] = [d for d in privacy.due() if d.kind == "request" and d.region == world.region]
    assert item.ids == [str(req.uuid)]
    for months, field in ((3, "months"), (500, "months")):
        with pytest.raises(DomainError) as err:
            privacy.set_retention(actor=officer, region=world.region, kind="request", months=months)
        assert err.value.field == field
    with pytest.raises(DomainError):
        privacy.set_retention(actor=world.coordinator, region=world.region, kind="request", months=12)


def test_the_privacy_officer_sets_a_period_on_the_retention_page(world):
    officer = f.member(Role.PRIVACY_OFFICER, world.region)
    client = Client(headers={"accept-language": "en"})
    login(client, officer)
    response = client.get("/privacy/retention/")
    assert response.status_code == 200 and "Newcomers without a request" in response.content.decode()
    response = client.post("/privacy/retention/", {"region": str(world.region.uuid), "kind": "newcomer", "months": "2"})
    assert response.status_code == 400 and "Choose between 6 and 120 months." in response.content.decode()
    response = client.post("/privacy/retention/", {"region": str(world.region.uuid), "kind": "newcomer", "months": "12"})
    assert response.status_code == 302
    assert privacy.retention_months(world.region, "newcomer") == 12


def test_newcomers_without_requests_are_erased_after_the_period(world):
    stale = f.NewcomerFactory(region=world.region, municipality=world.municipality, consent=timezone.localdate() - YEARS_AGO_3)
    busy = f.NewcomerFactory(region=world.region, municipality=world.municipality)  # consent 30 days ago
    with_old_request = long_known_newcomer(world)
    closed_request(world, YEARS_AGO_3 - dt.timedelta(days=10), newcomer=with_old_request)
    for nc in (stale, busy, with_old_request):
        old(Newcomer, nc.pk, created_at=timezone.now() - YEARS_AGO_3 - dt.timedelta(days=30))
    privacy.run_retention()
    remaining = set(Newcomer.objects.values_list("pk", flat=True))
    assert stale.pk not in remaining and with_old_request.pk not in remaining  # its request was anonymised first
    assert busy.pk in remaining and world.newcomer.pk in remaining
    assert ProcessingLogEntry.objects.filter(operation="erase", subject=processing.pseudonym("newcomer", stale.pk)).exists()


def test_a_key_person_who_stopped_long_ago_is_anonymised_and_can_no_longer_sign_in(world):
    user = f.member(Role.KEY_PERSON, world.region)
    kp = f.KeyPersonFactory(region=world.region, user=user, full_name="Tesfay Oud", status="stopped", phone="0611112222")
    OutboxMessage.objects.create(to_email=kp.email, subject="Hallo", body="Beste Tesfay Oud", status=OutboxStatus.SENT)
    old(KeyPerson, kp.pk, updated_at=timezone.now() - YEARS_AGO_3)
    privacy.run_retention()
    kp.refresh_from_db()
    user.refresh_from_db()
    assert kp.anonymised_at is not None and "Tesfay" not in kp.full_name and kp.phone == "" and kp.email == ""
    assert not kp.languages.exists() and not kp.availability.exists() and kp.user is None
    assert not user.is_active and not user.has_usable_password() and user.email == ""
    assert not OutboxMessage.objects.filter(body__contains="Tesfay").exists()
    world.key_person.refresh_from_db()
    assert world.key_person.anonymised_at is None  # active key persons stay as they are


def test_old_log_lines_and_sent_mail_are_purged(world):
    client = Client()
    login(client, world.coordinator)
    client.get(f"/coordinator/newcomers/{world.newcomer.uuid}/")
    young = ProcessingLogEntry.objects.count()
    with connection.cursor() as cursor:
        for days in (4 * 365, 5 * 365):
            cursor.execute(
                "INSERT INTO core_processinglogentry (trace_id, operation_id, operation, started_at, ended_at, status, processing_activity, subject_kind, subject, region_id, channel) "
                "VALUES ('t', %s, 'read', %s, %s, 'OK', 'deployment', 'newcomer', 'x', %s, 'web')",
                [f"old{days}", timezone.now() - dt.timedelta(days=days), timezone.now() - dt.timedelta(days=days), world.region.id],
            )
            cursor.execute(
                "INSERT INTO core_auditlogentry (operation_id, trace_id, at, ended_at, actor, actor_roles, channel, view, method, route, outcome, subjects, regions, origin) "
                "VALUES (%s, 't', %s, %s, '', '', 'web', '', '', '', 'OK', 0, ',', '')",
                [f"old{days}", timezone.now() - dt.timedelta(days=days), timezone.now() - dt.timedelta(days=days)],
            )
    sent = OutboxMessage.objects.create(to_email="x@example.org", subject="s", body="b", status=OutboxStatus.SENT)
    pending = OutboxMessage.objects.create(to_email="y@example.org", subject="s", body="b")
    OutboxMessage.objects.filter(pk__in=[sent.pk, pending.pk]).update(created_at=timezone.now() - dt.timedelta(days=100))
    _items, done = privacy.run_retention()
    assert done["processing_log"] == 2 and done["audit_log"] == 2 and done["outbox"] == 1
    assert ProcessingLogEntry.objects.filter(operation_id__startswith="old").count() == 0
    assert ProcessingLogEntry.objects.exclude(processing_activity="retention").count() >= young
    assert OutboxMessage.objects.filter(pk=pending.pk).exists()  # not sent yet: kept
    assert not AuditLogEntry.objects.filter(operation_id__startswith="old").exists()


def test_the_worker_runs_retention_once_a_day(world):
    req = closed_request(world, YEARS_AGO_3)
    night = timezone.localtime().replace(hour=1, minute=0)
    assert privacy.run_daily_retention(now=night) is None  # before RETENTION_HOUR
    morning = night.replace(hour=3)
    step = privacy.run_daily_retention(now=morning)  # the region
    assert step is not None and step.done["request"] == 1 and not step.finished
    step = privacy.run_daily_retention(now=morning)  # the platform-wide logs: done
    assert step is not None and step.finished
    assert privacy.run_daily_retention(now=morning + dt.timedelta(hours=5)) is None
    run = RetentionRun.objects.get(day=morning.date())
    assert run.finished_at is not None and run.counts["request"] == 1
    assert run.done_through_region == world.region.id
    req.refresh_from_db()
    assert req.anonymised_at is not None


def test_the_daily_retention_goes_in_steps_of_a_batch(world, other_world):
    """RETENTION_BATCH records of a kind per worker round: a region with more is taken up again,
    each step commits what it did, and the day's counts add up over the steps."""
    newcomer = long_known_newcomer(world)
    old(Newcomer, newcomer.pk, created_at=timezone.now() - YEARS_AGO_3 - dt.timedelta(days=30))
    mine = [closed_request(world, YEARS_AGO_3 + dt.timedelta(days=i), newcomer=newcomer if i else None) for i in range(3)]
    theirs = closed_request(other_world, YEARS_AGO_3)
    morning = timezone.localtime().replace(hour=3, minute=0)
    steps = []
    while (step := privacy.run_daily_retention(now=morning, limit=2)) is not None:
        steps.append(step)
        assert len(steps) < 10, "the run does not end"
    first, second = sorted([world.region.id, other_world.region.id])
    by_region = {world.region.id: [r.id for r in mine], other_world.region.id: [theirs.id]}
    # first region: 2 then the rest; second region; then the platform-wide logs
    assert [s.done.get("request", 0) for s in steps] == (
        [2, 1, 1, 0] if len(by_region[first]) == 3 else [1, 2, 1, 0]
    )
    assert [s.finished for s in steps] == [False, False, False, True]
    # The newcomer (two of the requests) is erased in the step that finishes their region's
    # requests, not before: erasing them would anonymise their requests outside the batch.
    erased = [s.done.get("newcomer", 0) for s in steps]
    assert erased == ([0, 1, 0, 0] if len(by_region[first]) == 3 else [0, 0, 1, 0])
    assert not Newcomer.objects.filter(pk=newcomer.pk).exists()
    assert RetentionRun.objects.get(day=morning.date()).counts["request"] == 4
    assert Request.objects.filter(id__in=[r.id for r in mine] + [theirs.id], anonymised_at__isnull=True).count() == 0


def test_every_page_still_answers_after_retention(world):
    from django.urls import reverse

    req = closed_request(world, YEARS_AGO_3, newcomer=long_known_newcomer(world))
    a = Assignment.objects.get(request=req)
    privacy.run_retention()
    coordinator, requester = Client(), Client()
    login(coordinator, world.coordinator)
    login(requester, world.requester)
    from tests.auth import api_client

    for client, url in (
        (coordinator, reverse("deployments:coordinator_request", kwargs={"uuid": req.uuid})),
        (coordinator, "/coordinator/?status=closed"),
        (requester, reverse("deployments:request_detail", kwargs={"uuid": req.uuid})),
        (requester, "/requests/"),
    ):
        assert client.get(url).status_code == 200, url
    for user in (world.coordinator, world.requester):
        api = api_client(user)
        for url in (f"/api/v1/requests/{req.uuid}", f"/api/v1/assignments/{a.uuid}", "/api/v1/assignments", "/api/v1/activity-reports", "/api/v1/requests"):
            response = api.get(url)
            assert response.status_code == 200, (url, response.content[:300])
    assert api_client(world.coordinator).get(f"/api/v1/assignments/{a.uuid}").json()["keyPerson"] is None


def test_old_sign_in_attempts_are_deleted(world):
    from axes.models import AccessAttempt

    old_attempt = AccessAttempt.objects.create(username="someone", ip_address="10.0.0.9", user_agent="x", failures_since_start=1)
    recent = AccessAttempt.objects.create(username="other", ip_address="10.0.0.8", user_agent="x", failures_since_start=1)
    AccessAttempt.objects.filter(pk=old_attempt.pk).update(attempt_time=timezone.now() - dt.timedelta(days=31))
    _items, done = privacy.run_retention()
    assert done["login_attempts"] == 1
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]


def test_what_is_due_in_some_regions_is_what_is_due_there(world, other_world):
    """The retention page asks for its officer's regions only: the same items, and no query per
    other region or per kind (the query ceiling walk counts the page)."""
    officer = f.member(Role.PRIVACY_OFFICER, world.region)
    closed_request(world, dt.timedelta(days=400))
    closed_request(other_world, dt.timedelta(days=400))
    privacy.set_retention(actor=officer, region=world.region, kind="request", months=12)

    def shown(items):  # type: ignore[no-untyped-def]
        return [(d.kind, d.region.id if d.region else None, d.cutoff, d.ids, d.count) for d in items]

    everything = privacy.due()
    assert shown(privacy.due(regions=[world.region])) == shown([d for d in everything if d.region == world.region])
    assert privacy.retention_periods([world.region, other_world.region])[(world.region.id, "request")] == 12
    assert privacy.retention_periods([other_world.region])[(other_world.region.id, "request")] == privacy.RETENTION["request"].default
