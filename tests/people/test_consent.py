"""Consent: recorded with who and how, gates every offer, withdrawn (never deleted) with effect."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sleutelnet.core.exceptions import DomainError
from sleutelnet.deployments import services
from sleutelnet.deployments.models import AssignmentStatus
from sleutelnet.notifications.models import OutboxMessage
from sleutelnet.people import services as people_services
from sleutelnet.people.models import Consent, ConsentPurpose
from sleutelnet.people.services import ConsentData
from tests import factories as f
from tests.auth import api_client, login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    from django.utils import translation

    with translation.override("en"):
        yield


def support(**overrides):  # type: ignore[no-untyped-def]
    values = dict(purpose=ConsentPurpose.KEY_PERSON_SUPPORT, given_on=timezone.localdate(), method="verbal", scope="Hulp bij afspraken")
    values.update(overrides)
    return ConsentData(**values)


def without_consent(world):  # type: ignore[no-untyped-def]
    return f.NewcomerFactory(region=world.region, municipality=world.municipality, consent=False, display_name="Hiwet", phone="0612345678", email="hiwet@example.org")


def request_about(world, nc):  # type: ignore[no-untyped-def]
    return services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(newcomer=nc))


def test_no_offer_without_consent_and_one_after_recording_it(world):
    nc = without_consent(world)
    with pytest.raises(DomainError, match="consent"):
        request_about(world, nc)  # filing is refused too
    consent = people_services.record_consent(actor=world.coordinator, newcomer=nc, data=support())
    assert (consent.recorded_by, consent.method, consent.given_on) == (world.coordinator, "verbal", timezone.localdate())
    req = request_about(world, nc)
    people_services.withdraw_consent(actor=world.coordinator, consent=consent, note="Wil liever zelf gaan")
    with pytest.raises(DomainError, match="consent"):
        services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    people_services.record_consent(actor=world.coordinator, newcomer=nc, data=support())
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    assert a.status == AssignmentStatus.OFFERED


def test_withdrawing_stops_open_offers_and_hides_the_newcomer_from_key_persons(world):
    req = request_about(world, world.newcomer)
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    client = Client(headers={"accept-language": "en"})
    login(client, world.key_person_user)
    assert world.newcomer.display_name in client.get("/me/offers/").content.decode()

    consent = world.newcomer.consents.get()
    before = OutboxMessage.objects.count()
    people_services.withdraw_consent(actor=world.coordinator, consent=consent, note="Telefonisch gemeld")
    a.refresh_from_db()
    assert a.status == AssignmentStatus.CANCELLED and "withdrew consent" in a.cancel_reason
    told = set(OutboxMessage.objects.all()[before:].values_list("to_email", flat=True))
    assert world.key_person.email in told and world.coordinator.email in told
    # kept as proof, with who recorded the withdrawal
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate() and consent.withdrawn_by == world.coordinator
    assert Consent.objects.filter(pk=consent.pk).exists()
    with pytest.raises(DomainError, match="already withdrawn"):
        people_services.withdraw_consent(actor=world.coordinator, consent=consent, note="")


def test_a_key_person_sees_the_first_name_only_and_contact_details_only_when_shared(world):
    nc = without_consent(world)
    people_services.record_consent(actor=world.coordinator, newcomer=nc, data=support())
    req = request_about(world, nc)
    other = request_about(world, nc)
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    client = Client(headers={"accept-language": "en"})
    login(client, world.key_person_user)
    kp_api = api_client(world.key_person_user)

    html = client.get("/me/offers/").content.decode()
    assert "Hiwet" in html and nc.reference not in html and "0612345678" not in html
    assert kp_api.get(f"/api/v1/assignments/{a.uuid}").json()["newcomer"] == {"displayName": "Hiwet", "phone": "", "email": ""}

    services.accept(actor=world.key_person_user, assignment=a)
    assert "0612345678" not in client.get("/me/agenda/").content.decode()  # accepted, but not shared

    # consent to share, for the other request only: still nothing here
    people_services.record_consent(
        actor=world.coordinator, newcomer=nc, data=support(purpose=ConsentPurpose.SHARE_CONTACT, request=other, scope="Telefoon")
    )
    assert "0612345678" not in client.get("/me/agenda/").content.decode()
    # for this request: now the key person can call
    people_services.record_consent(
        actor=world.coordinator, newcomer=nc, data=support(purpose=ConsentPurpose.SHARE_CONTACT, request=req, scope="Telefoon")
    )
    html = client.get("/me/agenda/").content.decode()
    assert "0612345678" in html and "hiwet@example.org" in html and nc.reference not in html
    seen = kp_api.get(f"/api/v1/assignments/{a.uuid}").json()["newcomer"]
    assert seen == {"displayName": "Hiwet", "phone": "0612345678", "email": "hiwet@example.org"}
    # requesters get no newcomer details through the assignment
    assert api_client(world.requester).get(f"/api/v1/assignments/{a.uuid}").json()["newcomer"] is None

    people_services.withdraw_consent(actor=world.coordinator, consent=nc.consents.get(purpose="key_person_support"), note="")
    html = client.get("/me/agenda/").content.decode()
    assert "Hiwet" not in html and "0612345678" not in html
    assert kp_api.get(f"/api/v1/assignments/{a.uuid}").json()["newcomer"] is None


def test_consent_errors_name_the_field_and_save_nothing(world):
    nc = without_consent(world)
    cases = [
        (support(given_on=timezone.localdate() + dt.timedelta(days=1)), "given_on"),
        (support(scope=" "), "scope"),
        (support(method="fax"), "method"),
        (support(request=request_about(world, world.newcomer)), "request"),  # support is never for one request
        (support(purpose=ConsentPurpose.SHARE_CONTACT, request=request_about(world, world.newcomer)), "request"),  # not about nc
    ]
    for data, field in cases:
        with pytest.raises(DomainError) as err:
            people_services.record_consent(actor=world.coordinator, newcomer=nc, data=data)
        assert err.value.field == field
    assert not nc.consents.exists()
    with pytest.raises(DomainError):
        people_services.record_consent(actor=world.requester, newcomer=nc, data=support())


def test_the_coordinator_records_and_withdraws_consent_on_the_newcomers_page(world):
    nc = without_consent(world)
    client = Client(headers={"accept-language": "en"})
    login(client, world.coordinator)
    page = f"/coordinator/newcomers/{nc.uuid}/"
    assert "There is no consent to support by a key person" in client.get(page).content.decode()
    response = client.post(f"{page}consent/", {"purpose": "key_person_support", "given_on": "", "method": "paper", "scope": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_given_on-error"' in html and 'id="id_scope-error"' in html
    response = client.post(
        f"{page}consent/",
        {"purpose": "key_person_support", "given_on": timezone.localdate().isoformat(), "method": "paper", "scope": "Afspraken GGD", "text_version": "2026-01"},
    )
    assert response.status_code == 302
    consent = nc.consents.get()
    assert consent.recorded_by == world.coordinator and consent.text_version == "2026-01"
    html = client.get(page).content.decode()
    assert "Afspraken GGD" in html and "Holds" in html
    response = client.post(f"/coordinator/consents/{consent.uuid}/withdraw/", {"note": "Per brief"})
    assert response.status_code == 302
    html = client.get(page).content.decode()
    assert "Withdrawn" in html and "Per brief" in html


def test_the_plan_leaves_out_requests_without_consent(world):
    from sleutelnet.deployments import matching

    req = request_about(world, world.newcomer)
    people_services.withdraw_consent(actor=world.coordinator, consent=world.newcomer.consents.get(), note="")
    start = timezone.now()
    problem = matching.region_instance(world.region, start, start + dt.timedelta(days=7))
    assert str(req.uuid) not in {r.id for r in problem.instance.requests}
