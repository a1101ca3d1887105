"""Onboarding in headless Chromium: a coordinator takes a candidate through every step, makes
them active and offers them their first request; the key person sees it on the phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sleutelnet.care import services as care
from sleutelnet.deployments import services as deployments
from sleutelnet.deployments.models import Assignment
from tests import factories as f
from tests.browser.conftest import login
from tests.browser.test_figures import _axe
from tests.conftest import make_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_onboarding_to_first_offer(live_server, new_page):  # type: ignore[no-untyped-def]
    world = make_world()
    user = f.member("key_person", world.region)
    kp = f.KeyPersonFactory(region=world.region, user=user, email=user.email, status="candidate", vog_valid_until=None)
    care.create_course(actor=world.coordinator, region=world.region, name="Basistraining", kind="basic", days=3)
    request = deployments.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(title="Eerste inzet"))
    today = timezone.localdate().isoformat()
    page = new_page(locale="en-GB", width=1280, height=900)
    login(page, live_server, world.coordinator.username, PASSWORD)
    page.goto(f"{live_server.url}/coordinator/key-persons/{kp.uuid}/")
    page.get_by_role("link", name="Onboarding, trainings and care").click()
    _axe(page, "care page")
    # too early: the page says what is missing, nothing changes
    page.get_by_role("button", name="Make active: can be offered work").click()
    assert "Not every step is done yet" in page.locator(".alert, .messages").first.inner_text()
    page.select_option("#id_step", "intake")
    page.fill("#id_done_on", today)
    page.get_by_role("button", name="Save step").click()
    page.select_option("#id_course", label="Basistraining")
    page.locator("form[action$='/care/certificate/'] #id_issued_on").fill(today)
    page.get_by_role("button", name="Record certificate").click()
    page.locator("form[action$='/care/vog/'] #id_issued_on").fill((timezone.localdate() - dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Record VOG").click()
    page.fill("#id_confidentiality_signed_on", today)
    page.get_by_role("button", name="Record agreement").click()
    assert page.locator(".checklist__item--done").count() == 5
    page.get_by_role("button", name="Make active: can be offered work").click()
    assert "can be offered work" in page.locator(".alert, .messages").first.inner_text()
    kp.refresh_from_db()
    assert kp.status == "active"
    # the first offer
    page.goto(f"{live_server.url}/coordinator/requests/{request.uuid}/")
    page.check(f"input[name=key_persons][value='{kp.uuid}']")
    page.get_by_role("button", name="Offer to the ticked key persons").click()
    page.wait_for_load_state()
    assert Assignment.objects.filter(request=request, key_person=kp, status="offered").exists()
    phone = new_page(locale="nl-NL", width=360, height=740)
    login(phone, live_server, user.username, PASSWORD)
    phone.goto(f"{live_server.url}/me/offers/")
    assert "Eerste inzet" in phone.content()


def test_month_end_settlement(live_server, new_page):  # type: ignore[no-untyped-def]
    """A key person claims kilometres on the phone; at the end of the month the coordinator
    approves the claim and the statement, and downloads the SEPA file for the bank."""
    import xml.etree.ElementTree as ET  # noqa: N817
    from decimal import Decimal

    from sleutelnet.allowances import services as allowances
    from sleutelnet.allowances.models import AllowanceRate, PaymentSettings
    from tests.allowances.conftest import worked

    world = make_world()
    AllowanceRate.objects.create(region=world.region, valid_from=dt.date(2020, 1, 1), per_hour=Decimal("5.00"), per_km=Decimal("0.23"))
    PaymentSettings.objects.create(region=world.region, debtor_name="Regio Achterhoek", iban="NL91ABNA0417164300", bic="ABNANL2A")
    allowances.set_payment_details(actor=world.coordinator, key_person=world.key_person, iban="NL20INGB0001234567", account_holder="H. Tesfay")
    first = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    worked(world, first + dt.timedelta(days=9), "3")  # 3 approved hours last month: € 15.00
    phone = new_page(locale="en-GB", width=360, height=740)
    login(phone, live_server, world.key_person_user.username, PASSWORD)
    phone.goto(f"{live_server.url}/me/expenses/new/")
    phone.check("input[name=kind][value=kilometres]")
    phone.fill("#id_date", (first + dt.timedelta(days=9)).isoformat())
    phone.fill("#id_kilometres", "20")
    phone.get_by_role("button", name="Send to the coordinator").click()
    phone.wait_for_url("**/me/expenses/")
    page = new_page(locale="en-GB", width=1280, height=900)
    login(page, live_server, world.coordinator.username, PASSWORD)
    page.goto(f"{live_server.url}/coordinator/claims/")
    page.locator("main a[href^='/coordinator/claims/']").first.click()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/coordinator/allowances/key-persons/{world.key_person.uuid}/?month={first:%Y-%m}")
    page.get_by_role("button", name="Approve this statement").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/coordinator/allowances/?month={first:%Y-%m}")
    with page.expect_download() as download:
        page.get_by_role("link", name="SEPA file for the bank (XML)").click()
    root = ET.parse(download.value.path())  # noqa: S314 - our own export
    ns = {"p": root.getroot().tag.split("}")[0].strip("{")}
    amounts = [Decimal(a.text) for a in root.getroot().iterfind(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", ns)]
    assert amounts == [Decimal("19.60")]  # 3 h x 5.00 + 20 km x 0.23
