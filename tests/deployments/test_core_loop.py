"""The core loop through the services: file, offer, accept, report, approve, close."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sleutelnet.core import clock
from sleutelnet.core.exceptions import DomainError, InvalidTransition, NotAllowed
from sleutelnet.deployments import services
from sleutelnet.deployments.models import AssignmentStatus, RequestStatus
from sleutelnet.notifications.models import OutboxMessage
from tests import factories as f


def report_data(**overrides: object) -> services.ReportData:
    values: dict[str, object] = dict(
        date=clock.today(),
        hours=Decimal("2.5"),
        roles_used=f.roles("translator", "educator"),
        participants=12,
        participants_little_dutch=9,
        participants_first_contact=4,
        outcome="Ouders weten nu hoe het rapport werkt.",
    )
    values.update(overrides)
    return services.ReportData(**values)  # type: ignore[arg-type]


def test_whole_loop(world):
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    assert req.status == RequestStatus.OPEN
    assert OutboxMessage.objects.filter(to_email=world.coordinator.email).count() == 1

    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    assert a.status == AssignmentStatus.OFFERED
    assert a.match_reasons  # reasons recorded for the coordinator
    assert OutboxMessage.objects.filter(to_email=world.key_person.email).exists()

    services.accept(actor=world.key_person_user, assignment=a)
    req.refresh_from_db()
    assert req.status == RequestStatus.FILLED
    assert OutboxMessage.objects.filter(to_email=world.requester.email).exists()

    with pytest.raises(InvalidTransition):  # not started yet
        services.submit_report(actor=world.key_person_user, assignment=a, data=report_data())

    with clock.at(req.ends_at + dt.timedelta(hours=1)):
        services.submit_report(
            actor=world.key_person_user, assignment=a, data=report_data(date=timezone.localdate(req.starts_at))
        )
    a.refresh_from_db()
    assert a.status == AssignmentStatus.REPORTED

    services.return_report(actor=world.coordinator, assignment=a, comment="Graag de uren corrigeren.")
    a.refresh_from_db()
    assert a.status == AssignmentStatus.ACCEPTED and a.review_comment

    with clock.at(req.ends_at + dt.timedelta(hours=2)):
        services.submit_report(
            actor=world.key_person_user,
            assignment=a,
            data=report_data(date=timezone.localdate(req.starts_at), hours=Decimal("2")),
        )
    services.approve_report(actor=world.coordinator, assignment=a)
    req.refresh_from_db()
    a.refresh_from_db()
    assert a.status == AssignmentStatus.APPROVED
    assert req.status == RequestStatus.CLOSED
    assert a.report.hours == Decimal("2.0")


def test_invalid_transitions_are_refused(world):
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    with pytest.raises(InvalidTransition):
        services.approve_report(actor=world.coordinator, assignment=a)
    with pytest.raises(NotAllowed):
        services.accept(actor=world.requester, assignment=a)
    with pytest.raises(DomainError) as exc:
        services.decline(actor=world.key_person_user, assignment=a, reason="   ")
    assert exc.value.field == "reason"
    services.decline(actor=world.key_person_user, assignment=a, reason="Ik ben op vakantie.")
    with pytest.raises(InvalidTransition):
        services.accept(actor=world.key_person_user, assignment=a)


def test_offer_refuses_infeasible_key_person_with_reasons(world):
    kp = f.KeyPersonFactory(region=world.region, setup__languages={"ar": 5})
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    with pytest.raises(DomainError) as exc:
        services.offer(actor=world.coordinator, request=req, key_persons=[kp])
    assert "Tigrinya" in str(exc.value) or "Tigrinya" in str(exc.value.message)


def test_request_validation_names_the_field(world):
    data = world.request_data()
    data.ends_at = data.starts_at
    with pytest.raises(DomainError) as exc:
        services.file_request(actor=world.requester, organisation=world.organisation, data=data)
    assert exc.value.field == "ends_at"


def test_requester_of_other_organisation_cannot_file(world, other_world):
    with pytest.raises(NotAllowed):
        services.file_request(actor=other_world.requester, organisation=world.organisation, data=world.request_data())


def test_partly_filled_request_closes_once_it_happened(world):
    req = services.file_request(
        actor=world.requester, organisation=world.organisation, data=world.request_data(key_persons_needed=2)
    )
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    services.accept(actor=world.key_person_user, assignment=a)
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN  # one of two
    with clock.at(req.ends_at + dt.timedelta(hours=1)):
        services.submit_report(
            actor=world.key_person_user, assignment=a, data=report_data(date=timezone.localdate(req.starts_at))
        )
        services.approve_report(actor=world.coordinator, assignment=a)
    req.refresh_from_db()
    assert req.status == RequestStatus.CLOSED


def test_consent_follows_the_clock(world):
    nc = f.NewcomerFactory(region=world.region, municipality=world.municipality, consent=timezone.localdate() + dt.timedelta(days=3))
    assert not nc.has_consent
    with clock.at(timezone.now() + dt.timedelta(days=4)):
        assert nc.has_consent
