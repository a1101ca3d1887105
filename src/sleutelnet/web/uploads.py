"""Uploaded files are checked by their content and size, never trusted by name (OWASP ASVS 5.2).

The extension must be one we expect, and the bytes must be what the extension says: text for
JSON and CSV (UTF-8, no NUL bytes, no known binary signature), a real workbook for XLSX (a zip
with the parts of a workbook, not too big unpacked: no zip bomb). The file's own name is never
used to store anything.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django import forms
from django.utils.translation import gettext as _

#: Signatures of binary files that are never a JSON or CSV file, whatever their name says.
BINARY_SIGNATURES = (b"PK\x03\x04", b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x7fELF", b"MZ", b"\xd0\xcf\x11\xe0")
#: An XLSX may unpack to at most this much, and at most this many times its packed size.
MAX_UNPACKED = 50 * 1024 * 1024
MAX_RATIO = 100


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def read_upload(upload: Any, *, kinds: tuple[str, ...], max_bytes: int) -> tuple[str, bytes]:
    """(kind, bytes) of an uploaded file that passed the checks; ValidationError otherwise."""
    name = (getattr(upload, "name", "") or "").lower()
    kind = name.rsplit(".", 1)[-1] if "." in name else ""
    if kind not in kinds:
        raise forms.ValidationError(
            _("Choose a file of type %(kinds)s.") % {"kinds": ", ".join(k.upper() for k in kinds)}
        )
    if (getattr(upload, "size", 0) or 0) > max_bytes:
        raise forms.ValidationError(_("The file is larger than %(max)s.") % {"max": _mb(max_bytes)})
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise forms.ValidationError(_("The file is larger than %(max)s.") % {"max": _mb(max_bytes)})
    if not raw:
        raise forms.ValidationError(_("The file is empty."))
    if kind in ("json", "csv"):
        if raw.startswith(BINARY_SIGNATURES) or b"\x00" in raw[:65536]:
            raise forms.ValidationError(_("This is not a text file, whatever its name says."))
    elif kind == "xlsx":
        check_workbook(raw)
    return kind, raw


def check_workbook(raw: bytes) -> None:
    """A real XLSX workbook that is safe to open (no zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise forms.ValidationError(_("This is not an Excel workbook (.xlsx), whatever its name says.")) from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise forms.ValidationError(_("This is not an Excel workbook (.xlsx), whatever its name says."))
    if unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(len(raw), 1):
        raise forms.ValidationError(_("This workbook unpacks to far too much data; it is refused."))
