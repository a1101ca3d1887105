"""Every list as CSV/XLSX: the page's scope and filters, formulas neutralised, persons logged as
exported, and a long list made in the background (issue #9)."""

from __future__ import annotations

import csv
import io

from django.test import Client
from openpyxl import load_workbook

from sleutelnet.core.models import ProcessingLogEntry
from sleutelnet.people.models import KeyPersonStatus
from sleutelnet.tasks import services as tasks
from sleutelnet.tasks.models import Task
from tests import factories as f
from tests.auth import login


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_key_persons_with_the_lists_filter_and_no_formulas(world, other_world) -> None:  # type: ignore[no-untyped-def]
    f.KeyPersonFactory(region=world.region, full_name="=HYPERLINK(1)", status=KeyPersonStatus.ACTIVE)
    f.KeyPersonFactory(region=world.region, full_name="Gestopt", status=KeyPersonStatus.STOPPED)
    client = Client()
    login(client, world.coordinator)
    response = client.get("/coordinator/key-persons/export.csv?status=active")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    names = [row[1] for row in _csv(response)[1:]]
    assert "'=HYPERLINK(1)" in names and "Gestopt" not in names
    assert other_world.key_person.full_name not in names
    lines = ProcessingLogEntry.objects.filter(operation="export", subject_kind="key_person")
    assert lines.count() == len(names)


def test_a_requester_downloads_only_their_organisations_requests(world) -> None:  # type: ignore[no-untyped-def]
    from sleutelnet.deployments import services

    services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(title="Onze vraag"))
    other_org = f.OrganisationFactory(region=world.region, municipality=world.municipality)
    other = f.member("requester", world.region, other_org)
    services.file_request(actor=other, organisation=other_org, data=world.request_data(title="Hun vraag"))
    client = Client()
    login(client, world.requester)
    book = load_workbook(io.BytesIO(client.get("/requests/export.xlsx").content))
    titles = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert titles == ["Onze vraag"]


def test_a_long_list_is_made_in_the_background(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.BACKGROUND_ROWS = 2
    settings.TASK_BACKEND = "embedded"
    for _ in range(3):
        f.NewcomerFactory(region=world.region, municipality=world.municipality)
    client = Client()
    login(client, world.coordinator)
    response = client.get("/coordinator/newcomers/export.xlsx?q=")
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.uuid}/"
    assert tasks.run_next().status == "done"
    download = client.get(f"/tasks/{task.uuid}/download/")
    book = load_workbook(io.BytesIO(download.content))
    assert book.active.max_row == 1 + 4  # the header and the world's newcomer plus three
    assert ProcessingLogEntry.objects.filter(operation="export", subject_kind="newcomer").count() == 4
