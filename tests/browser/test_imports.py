"""An import in headless Chromium: a coordinator uploads a spreadsheet with other headers, maps
the columns, watches the background check and import on the progress bar, and undoes it."""

from __future__ import annotations

import csv
import io

import pytest

from sleutelnet.people.models import KeyPerson
from sleutelnet.tasks import services as tasks
from tests.browser.conftest import login
from tests.browser.test_figures import _axe
from tests.conftest import make_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_map_check_import_undo(live_server, new_page, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.BACKGROUND_ROWS = 5  # 12 rows: both steps run as background tasks
    settings.TASK_BACKEND = "embedded"
    world = make_world()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Nr", "Wie", "Mail"])
    for i in range(12):
        writer.writerow([f"B-{i}", f"Persoon {i}", f"p{i}@example.org" if i != 4 else "kapot"])
    upload = tmp_path / "pool.csv"
    upload.write_bytes(out.getvalue().encode("cp1252"))
    page = new_page(locale="en-GB", width=1280, height=900)
    login(page, live_server, world.coordinator.username, PASSWORD)
    page.goto(f"{live_server.url}/coordinator/imports/")
    _axe(page, "imports page")
    page.select_option("#id_kind", "key_persons")
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="Upload and choose the columns").click()
    page.wait_for_load_state()
    # the headers differ from the template's: "Nr" and "Wie" are chosen by hand
    page.get_by_role("button", name="Check the file").click()
    assert "Reference: This field is required." in page.locator(".error-summary").inner_text()
    page.select_option("#id_map_external_ref", "Nr")
    page.select_option("#id_map_full_name", "Wie")
    page.select_option("#id_map_email", "Mail")
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert page.locator("progress").count() == 1
    _axe(page, "import being checked")
    tasks.run_next()
    page.get_by_role("link", name="See the outcome").click(timeout=10_000)  # appears when the poll sees it done
    page.wait_for_load_state()
    assert "11 new records" in page.content() and "1 row with errors" in page.content()
    assert "This is not an e-mail address." in page.locator("table").last.inner_text()
    _axe(page, "import checked")
    page.get_by_role("button", name="Import only the 11 valid rows").click()
    assert "Please check the form" in page.content()  # the box must be ticked, explicitly
    page.check("#id_only_valid")
    page.get_by_role("button", name="Import only the 11 valid rows").click()
    page.wait_for_load_state()
    tasks.run_next()
    page.get_by_role("link", name="See the outcome").click(timeout=10_000)
    page.wait_for_load_state()
    assert KeyPerson.objects.filter(external_ref__startswith="B-").count() == 11
    page.get_by_role("button", name="Undo the import").click()
    page.wait_for_load_state()
    assert "The import was undone." in page.content()
    assert not KeyPerson.objects.filter(external_ref__startswith="B-").exists()
