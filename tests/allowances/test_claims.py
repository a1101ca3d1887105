"""Expense claims on the portal and the coordinator's decision: pending -> approved or declined
with a reason, never deleted; bad input named on its field, never a 500; receipts checked by
their content and shown only to the key person and the region's coordinators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client

from sleutelnet.allowances import services
from sleutelnet.allowances.models import ClaimReceipt, ClaimStatus, ExpenseClaim
from sleutelnet.core.exceptions import DomainError, InvalidTransition
from sleutelnet.notifications.models import OutboxMessage
from tests.auth import login
from tests.walk import RECEIPT_PNG

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def portal(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.key_person_user)
    return client


def coordinator(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.coordinator)
    return client


def post_claim(client: Client, **fields: object):  # type: ignore[no-untyped-def]
    data = {"kind": "public_transport", "date": dt.date.today().isoformat(), "amount": "7,40", "description": "Bus"} | fields
    return client.post("/me/expenses/new/", {k: v for k, v in data.items() if v is not None})


def errors(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {name: list(errs) for name, errs in response.context["form"].errors.items()}


def test_kilometres_are_paid_at_the_region_rate_of_the_day(world, rate) -> None:
    response = post_claim(portal(world), kind="kilometres", kilometres="24,5", amount=None, description="Naar het azc en terug")
    assert response.status_code == 302, errors(response)
    claim = ExpenseClaim.objects.get(key_person=world.key_person)
    assert (claim.kilometres, claim.per_km, claim.amount, claim.status) == (Decimal("24.5"), Decimal("0.23"), Decimal("5.64"), ClaimStatus.PENDING)
    # a later change of the rate does not change the claim
    rate.per_km = Decimal("0.30")
    rate.save()
    claim.refresh_from_db()
    assert claim.amount == Decimal("5.64")
    assert OutboxMessage.objects.filter(to_email=world.coordinator.email).exists()


def test_public_transport_with_a_receipt_then_approved_by_the_coordinator(world, rate) -> None:
    client = portal(world)
    response = post_claim(client, receipt=SimpleUploadedFile("kaartje.png", RECEIPT_PNG, content_type="image/png"))
    assert response.status_code == 302, errors(response)
    claim = ExpenseClaim.objects.get(key_person=world.key_person)
    assert claim.amount == Decimal("7.40") and claim.receipt.kind == "png"
    page = client.get("/me/expenses/")
    assert "7,40" in page.content.decode() or "7.40" in page.content.decode()
    boss = coordinator(world)
    assert boss.get("/coordinator/claims/").status_code == 200
    response = boss.post(f"/coordinator/claims/{claim.uuid}/", {"action": "approve"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and claim.decided_by == world.coordinator
    # decided is decided: it cannot be declined afterwards
    response = boss.post(f"/coordinator/claims/{claim.uuid}/", {"action": "decline", "reason": "Toch niet"})
    assert response.status_code == 400
    assert response.context["error"], "the refusal is shown"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_a_declined_claim_keeps_its_reason_and_is_never_deleted(world, rate) -> None:
    claim = services.file_claim(actor=world.key_person_user, data=services.ClaimData(
        date=dt.date.today(), kind="other", amount="12.00", description="Koffie voor de groep",
    ))
    boss = coordinator(world)
    response = boss.post(f"/coordinator/claims/{claim.uuid}/", {"action": "decline", "reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    response = boss.post(f"/coordinator/claims/{claim.uuid}/", {"action": "decline", "reason": "Dit valt niet onder de onkosten."})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.decline_reason) == (ClaimStatus.DECLINED, "Dit valt niet onder de onkosten.")
    # there is no way to delete it: DELETE is not a method of the page, and the row stays
    assert boss.delete(f"/coordinator/claims/{claim.uuid}/").status_code == 405
    assert ExpenseClaim.objects.filter(pk=claim.pk).exists()
    assert "Dit valt niet onder de onkosten." in portal(world).get("/me/expenses/").content.decode()
    with pytest.raises(InvalidTransition):
        services.approve_claim(actor=world.coordinator, claim=claim)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": "zeven euro"}, "amount"),
        ({"amount": "-3"}, "amount"),
        ({"amount": "1,234"}, "amount"),
        ({"amount": "99999"}, "amount"),
        ({"date": "2999-01-01"}, "date"),
        ({"date": "31-31-2025"}, "date"),
        ({"kind": "taxi"}, "kind"),
        ({"kind": "kilometres", "kilometres": ""}, "kilometres"),
        ({"kind": "kilometres", "kilometres": "NaN"}, "kilometres"),
        ({"kind": "kilometres", "kilometres": "5000"}, "kilometres"),
        ({"kind": "other", "description": ""}, "description"),
        ({"kind": "other", "description": "BSN 111222333"}, "description"),
        ({}, "receipt"),  # public transport without a receipt
    ],
)
def test_bad_input_is_named_on_its_field_and_nothing_is_saved(world, rate, fields, field) -> None:
    response = post_claim(portal(world), **fields)
    assert response.status_code == 400
    assert field in errors(response), errors(response)
    assert ExpenseClaim.objects.count() == 0


def test_claims_older_than_a_year_are_refused(world, rate) -> None:
    with pytest.raises(DomainError) as refused:
        services.file_claim(actor=world.key_person_user, data=services.ClaimData(
            date=dt.date.today() - dt.timedelta(days=400), kind="other", amount="5", description="Oud",
        ))
    assert refused.value.field == "date"


def test_only_a_key_person_files_a_claim(world, rate) -> None:
    with pytest.raises(DomainError):
        services.file_claim(actor=world.coordinator, data=services.ClaimData(date=dt.date.today(), kind="other", amount="5", description="x"))


# --- receipts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bon.png", b"this is text, not a picture"),
        ("bon.pdf", RECEIPT_PNG),  # a PNG called PDF
        ("bon.jpg", PDF),  # a PDF called JPG
        ("bon.exe", RECEIPT_PNG),
        ("bon.pdf", PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>")),
        ("bon.pdf", b""),
    ],
)
def test_a_receipt_must_be_what_its_name_says(world, rate, name, content) -> None:
    response = post_claim(portal(world), receipt=SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert "receipt" in errors(response), errors(response)
    assert ExpenseClaim.objects.count() == 0 and ClaimReceipt.objects.count() == 0


def test_a_receipt_over_5_mb_is_refused(world, rate) -> None:
    big = RECEIPT_PNG + b"\x00" * (5 * 1024 * 1024)
    response = post_claim(portal(world), receipt=SimpleUploadedFile("groot.png", big))
    assert response.status_code == 400
    assert "receipt" in errors(response)


@pytest.mark.parametrize(("name", "content", "kind"), [("bon.pdf", PDF, "pdf"), ("foto.JPEG", JPEG, "jpeg"), ("foto.jpg", JPEG, "jpeg")])
def test_real_pdfs_and_photos_pass(world, rate, name, content, kind) -> None:
    response = post_claim(portal(world), receipt=SimpleUploadedFile(name, content))
    assert response.status_code == 302, errors(response)
    assert ClaimReceipt.objects.get().kind == kind


def test_the_receipt_is_served_only_to_its_key_person_and_the_coordinators(world, other_world, rate) -> None:
    claim = services.file_claim(actor=world.key_person_user, data=services.ClaimData(
        date=dt.date.today(), kind="public_transport", amount="3.20", receipt=("png", RECEIPT_PNG),
    ))
    url = f"/claims/{claim.uuid}/receipt"
    for client in (portal(world), coordinator(world)):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response.content == RECEIPT_PNG
        assert "no-store" in response["Cache-Control"]
        assert "sandbox" in response["Content-Security-Policy"]
    from sleutelnet.core.models import Role
    from tests import factories as f

    other_kp_user = f.member(Role.KEY_PERSON, world.region)
    f.KeyPersonFactory(region=world.region, user=other_kp_user)
    strangers = [other_kp_user, other_world.coordinator, other_world.key_person_user]
    for user in strangers:
        client = Client()
        login(client, user)
        assert client.get(url).status_code == 404, user
    requester = Client()
    login(requester, world.requester)
    assert requester.get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page
    # the file is kept in the database, never as a file among the static (public) files
    assert not any(isinstance(field, models.FileField) for field in ClaimReceipt._meta.get_fields())
    assert bytes(ClaimReceipt.objects.get(claim=claim).data) == RECEIPT_PNG
    assert not client.get(f"/{settings.STATIC_URL.strip('/')}/receipt-{claim.uuid}.png").status_code == 200


def test_erasing_the_key_person_removes_the_account_the_receipts_and_the_words_but_keeps_the_amounts(world, rate) -> None:
    from sleutelnet.allowances.models import DeclaredAllowance, PaymentDetails
    from sleutelnet.privacy.services import anonymise_key_person_record

    kp = world.key_person
    claim = services.file_claim(actor=world.key_person_user, data=services.ClaimData(
        date=dt.date.today(), kind="public_transport", amount="3.20", description="Bus naar de huisarts", receipt=("png", RECEIPT_PNG),
    ))
    services.set_payment_details(actor=world.coordinator, key_person=kp, iban="NL91ABNA0417164300", account_holder="T. Tester")
    services.declare_allowance(actor=world.coordinator, key_person=kp, month=dt.date.today(), amount="20", organisation="Buurthuis")
    anonymise_key_person_record(kp, activity="data-subject-rights")
    assert not PaymentDetails.objects.filter(key_person=kp).exists()
    assert not DeclaredAllowance.objects.filter(key_person=kp).exists()
    assert not ClaimReceipt.objects.exists()
    claim.refresh_from_db()
    assert (claim.description, claim.amount) == ("", Decimal("3.20"))
    kp.refresh_from_db()
    assert kp.born_on is None
