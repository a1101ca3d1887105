"""Imports of a region's spreadsheets: reading any common file, mapping, the check, all-or-nothing,
re-import changes nothing, the import log and undo (issue #9)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from sleutelnet.core.exceptions import DomainError, InvalidTransition
from sleutelnet.core.models import Organisation
from sleutelnet.deployments.models import (
    ActivityReport,
    Assignment,
    AssignmentStatus,
    Request,
    RequestStatus,
)
from sleutelnet.imports import reading, services
from sleutelnet.imports.models import ImportedRecord, ImportStatus
from sleutelnet.people.models import KeyPerson, KeyPersonStatus, Newcomer
from sleutelnet.reporting.models import Rollup
from sleutelnet.tasks import services as tasks
from sleutelnet.tasks.models import Task, TaskStatus


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """The messages are compared in English here; one test checks the Dutch."""
    from django.utils import translation

    with translation.override("en"):
        yield


KP_HEADER = ["Referentie", "Naam", "E-mailadres", "Talen", "Status", "Capaciteit (uren per maand)", "Gemeenten"]


def csv_file(header: list[str], rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_file(header: list[str], rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def kp_rows(world, n: int = 3) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [f"SP-{i:03}", f"Sleutelpersoon Één {i}", f"sp{i}@example.org", "ar:5; nl:3", "Actief", "12,5", world.municipality.name]
        for i in range(1, n + 1)
    ]


def imported(world, raw: bytes, kind: str = "key_persons", name: str = "lijst.csv", **kwargs):  # type: ignore[no-untyped-def]
    batch = services.upload(actor=world.coordinator, region=world.region, kind=kind, file_name=name, raw=raw)
    batch = services.check(actor=world.coordinator, batch=batch)
    return services.run_import(actor=world.coordinator, batch=batch, **kwargs)


# --- reading files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1252", ";"), ("utf-16", "\t"), ("utf-8", "|")],
)
def test_csv_in_any_common_encoding_and_delimiter(encoding: str, delimiter: str) -> None:
    raw = csv_file(["Naam", "Plaats"], [["Zoë Çelik", "Ede"], ["René", "Tiel"]], encoding=encoding, delimiter=delimiter)
    table = reading.read(raw, "x.csv")
    assert table.headers == ["Naam", "Plaats"]
    assert table.rows == [["Zoë Çelik", "Ede"], ["René", "Tiel"]]
    assert table.delimiter == delimiter


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04broken zip", "Excel"),
        ("Naam\n".encode(), "no rows"),
        (bytes(range(256)) * 40, "the text"),
        ("Naam;Naam\nA;B\n".encode(), "twice"),
    ],
)
def test_unreadable_files_get_a_plain_message(raw: bytes, says: str) -> None:
    with pytest.raises(reading.ReadError) as exc:
        reading.read(raw, "x.csv")
    assert says in exc.value.message


def test_upload_of_a_bad_file_names_the_file_field_and_keeps_nothing(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as exc:
        services.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="x.csv", raw=b"\x00\xff" * 500)
    assert exc.value.field == "file"
    assert not services.ImportBatch.objects.exists()


# --- the check, all or nothing, re-import ------------------------------------------------------


def test_key_persons_from_a_cp1252_csv_with_semicolons(world) -> None:  # type: ignore[no-untyped-def]
    raw = csv_file(KP_HEADER, kp_rows(world), encoding="cp1252", delimiter=";")
    batch = services.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="lijst.csv", raw=raw)
    assert (batch.encoding, batch.delimiter) == ("cp1252", ";")
    assert batch.mapping["external_ref"] == "Referentie" and batch.mapping["capacity_hours_per_month"] == "Capaciteit (uren per maand)"
    batch = services.check(actor=world.coordinator, batch=batch)
    assert batch.counts == {"create": 3, "update": 0, "unchanged": 0, "invalid": 0}, batch.errors
    assert not KeyPerson.objects.filter(external_ref__startswith="SP-").exists()  # checking writes nothing
    batch = services.run_import(actor=world.coordinator, batch=batch)
    kp = KeyPerson.objects.get(external_ref="SP-002")
    assert kp.full_name == "Sleutelpersoon Één 2" and kp.status == KeyPersonStatus.ACTIVE
    assert kp.capacity_hours_per_month == Decimal("12.5")
    assert sorted((kl.language.code, kl.level) for kl in kp.languages.all()) == [("ar", 5), ("nl", 3)]
    assert list(kp.municipalities.all()) == [world.municipality]
    assert batch.status == ImportStatus.DONE and batch.content is None
    assert (batch.created_by, batch.imported_by) == (world.coordinator, world.coordinator)
    assert batch.records.filter(action="create").count() == 3
    from sleutelnet.core.models import ProcessingLogEntry

    assert ProcessingLogEntry.objects.filter(operation="import", subject_kind="key_person").count() == 3

    again = imported(world, raw)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "invalid": 0}
    assert KeyPerson.objects.filter(external_ref__startswith="SP-").count() == 3
    assert not again.records.exists()


def test_a_changed_row_updates_and_undo_puts_the_old_values_back(world) -> None:  # type: ignore[no-untyped-def]
    first = imported(world, csv_file(KP_HEADER, kp_rows(world)))
    rows = kp_rows(world)
    rows[0][1], rows[0][3] = "Nieuwe Naam", "fa:4"
    second = imported(world, csv_file(KP_HEADER, rows))
    assert second.counts == {"create": 0, "update": 1, "unchanged": 2, "invalid": 0}
    kp = KeyPerson.objects.get(external_ref="SP-001")
    assert kp.full_name == "Nieuwe Naam" and [kl.language.code for kl in kp.languages.all()] == ["fa"]
    # the first import cannot be undone while a later one changed its records
    assert any("later import" in b for b in services.blockers(first))
    services.undo(actor=world.coordinator, batch=second)
    kp.refresh_from_db()
    assert kp.full_name == "Sleutelpersoon Één 1"
    assert sorted(kl.language.code for kl in kp.languages.all()) == ["ar", "nl"]
    services.undo(actor=world.coordinator, batch=first)
    assert not KeyPerson.objects.filter(external_ref__startswith="SP-").exists()
    first.refresh_from_db()
    assert first.status == ImportStatus.UNDONE and first.undone_by == world.coordinator
    with pytest.raises(InvalidTransition):
        services.undo(actor=world.coordinator, batch=first)


def test_errors_per_row_and_column_and_nothing_written_until_all_are_valid(world) -> None:  # type: ignore[no-untyped-def]
    rows = kp_rows(world, 4)
    rows[1][2] = "geen-adres"
    rows[2][0] = rows[0][0]  # a duplicate reference
    rows[3][3] = "xx:9"
    raw = csv_file(KP_HEADER, rows)
    batch = services.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="fout.csv", raw=raw)
    batch = services.check(actor=world.coordinator, batch=batch)
    found = {(e["row"], e["column"]) for e in batch.errors}
    assert found == {(3, "E-mailadres"), (4, "Referentie"), (5, "Talen")}
    messages = {e["row"]: e["message"] for e in batch.errors}
    assert "e-mail" in messages[3] and "Row 2" in messages[4] and "xx" in messages[5]
    assert (batch.valid_rows, batch.counts["invalid"]) == (1, 3)
    with pytest.raises(DomainError) as exc:
        services.start_import(actor=world.coordinator, batch=batch)
    assert exc.value.field == "only_valid"
    with pytest.raises(DomainError, match="3 rows have errors"):
        services.run_import(actor=world.coordinator, batch=batch)
    assert not KeyPerson.objects.filter(external_ref__startswith="SP-").exists()
    batch.refresh_from_db()
    done = services.start_import(actor=world.coordinator, batch=batch, only_valid=True)
    assert done.status == ImportStatus.DONE and done.only_valid
    assert list(KeyPerson.objects.filter(external_ref__startswith="SP-").values_list("external_ref", flat=True)) == ["SP-001"]


def test_errors_are_in_the_users_language(world) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    rows = kp_rows(world, 1)
    rows[0][5] = "veel"
    batch = services.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="x.csv", raw=csv_file(KP_HEADER, rows))
    with translation.override("nl"):
        batch = services.check(actor=world.coordinator, batch=batch)
        assert batch.errors[0]["message"] == "Dit is geen getal."
    with translation.override("en"):
        batch = services.check(actor=world.coordinator, batch=batch)
        assert batch.errors[0]["message"] == "This is not a number."


def test_missing_columns_and_a_mapping_for_other_headers(world) -> None:  # type: ignore[no-untyped-def]
    raw = xlsx_file(["Code", "Wie", "Mail"], [["SP-9", "Amina", "a@example.org"]])
    batch = services.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="eigen.xlsx", raw=raw)
    assert batch.file_format == "xlsx" and "full_name" not in batch.mapping
    with pytest.raises(DomainError) as exc:
        services.set_mapping(actor=world.coordinator, batch=batch, mapping={"external_ref": "Code"})
    assert exc.value.field == "map_full_name"
    with pytest.raises(DomainError) as exc:
        services.set_mapping(actor=world.coordinator, batch=batch, mapping={"external_ref": "Code", "full_name": "Code"})
    assert exc.value.field == "map_full_name"
    with pytest.raises(DomainError):
        services.set_mapping(actor=world.coordinator, batch=batch, mapping={"external_ref": "Code", "full_name": "Niet er"})
    batch = services.set_mapping(actor=world.coordinator, batch=batch, mapping={"external_ref": "Code", "full_name": "Wie", "email": "Mail"})
    batch = services.run_import(actor=world.coordinator, batch=services.check(actor=world.coordinator, batch=batch))
    assert KeyPerson.objects.get(external_ref="SP-9").email == "a@example.org"


def test_formulas_are_refused_not_stored(world) -> None:  # type: ignore[no-untyped-def]
    raw = xlsx_file(["Referentie", "Naam"], [["SP-1", '=HYPERLINK("http://evil","klik")'], ["SP-2", "Gewoon"]])
    batch = services.check(
        actor=world.coordinator,
        batch=services.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="f.xlsx", raw=raw),
    )
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "Naam")]
    assert "formula" in batch.errors[0]["message"]
    raw = csv_file(["Referentie", "Naam", "Telefoonnummer"], [["SP-3", "=1+1", "+31 6 1234 5678"]])
    batch = services.check(
        actor=world.coordinator,
        batch=services.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="f.csv", raw=raw),
    )
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "Naam")]  # a phone number may start with +


def test_a_candidate_is_not_made_active_by_an_import(world) -> None:  # type: ignore[no-untyped-def]
    rows = kp_rows(world, 1)
    rows[0][4] = "Kandidaat"
    imported(world, csv_file(KP_HEADER, rows))
    rows[0][4] = "Active"
    batch = services.check(
        actor=world.coordinator,
        batch=services.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="x.csv", raw=csv_file(KP_HEADER, rows)),
    )
    assert batch.errors and "onboarding" in batch.errors[0]["message"]


def test_only_a_coordinator_of_the_region_imports(world, other_world) -> None:  # type: ignore[no-untyped-def]
    from sleutelnet.core.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        services.upload(actor=other_world.coordinator, region=world.region, kind="key_persons", file_name="x.csv", raw=csv_file(KP_HEADER, kp_rows(world)))


# --- newcomers, organisations, past activities -------------------------------------------------


def test_newcomers_refuse_a_bsn_and_match_on_reference(world) -> None:  # type: ignore[no-untyped-def]
    header = ["Kenmerk", "Voornaam", "Gemeente", "Talen", "Niveau Nederlands"]
    rows = [["NC-1", "Sara", world.municipality.name, "ar; en", "A1"], ["123456782", "Omar", world.municipality.cbs_code, "", ""]]
    batch = services.check(
        actor=world.coordinator,
        batch=services.upload(actor=world.coordinator, region=world.region, kind="newcomers", file_name="n.csv", raw=csv_file(header, rows)),
    )
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "Kenmerk")] and "BSN" in batch.errors[0]["message"]
    services.run_import(actor=world.coordinator, batch=batch, only_valid=True)
    nc = Newcomer.objects.get(region=world.region, reference="NC-1")
    assert nc.dutch_level == "a1" and sorted(lang.code for lang in nc.languages.all()) == ["ar", "en"]
    assert not nc.has_consent  # consent is recorded by a professional, never imported


def test_organisations_get_a_reference_and_names_stay_unique(world) -> None:  # type: ignore[no-untyped-def]
    header = ["Referentie", "Naam", "Soort", "Gemeente"]
    rows = [["ORG-1", world.organisation.name, "Gemeente", ""], ["ORG-2", "Taalschool Noord", "Language school", world.municipality.name], ["ORG-3", "Taalschool Noord", "School", ""]]
    batch = services.check(
        actor=world.coordinator,
        batch=services.upload(actor=world.coordinator, region=world.region, kind="organisations", file_name="o.csv", raw=csv_file(header, rows)),
    )
    assert [(e["row"], e["column"]) for e in batch.errors] == [(4, "Naam")]
    assert batch.counts["update"] == 1 and batch.counts["create"] == 1  # the existing organisation gets its reference
    services.run_import(actor=world.coordinator, batch=batch, only_valid=True)
    world.organisation.refresh_from_db()
    assert world.organisation.external_ref == "ORG-1"
    assert Organisation.objects.get(external_ref="ORG-2").kind == "language_school"


ACT_HEADER = ["Referentie", "Datum", "Uren", "Sleutelpersoon", "Gemeente", "Organisatie", "Soort activiteit", "Rollen", "Taal", "Deelnemers"]


def _activity_rows(world, n: int = 2) -> list[list[str]]:  # type: ignore[no-untyped-def]
    world.key_person.external_ref = "SP-77"
    world.key_person.save()
    return [
        [f"ACT-{i}", f"{10 + i}-03-2025", "2,5", "SP-77", world.municipality.name, world.organisation.name, "Groepsbijeenkomst", "translator", "ar", str(5 + i)]
        for i in range(1, n + 1)
    ]


def test_past_activities_count_in_the_figures_and_undo_takes_them_out(world) -> None:  # type: ignore[no-untyped-def]
    rows = _activity_rows(world)
    batch = imported(world, csv_file(ACT_HEADER, rows), kind="activities")
    assert batch.counts["create"] == 2, batch.errors
    req = Request.objects.get(external_ref="ACT-1")
    assert req.status == RequestStatus.CLOSED and req.created_at.date() == dt.date(2025, 3, 11)
    a = Assignment.objects.get(request=req)
    assert a.status == AssignmentStatus.APPROVED and a.key_person == world.key_person
    assert (a.report.hours, a.report.participants, a.report.date) == (Decimal("2.5"), 6, dt.date(2025, 3, 11))
    total = Rollup.objects.get(subject="report", dimension="total", municipality=world.municipality, month=dt.date(2025, 3, 1))
    assert (total.count, total.participants) == (2, 13)
    again = imported(world, csv_file(ACT_HEADER, rows), kind="activities")
    assert again.counts["unchanged"] == 2 and ActivityReport.objects.filter(assignment__request__external_ref__startswith="ACT-").count() == 2
    rows[0][9] = "50"
    changed = services.check(
        actor=world.coordinator,
        batch=services.upload(actor=world.coordinator, region=world.region, kind="activities", file_name="a.csv", raw=csv_file(ACT_HEADER, rows)),
    )
    assert changed.errors and "imported before" in changed.errors[0]["message"]
    services.undo(actor=world.coordinator, batch=batch)
    assert not Request.objects.filter(external_ref__startswith="ACT-").exists()
    assert not Rollup.objects.filter(subject="report", municipality=world.municipality, month=dt.date(2025, 3, 1)).exists()


def test_future_or_unknown_references_in_activities_are_row_errors(world) -> None:  # type: ignore[no-untyped-def]
    rows = _activity_rows(world, 3)
    rows[0][1] = (dt.date.today() + dt.timedelta(days=30)).strftime("%d-%m-%Y")
    rows[1][3] = "SP-404"
    rows[2][5] = "Onbekende organisatie"
    batch = services.check(
        actor=world.coordinator,
        batch=services.upload(actor=world.coordinator, region=world.region, kind="activities", file_name="a.csv", raw=csv_file(ACT_HEADER, rows)),
    )
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "Datum"), (3, "Sleutelpersoon"), (4, "Organisatie")]


def test_undo_is_refused_once_work_is_built_on_an_imported_record(world) -> None:  # type: ignore[no-untyped-def]
    header = ["Kenmerk", "Voornaam", "Gemeente"]
    batch = imported(world, csv_file(header, [["NC-5", "Lina", world.municipality.name]]), kind="newcomers")
    nc = Newcomer.objects.get(reference="NC-5")
    from sleutelnet.people import services as people

    people.record_consent(
        actor=world.coordinator, newcomer=nc,
        data=people.ConsentData(purpose="key_person_support", given_on=dt.date.today(), method="verbal", scope="Steun"),
    )
    assert services.blockers(batch)
    with pytest.raises(InvalidTransition, match="cannot be undone"):
        services.undo(actor=world.coordinator, batch=batch)
    assert Newcomer.objects.filter(reference="NC-5").exists()


# --- large files run as background tasks --------------------------------------------------------


def test_a_10000_row_file_is_checked_and_imported_in_the_background(world, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.TASK_BACKEND = "embedded"
    header = ["Kenmerk", "Voornaam", "Gemeente", "Talen"]
    rows = [[f"GR-{i:05}", f"Naam{i}", world.municipality.name, "ar"] for i in range(10_000)]
    rows[7777][2] = "Atlantis"
    raw = xlsx_file(header, rows)
    started = time.perf_counter()
    batch = services.upload(actor=world.coordinator, region=world.region, kind="newcomers", file_name="groot.xlsx", raw=raw)
    batch = services.start_check(actor=world.coordinator, batch=batch)
    assert batch.status == ImportStatus.CHECKING and batch.task.status == TaskStatus.QUEUED
    task = tasks.run_next()
    assert task is not None and task.status == TaskStatus.DONE, task.message
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED and batch.error_count == 1 and batch.errors[0]["row"] == 7779
    task.refresh_from_db()
    assert (task.done, task.total) == (10_000, 10_000) and "9999" in task.message.replace(",", "").replace(".", "")
    batch = services.start_import(actor=world.coordinator, batch=batch, only_valid=True)
    assert batch.status == ImportStatus.IMPORTING
    assert tasks.run_next().status == TaskStatus.DONE
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.counts["create"] == 9_999
    assert Newcomer.objects.filter(region=world.region, reference__startswith="GR-").count() == 9_999
    assert ImportedRecord.objects.filter(batch=batch).count() == 9_999
    elapsed = time.perf_counter() - started
    print(f"10,000-row import (check + import) took {elapsed:.1f} s")
    from sleutelnet.notifications.models import OutboxMessage

    assert OutboxMessage.objects.filter(to_email=world.coordinator.email).count() == 2  # "ready" twice
    services.undo(actor=world.coordinator, batch=batch)
    assert not Newcomer.objects.filter(region=world.region, reference__startswith="GR-").exists()


# --- pages ------------------------------------------------------------------------------------


def test_the_pages_walk_from_upload_to_undo(world, client) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from django.utils import translation

    from sleutelnet.imports.kinds import KINDS
    from tests.auth import login

    translation.activate("nl")
    login(client, world.coordinator)
    page = client.get(reverse("imports:index"))
    assert page.status_code == 200
    template = client.get(reverse("imports:template", args=["key_persons", "xlsx"]))
    book = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book.worksheets[0][1]] == [str(c.label) for c in KINDS["key_persons"].columns]
    assert book.worksheets[1].max_row == 13  # the explanation of every column
    raw = csv_file(KP_HEADER, kp_rows(world))
    answer = client.post(reverse("imports:index"), {"kind": "key_persons", "region": world.region.pk, "file": SimpleUploadedFile("lijst.csv", raw)})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    batch = services.ImportBatch.objects.get()
    detail = reverse("imports:detail", args=[batch.uuid])
    mapping = {f"map_{k}": v for k, v in batch.mapping.items()}
    assert client.post(detail, {"step": "check", **mapping}).status_code == 302
    shown = client.get(detail).content.decode()
    assert "3 nieuwe records" in shown and "Sleutelpersoon Één 1" in shown
    assert client.post(detail, {"step": "import"}).status_code == 302
    assert KeyPerson.objects.filter(external_ref__startswith="SP-").count() == 3
    assert "Import terugdraaien" in client.get(detail).content.decode()
    assert client.post(reverse("imports:undo", args=[batch.uuid])).status_code == 302
    assert not KeyPerson.objects.filter(external_ref__startswith="SP-").exists()
    bad = client.post(reverse("imports:index"), {"kind": "key_persons", "region": world.region.pk, "file": SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 50)})
    assert bad.status_code == 200 and "xlsx" in bad.content.decode()


def test_retention_drops_unused_files_and_after_30_days_the_old_values(world, settings) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    done = imported(world, csv_file(KP_HEADER, kp_rows(world)))
    rows = kp_rows(world)
    rows[0][1] = "Ander"
    changed = imported(world, csv_file(KP_HEADER, rows))
    left = services.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="blijft.csv", raw=csv_file(KP_HEADER, kp_rows(world)))
    assert services.expire() == (0, 0)
    later = timezone.now() + dt.timedelta(days=settings.IMPORT_UNDO_DAYS + 1)
    assert services.expire(now=later) == (1, 2)
    left.refresh_from_db()
    assert left.content is None and left.status == ImportStatus.FAILED and "Upload it again" in left.message
    assert not ImportedRecord.objects.filter(batch=changed).exclude(before={}).exists()
    changed.refresh_from_db()
    with pytest.raises(InvalidTransition, match="30 days"):
        services.undo(actor=world.coordinator, batch=changed)
    assert done.records.count() == 3  # the log stays


def test_empty_cells_keep_values_so_a_reimport_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    rows = kp_rows(world, 2)
    for row in rows:
        row[4] = row[5] = ""  # no status, no capacity
    raw = csv_file(KP_HEADER, rows)
    first = imported(world, raw)
    assert first.counts["create"] == 2
    kp = KeyPerson.objects.get(external_ref="SP-001")
    assert (kp.status, kp.capacity_hours_per_month) == (KeyPersonStatus.CANDIDATE, Decimal(16))
    again = imported(world, raw)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2, "invalid": 0}


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ('Referentie,Naam\nSP-1,"Amina\nSP-2,Bo\n'.encode(), "quote"),
        ("Naam\nJosé Müller\nRené Zoë\n".encode("cp1252"), None),
    ],
)
def test_broken_quotes_are_refused_and_short_cp1252_files_read_right(raw: bytes, says: str | None) -> None:
    if says:
        with pytest.raises(reading.ReadError, match=says):
            reading.read(raw, "x.csv")
    else:
        assert reading.read(raw, "x.csv").rows == [["José Müller"], ["René Zoë"]]


def test_cells_longer_than_the_record_holds_are_row_errors(world) -> None:  # type: ignore[no-untyped-def]
    header = ["Kenmerk", "Voornaam", "Gemeente", "E-mailadres"]
    rows = [["N" * 41, "Sara", world.municipality.name, ""], ["NC-77", "Omar", world.municipality.name, "a" * 250 + "@example.org"], ["NC-78", "Twee\nregels", world.municipality.name, ""]]
    batch = services.check(
        actor=world.coordinator,
        batch=services.upload(actor=world.coordinator, region=world.region, kind="newcomers", file_name="n.csv", raw=csv_file(header, rows)),
    )
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "Kenmerk"), (3, "E-mailadres"), (4, "Voornaam")]


def test_a_missing_column_for_a_new_record_is_a_row_error_not_a_crash(world) -> None:  # type: ignore[no-untyped-def]
    raw = csv_file(["Referentie", "Naam"], [["ORG-9", "Nieuwe organisatie"]])
    batch = services.check(
        actor=world.coordinator,
        batch=services.upload(actor=world.coordinator, region=world.region, kind="organisations", file_name="o.csv", raw=raw),
    )
    assert batch.errors == [{"row": 2, "column": "Kind", "message": "Give the kind of organisation."}]


def test_an_interrupted_task_fails_and_its_import_can_be_tried_again(world, settings) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    settings.BACKGROUND_ROWS = 1
    batch = services.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="x.csv", raw=csv_file(KP_HEADER, kp_rows(world)))
    batch = services.start_check(actor=world.coordinator, batch=batch)
    Task.objects.filter(pk=batch.task_id).update(status=TaskStatus.RUNNING, started_at=timezone.now() - dt.timedelta(hours=2))
    assert tasks.reap_stuck() == 1
    services.expire()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.task.status == TaskStatus.FAILED
    assert services.start_check(actor=world.coordinator, batch=batch).status == ImportStatus.CHECKING
