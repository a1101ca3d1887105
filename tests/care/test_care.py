"""Care: onboarding to first offer, VOG by the region's rule and its reminders, agreements,
trainings, check-ins, workload and the experience statement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sleutelnet.care import selectors, services
from sleutelnet.care.models import Step, VogReminder
from sleutelnet.core import clock
from sleutelnet.core.exceptions import DomainError, InvalidTransition, NotAllowed
from sleutelnet.deployments import services as deployments
from sleutelnet.notifications.models import OutboxMessage
from sleutelnet.people import services as people
from sleutelnet.people.models import KeyPersonStatus
from tests import factories as f
from tests.auth import login
from tests.reporting.test_indicators import _done

pytestmark = pytest.mark.django_db


def _candidate(world):  # type: ignore[no-untyped-def]
    user = f.member("key_person", world.region)
    return f.KeyPersonFactory(region=world.region, user=user, email=user.email, status="candidate", vog_valid_until=None)


def _onboard(world, kp):  # type: ignore[no-untyped-def]
    today = clock.today()
    c = world.coordinator
    services.complete_step(actor=c, key_person=kp, step=Step.INTAKE, done_on=today)
    course = services.create_course(actor=c, region=world.region, name="Basistraining", kind="basic", days=3, certificate_months=36)
    services.issue_certificate(actor=c, key_person=kp, course=course, issued_on=today)
    services.record_vog(actor=c, key_person=kp, issued_on=today - dt.timedelta(days=10))
    services.record_agreement(actor=c, key_person=kp, kind="volunteer", starts_on=today, signed_on=today,
                              confidentiality_signed_on=today)
    return course


def test_onboarding_to_first_offer(world) -> None:  # type: ignore[no-untyped-def]
    kp = _candidate(world)
    request = deployments.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    with pytest.raises(DomainError):  # a candidate cannot be offered work
        deployments.offer(actor=world.coordinator, request=request, key_persons=[kp])
    with pytest.raises(DomainError) as missing:
        services.activate(actor=world.coordinator, key_person=kp)
    assert "intake" in str(missing.value.message).lower() or "intakegesprek" in str(missing.value.message).lower()
    _onboard(world, kp)
    assert selectors.checklist(kp)[1].done.note == "Basistraining"  # the certificate ticked off the training
    assert not services.missing_steps(kp)
    services.activate(actor=world.coordinator, key_person=kp)
    kp.refresh_from_db()
    assert kp.status == KeyPersonStatus.ACTIVE
    assert OutboxMessage.objects.filter(to_email=kp.email).order_by("-id").first().subject.startswith(("Je kunt", "You can"))
    [a] = deployments.offer(actor=world.coordinator, request=request, key_persons=[kp])
    assert a.key_person == kp
    with pytest.raises(InvalidTransition):
        services.activate(actor=world.coordinator, key_person=kp)


def test_a_candidate_is_not_made_active_by_editing_the_profile(world) -> None:  # type: ignore[no-untyped-def]
    kp = _candidate(world)
    data = people.KeyPersonData(full_name=kp.full_name, status="active", capacity_hours_per_month=Decimal(10))
    with pytest.raises(DomainError) as refused:
        people.update_key_person(actor=world.coordinator, key_person=kp, data=data)
    assert refused.value.field == "status"


def test_only_a_coordinator_of_the_region_does_care(world, other_world) -> None:  # type: ignore[no-untyped-def]
    kp = _candidate(world)
    with pytest.raises(NotAllowed):
        services.complete_step(actor=other_world.coordinator, key_person=kp, step=Step.INTAKE, done_on=clock.today())
    with pytest.raises(NotAllowed):
        services.record_vog(actor=world.requester, key_person=kp, issued_on=clock.today())


def test_vog_is_valid_by_the_regions_rule_and_an_old_one_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    kp = _candidate(world)
    services.record_vog(actor=world.coordinator, key_person=kp, issued_on=dt.date(2026, 3, 1))
    assert kp.__class__.objects.get(pk=kp.pk).vog_valid_until == dt.date(2029, 2, 28)
    world.region.vog_valid_years = 1
    world.region.save()
    with pytest.raises(DomainError) as old:
        services.record_vog(actor=world.coordinator, key_person=kp, issued_on=clock.today() - dt.timedelta(days=400))
    assert old.value.field == "issued_on"
    with pytest.raises(DomainError):
        services.record_vog(actor=world.coordinator, key_person=kp, issued_on=clock.today() + dt.timedelta(days=3))


def test_vog_reminders_go_once_through_the_outbox(world) -> None:  # type: ignore[no-untyped-def]
    kp = world.key_person
    today = clock.today()
    kp.vog_valid_until = today + dt.timedelta(days=60)
    kp.save()
    assert services.send_vog_reminders(today=today) == 1
    assert services.send_vog_reminders(today=today + dt.timedelta(days=1)) == 0  # once
    assert OutboxMessage.objects.filter(to_email=kp.email, subject__contains="VOG").count() == 1
    assert OutboxMessage.objects.filter(to_email=world.coordinator.email, subject__contains=kp.full_name).count() == 1
    assert services.send_vog_reminders(today=today + dt.timedelta(days=46)) == 1  # 14 days before
    assert VogReminder.objects.filter(key_person=kp).count() == 2


def test_agreements(world) -> None:  # type: ignore[no-untyped-def]
    kp, today = world.key_person, clock.today()
    with pytest.raises(DomainError) as rate:
        services.record_agreement(actor=world.coordinator, key_person=kp, kind="volunteer", starts_on=today,
                                  signed_on=today, hourly_rate=Decimal(20))
    assert rate.value.field == "hourly_rate"
    with pytest.raises(DomainError):
        services.record_agreement(actor=world.coordinator, key_person=kp, kind="employment", starts_on=today, signed_on=today)
    first = services.record_agreement(actor=world.coordinator, key_person=kp, kind="volunteer",
                                      starts_on=today - dt.timedelta(days=100), signed_on=today - dt.timedelta(days=100))
    paid = services.record_agreement(actor=world.coordinator, key_person=kp, kind="freelance", starts_on=today,
                                     signed_on=today, hourly_rate=Decimal("32.50"))
    first.refresh_from_db()
    assert first.ends_on == today - dt.timedelta(days=1)
    assert selectors.agreement_on(kp, today) == paid and paid.paid
    assert selectors.agreement_on(kp, today - dt.timedelta(days=5)) == first and not first.paid


def test_trainings_certificates_and_attendance(world) -> None:  # type: ignore[no-untyped-def]
    c = world.coordinator
    course = services.create_course(actor=c, region=world.region, name="Gezondheid", kind="health", certificate_months=24)
    cert = services.issue_certificate(actor=c, key_person=world.key_person, course=course, issued_on=dt.date(2026, 1, 31))
    assert cert.valid_until == dt.date(2028, 1, 30)
    peers = services.create_course(actor=c, region=world.region, name="Intervisie", kind="intervision")
    assert not peers.gives_certificate
    with pytest.raises(DomainError):
        services.issue_certificate(actor=c, key_person=world.key_person, course=peers, issued_on=clock.today())
    session = services.plan_session(actor=c, course=peers, starts_at=timezone.now() - dt.timedelta(days=1), place="Wijkhuis")
    services.record_attendance(actor=c, session=session, present=[world.key_person])
    services.record_attendance(actor=c, session=session, present=[])  # corrected: was not there
    assert not session.attendance.get().attended
    with pytest.raises(DomainError) as bad:
        services.create_course(actor=c, region=world.region, name="", kind="basic")
    assert bad.value.field == "name"


def test_check_in_suggested_after_a_mediation_until_one_is_logged(world) -> None:  # type: ignore[no-untyped-def]
    a = _done(world, 3, report=dict(participants=2, participants_little_dutch=0, participants_first_contact=0), kind="mediation")
    # Seen three weeks after the work (the 3rd of last month is more than 30 days ago early in a month).
    day = timezone.localdate(a.request.starts_at) + dt.timedelta(days=21)
    [s] = selectors.check_in_suggestions([world.region.id], day)
    assert s.key_person == world.key_person and s.reason == "heavy_assignment"
    assert selectors.check_in_suggestions([world.region.id], day + dt.timedelta(days=10)) == []  # past the 30 days
    services.log_check_in(actor=world.coordinator, key_person=world.key_person, on=day, reason="heavy_assignment")
    assert selectors.check_in_suggestions([world.region.id], day) == []


def test_workload_flags_who_does_too_much(world) -> None:  # type: ignore[no-untyped-def]
    _done(world, 1, report=dict(participants=2, participants_little_dutch=0, participants_first_contact=0))
    loads = {x.key_person: x for x in selectors.workload([world.region.id], clock.today())}
    # the fixture's work is last month: this month is empty, the last 90 days are not
    assert loads[world.key_person].last_90_days == Decimal("2.0")
    assert not loads[world.key_person].overloaded
    tomorrow = deployments.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    [a] = deployments.offer(actor=world.coordinator, request=tomorrow, key_persons=[world.key_person])
    deployments.accept(actor=world.key_person_user, assignment=a)
    world.key_person.capacity_hours_per_month = 1
    world.key_person.save()
    # Seen from the day of the assignment (tomorrow may be in the next month); the fixture's work
    # of last month is outside that month.
    day = timezone.localdate(tomorrow.starts_at)
    load = {x.key_person: x for x in selectors.workload([world.region.id], day)}[world.key_person]
    assert load.month == Decimal("2.0") and load.overloaded  # 2 hours planned against 1 of capacity


def test_experience_statement_and_pdf(client, world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidTransition):
        services.sign_experience_statement(actor=world.coordinator, key_person=world.key_person)
    _done(world, 2, report=dict(participants=4, participants_little_dutch=1, participants_first_contact=0, hours=Decimal("2.5")))
    statement = services.sign_experience_statement(actor=world.coordinator, key_person=world.key_person)
    assert statement.content["hours"] == "2.5" and statement.content["activities"] == 1
    assert statement.content["roles"]
    login(client, world.key_person_user)
    assert "PDF" in client.get("/me/experience/").content.decode()
    pdf = client.get("/me/experience.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"


def test_care_page_and_bad_input(client, world) -> None:  # type: ignore[no-untyped-def]
    kp = _candidate(world)
    login(client, world.coordinator)
    page = client.get(f"/coordinator/key-persons/{kp.uuid}/care/")
    assert page.status_code == 200 and kp.full_name in page.content.decode()
    bad = client.post(f"/coordinator/key-persons/{kp.uuid}/care/vog/", {"issued_on": "31-31-2026"})
    assert bad.status_code == 400 and 'id="id_issued_on-error"' in bad.content.decode()
    bad = client.post(f"/coordinator/key-persons/{kp.uuid}/care/agreement/", {"kind": "employment", "starts_on": "2026-11-01", "signed_on": "2026-11-01"})
    assert bad.status_code == 400 and 'id="id_hourly_rate-error"' in bad.content.decode()
    done = client.post(f"/coordinator/key-persons/{kp.uuid}/care/step/", {"step": "intake", "done_on": clock.today().isoformat()})
    assert done.status_code == 302
    refused = client.post(f"/coordinator/key-persons/{kp.uuid}/care/activate/", follow=True)
    assert "alert" in refused.content.decode()
    assert client.get("/coordinator/care/").status_code == 200


def test_date_of_birth_for_the_allowance_limit(client, world) -> None:  # type: ignore[no-untyped-def]
    kp = world.key_person
    services.record_birth_date(actor=world.coordinator, key_person=kp, born_on=dt.date(2006, 5, 4))
    kp.refresh_from_db()
    assert kp.born_on == dt.date(2006, 5, 4)
    with pytest.raises(DomainError) as bad:
        services.record_birth_date(actor=world.coordinator, key_person=kp, born_on=clock.today())
    assert bad.value.field == "born_on"
    login(client, world.coordinator)
    response = client.post(f"/coordinator/key-persons/{kp.uuid}/care/birth-date/", {"born_on": "1890-01-01"})
    assert response.status_code == 400 and 'id="id_born_on-error"' in response.content.decode()


def test_a_course_goes_to_the_region_the_coordinator_chooses(world, other_world, client) -> None:  # type: ignore[no-untyped-def]
    """A coordinator of two regions picks the region of a new course; a region they do not
    coordinate is refused on the field; a coordinator of one region is not asked."""
    from sleutelnet.care.models import Course
    from sleutelnet.core.models import Membership, Role

    coordinator = world.coordinator
    Membership.objects.create(user=coordinator, region=other_world.region, role=Role.COORDINATOR)
    login(client, coordinator)
    page = client.get("/coordinator/trainings/")
    assert page.status_code == 200 and b'name="region"' in page.content and b'type="hidden" name="region"' not in page.content
    data = {"name": "Basistraining Twente", "kind": "basic", "days": "2", "gives_certificate": "on"}
    answer = client.post("/coordinator/trainings/", {**data, "region": other_world.region.pk})
    assert answer.status_code == 302
    assert Course.objects.get(name="Basistraining Twente").region == other_world.region

    stranger = f.RegionFactory(name="Veluwe")
    refused = client.post("/coordinator/trainings/", {**data, "name": "Elders", "region": stranger.pk})
    assert refused.status_code == 400 and not Course.objects.filter(name="Elders").exists()
    assert b'id="id_region"' in refused.content and b"aria-invalid" in refused.content

    login(client, other_world.coordinator)  # one region: the field is hidden and holds it
    page = client.get("/coordinator/trainings/")
    assert b'type="hidden" name="region"' in page.content
    assert f'value="{other_world.region.pk}"'.encode() in page.content
