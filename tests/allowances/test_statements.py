"""Monthly statements (frozen at approval, nothing paid twice), the payment export (CSV, XLSX,
SEPA) and the warnings on the offer and approval pages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own export in a test
from decimal import Decimal

import pytest
from django.test import Client
from freezegun import freeze_time
from openpyxl import load_workbook

from sleutelnet.allowances import services
from sleutelnet.allowances.iban import format_iban, is_valid_iban
from sleutelnet.allowances.models import (
    AllowanceRate,
    ExpenseClaim,
    MonthlyStatement,
    PaymentSettings,
    StatementLine,
)
from sleutelnet.allowances.selectors import statement_of
from sleutelnet.core import clock
from sleutelnet.core.exceptions import DomainError, InvalidTransition
from sleutelnet.core.models import Role
from sleutelnet.deployments import services as deployments
from sleutelnet.people.models import KeyPerson
from tests import factories as f
from tests.allowances.conftest import at, worked
from tests.auth import login

pytestmark = pytest.mark.django_db

D = Decimal
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}
#: Columns of the payment export: key person, IBAN, total.
NAME, IBAN, TOTAL = 0, 2, 10
#: Valid test IBANs (the check digits are right).
IBAN_REGION, IBAN_ONE, IBAN_TWO = "NL91ABNA0417164300", "NL44RABO0123456789", "NL20INGB0001234567"


def coordinator(world) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    login(client, world.coordinator)
    return client


def test_the_iban_check_is_mod_97() -> None:
    assert is_valid_iban(IBAN_REGION) and is_valid_iban("nl91 abna 0417 1643 00")
    assert not is_valid_iban("NL91ABNA0417164301")  # one digit off
    assert not is_valid_iban("NL91ABNA041716430")  # one short for NL
    assert not is_valid_iban("")
    assert format_iban(IBAN_REGION) == "NL91 ABNA 0417 1643 00"


def test_approval_freezes_the_amounts_and_late_work_goes_on_the_next_statement(world, rate) -> None:
    kp = world.key_person
    worked(world, dt.date(2025, 1, 6), "4")
    worked(world, dt.date(2025, 1, 20), "6")  # 10 h × € 5.00
    with clock.at(at(dt.date(2025, 1, 21))):
        claim = services.file_claim(actor=world.key_person_user, data=services.ClaimData(date=dt.date(2025, 1, 21), kind="kilometres", kilometres="10"))
        services.approve_claim(actor=world.coordinator, claim=claim)
    late = worked(world, dt.date(2025, 1, 28), "3", approve=False)  # filed, not yet approved
    with clock.at(at(dt.date(2025, 2, 3))):
        draft = statement_of(kp, dt.date(2025, 1, 1))
        assert (draft.volunteer_hours, draft.volunteer_amount, draft.expenses, draft.total) == (D("10.0"), D("50.00"), D("2.30"), D("52.30"))
        statement = services.approve_statement(actor=world.coordinator, key_person=kp, month=dt.date(2025, 1, 15))
    assert (statement.month, statement.total, statement.expenses) == (dt.date(2025, 1, 1), D("52.30"), D("2.30"))
    assert StatementLine.objects.filter(statement=statement).count() == 2
    assert ExpenseClaim.objects.get(pk=claim.pk).statement == statement
    # the rate changes afterwards, with effect from before January: the approved month does not move
    AllowanceRate.objects.create(region=world.region, valid_from=dt.date(2024, 12, 1), per_hour=D("4.00"))
    statement.refresh_from_db()
    again = statement_of(kp, dt.date(2025, 1, 1))
    assert (again.approved, again.total, again.volunteer_amount) == (statement, D("52.30"), D("50.00"))
    # once approved, a month cannot be approved again
    with pytest.raises(InvalidTransition):
        services.approve_statement(actor=world.coordinator, key_person=kp, month=dt.date(2025, 1, 1))
    # the January report approved in February goes on February's statement, at the rate of its day
    with clock.at(at(dt.date(2025, 2, 4))):
        deployments.approve_report(actor=world.coordinator, assignment=late)
    february = statement_of(kp, dt.date(2025, 2, 1))
    assert [(line.day, line.hours, line.rate) for line in february.lines] == [(dt.date(2025, 1, 28), D("3.0"), D("4.00"))]
    assert february.total == D("12.00")
    with clock.at(at(dt.date(2025, 3, 1))):
        services.approve_statement(actor=world.coordinator, key_person=kp, month=dt.date(2025, 2, 1))
    # nothing is left to pay twice
    assert statement_of(kp, dt.date(2025, 3, 1)).is_empty
    with clock.at(at(dt.date(2025, 3, 2))), pytest.raises(DomainError):
        services.approve_statement(actor=world.coordinator, key_person=kp, month=dt.date(2025, 3, 1))


def test_a_month_cannot_be_approved_before_it_starts_nor_by_another_region(world, other_world, rate) -> None:
    worked(world, dt.date(2025, 4, 7), "2")
    with clock.at(at(dt.date(2025, 4, 8))):
        with pytest.raises(DomainError):
            services.approve_statement(actor=world.coordinator, key_person=world.key_person, month=dt.date(2025, 5, 1))
        with pytest.raises(DomainError):
            services.approve_statement(actor=other_world.coordinator, key_person=world.key_person, month=dt.date(2025, 4, 1))


def test_the_month_page_lists_volunteers_and_paid_key_persons_apart_and_approves(world, rate) -> None:
    from sleutelnet.care.models import Agreement

    paid_user = f.member(Role.KEY_PERSON, world.region)
    paid = f.KeyPersonFactory(region=world.region, user=paid_user, full_name="Betaalde Cultuurverbinder", capacity_hours_per_month=200)
    Agreement.objects.create(
        key_person=paid, kind="freelance", starts_on=dt.date(2024, 1, 1), hourly_rate=D("30.00"), signed_on=dt.date(2024, 1, 1), recorded_by=world.coordinator
    )
    worked(world, dt.date(2025, 6, 2), "3")
    worked(world, dt.date(2025, 6, 3), "4", kp=paid, user=paid_user)
    client = coordinator(world)
    with freeze_time("2025-07-02 10:00"):
        page = client.get("/coordinator/allowances/?month=2025-06")
        assert page.status_code == 200
        body = page.content.decode()
        volunteers, paid_part = body.split('id="paid-caption"')
        assert world.key_person.full_name in volunteers and "Betaalde Cultuurverbinder" not in volunteers
        assert "Betaalde Cultuurverbinder" in paid_part and "120,00" in paid_part
        response = client.post(f"/coordinator/allowances/key-persons/{world.key_person.uuid}/approve/", {"month": "2025-06"})
        assert response.status_code == 302
        assert MonthlyStatement.objects.get(key_person=world.key_person).total == D("15.00")
        bad = client.post(f"/coordinator/allowances/key-persons/{world.key_person.uuid}/approve/", {"month": "juni"})
        assert bad.status_code == 302 and MonthlyStatement.objects.count() == 1
        assert client.get(f"/coordinator/allowances/key-persons/{paid.uuid}/?month=2025-06").status_code == 200


def test_declaring_and_the_account_number_on_the_key_person_page(world, rate) -> None:
    client = coordinator(world)
    url = f"/coordinator/allowances/key-persons/{world.key_person.uuid}/"
    bad = client.post(url + "payment-details/", {"iban": "NL91ABNA0417164301", "account_holder": "T. Tester"})
    assert bad.status_code == 400 and "iban" in bad.context["payment_form"].errors
    good = client.post(url + "payment-details/", {"iban": "nl91 abna 0417 1643 00", "account_holder": "T. Tester"})
    assert good.status_code == 302
    world.key_person.refresh_from_db()
    assert world.key_person.payment_details.iban == IBAN_REGION
    bad = client.post(url + "declare/", {"month": "2025-13", "amount": "50", "organisation": "Bibliotheek"})
    assert bad.status_code == 400 and "month" in bad.context["declare_form"].errors
    bad = client.post(url + "declare/", {"month": "2025-03", "amount": "veel", "organisation": "Bibliotheek"})
    assert bad.status_code == 400 and "amount" in bad.context["declare_form"].errors
    good = client.post(url + "declare/", {"month": "2025-03", "amount": "50,00", "organisation": "Bibliotheek"})
    assert good.status_code == 302
    page = client.get(url + "?month=2025-03")
    assert "Bibliotheek" in page.content.decode()


# --- the payment export -------------------------------------------------------------------------


@pytest.fixture
def june(world, rate):  # type: ignore[no-untyped-def]
    """Two key persons with an approved statement for June 2025, and the region's own account."""
    second_user = f.member(Role.KEY_PERSON, world.region)
    second = f.KeyPersonFactory(region=world.region, user=second_user, full_name="=HYPERLINK(\"x\")", capacity_hours_per_month=200)
    worked(world, dt.date(2025, 6, 9), "3")  # € 15.00
    worked(world, dt.date(2025, 6, 10), "2.5", kp=second, user=second_user)  # € 12.50
    for kp, iban in ((world.key_person, IBAN_ONE), (second, IBAN_TWO)):
        services.set_payment_details(actor=world.coordinator, key_person=kp, iban=iban, account_holder=f"Rekening {iban[-4:]}")
        with clock.at(at(dt.date(2025, 7, 1))):
            services.approve_statement(actor=world.coordinator, key_person=kp, month=dt.date(2025, 6, 1))
    PaymentSettings.objects.create(region=world.region, debtor_name="Regio Achterhoek", iban=IBAN_REGION, bic="ABNANL2A")
    return second


