"""Rights of data subjects: everything held, as a page and as JSON; erasure that leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from sleutelnet.core import processing
from sleutelnet.core.models import ProcessingLogEntry, Role
from sleutelnet.deployments import services
from sleutelnet.people.models import KeyPerson, Newcomer
from sleutelnet.people.services import ConsentData, record_consent
from sleutelnet.privacy.models import DataSubjectRequest
from sleutelnet.privacy.subject_export import COVERAGE, EXPORTED, linked_models
from tests import factories as f
from tests.auth import login
from tests.web.conftest import accepted_in_past, report_data

NEWCOMER_MARKERS = ("ZQ-ERASE-0042", "Zuleikha", "0687654321", "zuleikha.q@example.org")
KEY_PERSON_MARKERS = ("Tesfaye Quintero", "tesfaye.q@example.org", "0611223344")


@pytest.mark.parametrize("subject", [Newcomer, KeyPerson])
def test_every_model_linked_to_a_person_is_exported_or_excluded_with_a_reason(subject):
    covered = COVERAGE[subject._meta.label]
    missing = sorted(linked_models(subject) - set(covered))
    assert not missing, f"Models linked to {subject.__name__} that the export does not cover: {missing}"
    for label, how in covered.items():
        assert how == EXPORTED or len(how) > 20, f"{label}: give the reason it is not exported"


def officer_client(world):  # type: ignore[no-untyped-def]
    officer = f.member(Role.PRIVACY_OFFICER, world.region)
    client = Client(headers={"accept-language": "en"})
    login(client, officer)
    return officer, client


def marked_newcomer(world):  # type: ignore[no-untyped-def]
    nc = f.NewcomerFactory(
        region=world.region, municipality=world.municipality, reference=NEWCOMER_MARKERS[0], display_name=NEWCOMER_MARKERS[1],
        phone=NEWCOMER_MARKERS[2], email=NEWCOMER_MARKERS[3], consent=timezone.localdate() - dt.timedelta(days=20),
    )
    a = accepted_in_past(world, days_ago=2, newcomer=nc, description=f"Met {NEWCOMER_MARKERS[1]} naar school")
    services.submit_report(actor=world.key_person_user, assignment=a, data=report_data(a, outcome=f"{NEWCOMER_MARKERS[1]} is blij"))
    services.approve_report(actor=world.coordinator, assignment=a)
    record_consent(
        actor=world.coordinator, newcomer=nc,
        data=ConsentData(purpose="share_contact", given_on=timezone.localdate(), method="paper", scope="Telefoon delen", request=a.request),
    )
    return nc, a


@pytest.mark.django_db
def test_the_privacy_officer_sees_and_downloads_everything_about_a_newcomer(world):
    nc, a = marked_newcomer(world)
    officer, client = officer_client(world)
    found = client.get("/privacy/subjects/", {"person": nc.reference})
    assert f"/privacy/subjects/newcomers/{nc.uuid}/" in found.content.decode()
    page = client.get(f"/privacy/subjects/newcomers/{nc.uuid}/").content.decode()
    for text in (nc.reference, "Zuleikha is blij", "Telefoon delen", str(a.request.uuid), world.key_person.full_name):
        assert text in page
    response = client.post(f"/privacy/subjects/newcomers/{nc.uuid}/export/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert nc.reference not in response["Content-Disposition"]  # no personal data in the file name
    data = json.loads(response.content)
    assert data["record"]["reference"] == nc.reference and data["record"]["phone"] == NEWCOMER_MARKERS[2]
    assert {c["purpose"] for c in data["consents"]} == {"Support by a key person", "Share contact details with the key person"}
    assert [r["uuid"] for r in data["requests"]] == [str(a.request.uuid)]
    assert data["assignments"][0]["report"]["outcome"] == "Zuleikha is blij"
    assert data["processing_log"] and "legal_basis" in data["processing_log"][0]
    assert "who" not in json.dumps(data["processing_log"])  # the log without who did it
    request = DataSubjectRequest.objects.get()
    assert (request.kind, request.subject, request.handled_by) == ("access", processing.pseudonym("newcomer", nc.pk), officer)
    assert ProcessingLogEntry.objects.filter(operation="export", processing_activity="data-subject-rights", subject=request.subject).exists()


@pytest.mark.django_db
def test_the_key_person_export_holds_profile_account_and_assignments(world):
    a = accepted_in_past(world, days_ago=2)
    _officer, client = officer_client(world)
    data = json.loads(client.post(f"/privacy/subjects/key-persons/{world.key_person.uuid}/export/").content)
    assert data["record"]["full_name"] == world.key_person.full_name
    assert data["account"]["username"] == world.key_person_user.username
    assert data["record"]["languages"] and data["record"]["weekly_availability"]
    assert [x["request"]["uuid"] for x in data["assignments"]] == [str(a.request.uuid)]


@pytest.mark.django_db
def test_erasure_needs_the_reference_typed_and_no_open_request(world):
    nc, _a = marked_newcomer(world)
    open_request = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(newcomer=nc))
    _officer, client = officer_client(world)
    url = f"/privacy/subjects/newcomers/{nc.uuid}/erase/"
    response = client.post(url, {"confirmation": "wrong"})
    assert response.status_code == 400 and 'id="id_confirmation-error"' in response.content.decode()
    response = client.post(url, {"confirmation": nc.reference})
    assert response.status_code == 400 and "still open or confirmed" in response.content.decode()
    assert Newcomer.objects.filter(pk=nc.pk).exists()
    services.cancel_request(actor=world.requester, request=open_request, reason="Niet meer nodig")
    response = client.post(url, {"confirmation": nc.reference.lower(), "note": "Mondeling gevraagd"})
    assert response.status_code == 302
    assert not Newcomer.objects.filter(pk=nc.pk).exists()
    assert ProcessingLogEntry.objects.filter(operation="erase", subject=processing.pseudonym("newcomer", nc.pk)).exists()


def database_dump() -> str:
    """Everything in the database, as text: SQLite's own dump, or pg_dump of the test database."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    s = connection.settings_dict
    env = {"PGPASSWORD": s.get("PASSWORD") or ""}
    result = subprocess.run(
        ["pg_dump", "--data-only", "-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432), "-U", s.get("USER") or "postgres", s["NAME"]],
        capture_output=True, text=True, check=True, env={**env, "PATH": "/usr/bin:/bin"},
    )
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_after_erasing_a_newcomer_the_database_holds_none_of_their_data(vocabulary_again, world):
    nc, _a = marked_newcomer(world)
    _officer, client = officer_client(world)
    client.get(f"/privacy/subjects/newcomers/{nc.uuid}/")  # leaves log lines, by pseudonym only
    before = database_dump()
    assert all(marker in before for marker in NEWCOMER_MARKERS), "the markers must be there to begin with"
    response = client.post(f"/privacy/subjects/newcomers/{nc.uuid}/erase/", {"confirmation": nc.reference})
    assert response.status_code == 302
    after = database_dump()
    left = [marker for marker in NEWCOMER_MARKERS if marker in after]
    assert not left, f"still in the database after erasure: {left}"


@pytest.mark.django_db(transaction=True)
def test_after_erasing_a_key_person_the_database_holds_none_of_their_data(vocabulary_again, world):
    user = f.member(Role.KEY_PERSON, world.region, email=KEY_PERSON_MARKERS[1], first_name="Tesfaye", last_name="Quintero")
    kp = f.KeyPersonFactory(region=world.region, user=user, full_name=KEY_PERSON_MARKERS[0], email=KEY_PERSON_MARKERS[1], phone=KEY_PERSON_MARKERS[2])
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    [offer] = services.offer(actor=world.coordinator, request=req, key_persons=[kp])
    services.decline(actor=user, assignment=offer, reason="Ben op vakantie")  # the coordinator gets a mail naming them
    _officer, client = officer_client(world)
    assert all(marker in database_dump() for marker in KEY_PERSON_MARKERS)
    response = client.post(f"/privacy/subjects/key-persons/{kp.uuid}/erase/", {"confirmation": kp.full_name})
    assert response.status_code == 302, response.content.decode()[:2000]
    after = database_dump()
    left = [marker for marker in KEY_PERSON_MARKERS if marker in after]
    assert not left, f"still in the database after erasure: {left}"
    user.refresh_from_db()
    assert not user.is_active
