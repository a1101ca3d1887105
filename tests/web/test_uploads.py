"""Uploads are judged by their content and size, not by their name (a negative corpus)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from sleutelnet.web.uploads import MAX_UNPACKED, read_upload

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\n"
ZIP = b"PK\x03\x04" + b"\x00" * 60
EXE = b"MZ\x90\x00" + b"\x00" * 60


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


WORKBOOK = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.json", PNG, "not a text file"),
        ("plan.json", PDF, "not a text file"),
        ("plan.json", ZIP, "not a text file"),
        ("plan.json", EXE, "not a text file"),
        ("plan.exe", b"{}", "Choose a file of type JSON"),
        ("plan", b"{}", "Choose a file of type JSON"),
        ("../../etc/passwd.json", b"\x00\x01", "not a text file"),
        ("plan.json", b"{" + b" " * (5 * 1024 * 1024) + b"}", "larger than 5 MB"),
    ],
)
def test_the_plan_import_refuses_what_is_not_a_plan(client, world, name, content, message):
    client.force_login(world.coordinator)
    response = client.post("/coordinator/plan/import/", {"plan": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip at all", "not an Excel workbook"),
        (zipped({"word/document.xml": b"<doc/>"}), "not an Excel workbook"),
        (zipped(WORKBOOK | {"xl/worksheets/sheet1.xml": b"0" * (MAX_UNPACKED + 1)}), "far too much data"),
    ],
)
def test_workbooks_are_checked_and_zip_bombs_refused(content, message):
    with pytest.raises(forms.ValidationError) as err:
        read_upload(SimpleUploadedFile("people.xlsx", content), kinds=("xlsx",), max_bytes=10 * 1024 * 1024)
    assert message in " ".join(err.value.messages)


def test_a_real_workbook_passes():
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook()
    book.active.append(["naam", "taal"])
    book.save(out)
    kind, raw = read_upload(SimpleUploadedFile("people.xlsx", out.getvalue()), kinds=("xlsx",), max_bytes=1024 * 1024)
    assert kind == "xlsx" and raw == out.getvalue()