def test_the_csv_and_xlsx_export_hold_the_approved_statements(world, june) -> None:
    client = coordinator(world)
    response = client.get("/coordinator/allowances/export.csv?month=2025-06")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert len(header) == 16
    by_iban = {row[IBAN]: row for row in data}
    assert set(by_iban) == {IBAN_ONE, IBAN_TWO}
    assert by_iban[IBAN_ONE][TOTAL] == "15.00"
    assert by_iban[IBAN_TWO][TOTAL] == "12.50"
    assert by_iban[IBAN_TWO][NAME].startswith("'=")  # no formula in a spreadsheet
    response = client.get("/coordinator/allowances/export.xlsx?month=2025-06")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert sorted((row[IBAN], row[TOTAL]) for row in values[1:]) == [(IBAN_TWO, 12.5), (IBAN_ONE, 15)]
    assert client.get("/coordinator/allowances/export.pdf?month=2025-06").status_code == 404


def test_the_sepa_file_pays_each_statement_to_its_iban_and_adds_up(world, june) -> None:
    response = coordinator(world).get("/coordinator/allowances/sepa.xml?month=2025-06")
    assert response.status_code == 200, response.content[:500]
    root = ET.fromstring(response.content)  # noqa: S314 - our own export
    header = root.find("p:CstmrCdtTrfInitn/p:GrpHdr", NS)
    assert header.find("p:NbOfTxs", NS).text == "2"
    assert D(header.find("p:CtrlSum", NS).text) == D("27.50")
    info = root.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.find("p:DbtrAcct/p:Id/p:IBAN", NS).text == IBAN_REGION
    assert info.find("p:DbtrAgt/p:FinInstnId/p:BIC", NS).text == "ABNANL2A"
    paid = {
        tx.find("p:CdtrAcct/p:Id/p:IBAN", NS).text: D(tx.find("p:Amt/p:InstdAmt", NS).text)
        for tx in info.findall("p:CdtTrfTxInf", NS)
    }
    assert paid == {IBAN_ONE: D("15.00"), IBAN_TWO: D("12.50")}
    assert sum(paid.values()) == D(info.find("p:CtrlSum", NS).text)


