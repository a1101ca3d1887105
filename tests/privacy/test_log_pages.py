"""The privacy officer searches and exports the processing log and the audit log of their region."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from sleutelnet.core import processing
from sleutelnet.core.exports import neutralise
from sleutelnet.core.models import Role
from tests import factories as f
from tests.auth import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(world):  # type: ignore[no-untyped-def]
    return f.member(Role.PRIVACY_OFFICER, world.region)


def visit_newcomer(world, user=None):  # type: ignore[no-untyped-def]
    client = Client()
    login(client, user or world.coordinator)
    assert client.get(f"/coordinator/newcomers/{world.newcomer.uuid}/").status_code == 200


def officer_client(officer):  # type: ignore[no-untyped-def]
    client = Client(headers={"accept-language": "en"})
    login(client, officer)
    return client


def test_search_by_newcomer_reference_shows_who_read_the_record(world, officer):
    visit_newcomer(world)
    client = officer_client(officer)
    response = client.get("/privacy/log/", {"person": world.newcomer.reference})
    assert response.status_code == 200
    html = response.content.decode()
    pseudonym = processing.pseudonym("newcomer", world.newcomer.pk)
    assert pseudonym[:12] in html
    assert world.coordinator.username in html  # joined from the audit log
    assert "people:newcomer_detail" in html
    # the officer's own search is in the audit log, and it read the newcomer (to find the pseudonym)
    response = client.get("/privacy/audit/", {"actor": officer.username})
    assert "privacy:log" in response.content.decode()


def test_an_unknown_person_is_a_clear_message_not_an_empty_list(world, officer):
    response = officer_client(officer).get("/privacy/log/", {"person": "NC-DOES-NOT-EXIST"})
    assert response.status_code == 400
    assert "No newcomer with this reference" in response.content.decode()


def test_search_by_actor_and_operation(world, officer):
    visit_newcomer(world)
    client = officer_client(officer)
    html = client.get("/privacy/log/", {"actor": world.coordinator.username, "operation": "read"}).content.decode()
    assert "1 line" in html or "lines" in html
    assert world.coordinator.username in html
    html = client.get("/privacy/log/", {"actor": "nobody-did-this"}).content.decode()
    assert "No lines match this search." in html


def test_another_regions_officer_sees_none_of_it(world, other_world):
    visit_newcomer(world)
    other_officer = f.member(Role.PRIVACY_OFFICER, other_world.region)
    client = officer_client(other_officer)
    html = client.get("/privacy/log/").content.decode()
    assert processing.pseudonym("newcomer", world.newcomer.pk)[:12] not in html
    assert world.coordinator.username not in client.get("/privacy/audit/").content.decode()
    # and cannot find our newcomer by reference
    assert client.get("/privacy/log/", {"person": world.newcomer.reference}).status_code == 400


def test_export_as_csv_and_xlsx_with_formulas_neutralised(world, officer):
    sneaky = f.member(Role.COORDINATOR, world.region, username="=HYPERLINK(\"http://evil\")")
    visit_newcomer(world, sneaky)
    client = officer_client(officer)
    response = client.get("/privacy/log/export/", {"actor": sneaky.username, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Start" and len(rows) == 2
    assert "'=HYPERLINK(\"http://evil\")" in rows[1]
    assert processing.pseudonym("newcomer", world.newcomer.pk) in rows[1]

    response = client.get("/privacy/log/export/", {"actor": sneaky.username, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for cell in list(sheet.iter_rows())[1]]
    assert "'=HYPERLINK(\"http://evil\")" in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    response = client.get("/privacy/audit/export/", {"actor": sneaky.username, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert response.status_code == 200


def test_export_refuses_an_unknown_format(world, officer):
    response = officer_client(officer).get("/privacy/log/export/", {"format": "exe"}, follow=True)
    assert "The export could not be made" in response.content.decode()


@pytest.mark.parametrize("value", ["=1+1", "+31 6 1234", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_prefixes_every_formula_start(value):
    assert neutralise(value) == "'" + value


def test_neutralise_keeps_numbers_and_plain_text():
    assert neutralise(-2) == -2 and neutralise("Amal") == "Amal" and neutralise(None) == ""