def test_the_sepa_file_is_refused_whole_when_an_iban_or_the_region_account_is_missing(world, june) -> None:
    client = coordinator(world)
    KeyPerson.objects.get(pk=june.pk).payment_details.delete()
    response = client.get("/coordinator/allowances/sepa.xml?month=2025-06", follow=True)
    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    assert june.full_name in response.content.decode().replace("&quot;", '"')
    PaymentSettings.objects.all().delete()
    response = client.get("/coordinator/allowances/sepa.xml?month=2025-06")
    assert response.status_code == 302
    assert other_region_sees_nothing(world)


def other_region_sees_nothing(world) -> bool:  # type: ignore[no-untyped-def]
    other = f.RegionFactory(name="Elders")
    outsider = f.member(Role.COORDINATOR, other)
    client = Client()
    login(client, outsider)
    rows = list(csv.reader(io.StringIO(client.get("/coordinator/allowances/export.csv?month=2025-06").content.decode("utf-8-sig"))))
    return len(rows) == 1  # the header only


# --- warnings before an offer and before approving a report --------------------------------------


def test_the_offer_page_warns_before_an_offer_pushes_a_key_person_over(world, rate) -> None:
    other_user = f.member(Role.KEY_PERSON, world.region)
    f.KeyPersonFactory(region=world.region, user=other_user, full_name="Ruim Binnen")
    with freeze_time("2025-03-10 08:00"):
        services.declare_allowance(actor=world.coordinator, key_person=world.key_person, month=dt.date(2025, 3, 1), amount="205", organisation="Buurthuis")
        start = at(dt.date(2025, 3, 12))
        req = deployments.file_request(
            actor=world.requester, organisation=world.organisation,
            data=world.request_data(starts_at=start, ends_at=start + dt.timedelta(hours=2)),
        )
        page = coordinator(world).get(f"/coordinator/requests/{req.uuid}/")
    assert page.status_code == 200
    rows = {row.key_person.full_name: row.limit_warnings for row in page.context["feasible"]}
    assert [w.kind for w in rows[world.key_person.full_name]] == ["month"]  # 205 + 2 h × € 5 = 215
    assert rows["Ruim Binnen"] == []
    assert "cand-1-limits" in page.content.decode() or "cand-2-limits" in page.content.decode()


def test_the_approvals_page_warns_before_an_approval_pushes_a_key_person_over(world, rate) -> None:
    worked(world, dt.date(2025, 3, 3), "24")
    worked(world, dt.date(2025, 3, 4), "16")  # € 200 approved
    waiting = worked(world, dt.date(2025, 3, 5), "3", approve=False)  # + € 15 would be € 215
    page = coordinator(world).get("/coordinator/approvals/")
    assert page.status_code == 200
    [(a, _form, warnings)] = page.context["items"]
    assert a == waiting and [(w.kind, w.excess) for w in warnings] == [("month", D("5.00"))]
    assert "approval-" in page.content.decode() and "reasons--violations" in page.content.decode()
    # within the limit: no warning
    waiting.report.hours = D("2")
    waiting.report.save()
    page = coordinator(world).get("/coordinator/approvals/")
    assert page.context["items"][0][2] == []


def test_a_draft_with_work_of_an_earlier_month_warns_with_that_months_limits(world, rate) -> None:
    worked(world, dt.date(2025, 11, 27), "24")
    worked(world, dt.date(2025, 11, 28), "20")  # € 220 in November: € 10 over, not paid in November
    worked(world, dt.date(2025, 12, 1), "2")
    with clock.at(at(dt.date(2026, 1, 2))):
        december = statement_of(world.key_person, dt.date(2025, 12, 1))
        assert [(w.kind, w.month, w.excess) for w in december.warnings] == [("month", dt.date(2025, 11, 1), D("10.00"))]
        statement = services.approve_statement(actor=world.coordinator, key_person=world.key_person, month=dt.date(2025, 12, 1))
    assert statement.total == D("230.00")
    frozen = statement_of(world.key_person, dt.date(2025, 12, 1))
    assert [(w.kind, w.month) for w in frozen.warnings] == [("month", dt.date(2025, 11, 1))]
    assert frozen.flags[0].startswith(("november 2025", "November 2025"))
