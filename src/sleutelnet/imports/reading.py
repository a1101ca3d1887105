"""Reading a spreadsheet a region brings: XLSX, or CSV in any common encoding and delimiter.

Pure reading, no database: bytes in, a header and rows of text (or dates and numbers from
XLSX) out, or a ReadError whose message says in plain words what is wrong with the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

#: More rows than this in one file are refused: split the file (the bench imports 10,000 at once).
MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024
DELIMITERS = ",;\t|"


class ReadError(Exception):
    """The file cannot be read; the message is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """What was in the file: the header row and the data rows (cells as text, date or number)."""

    headers: list[str]
    rows: list[list[Any]]
    file_format: str  # "xlsx" or "csv"
    encoding: str = ""
    delimiter: str = ""


def read(raw: bytes, file_name: str) -> Table:
    """Read `raw` as XLSX (by its content, whatever its name says) or as CSV."""
    if not raw.strip():
        raise ReadError(_("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise ReadError(_("The file is larger than 20 MB. Split it into smaller files."))
    if raw[:4] == b"PK\x03\x04":
        table = _read_xlsx(raw)
    elif raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError(_("This is an old Excel file (.xls). Save it as .xlsx or .csv and upload it again."))
    else:
        table = _read_csv(raw)
    headers = [str(h).strip() if h is not None else "" for h in table.headers]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise ReadError(_("The first row of the file must hold the column names."))
    seen: set[str] = set()
    for h in headers:
        if h and h.casefold() in seen:
            raise ReadError(_("The column '%(name)s' appears twice in the first row.") % {"name": h})
        seen.add(h.casefold())
    rows = []
    for row in table.rows:
        cells = list(row[: len(headers)]) + [""] * (len(headers) - len(row))
        if any(_blank(c) is False for c in cells):
            rows.append(cells)
        else:
            rows.append([])  # an empty row keeps its number, and is skipped
    while rows and not rows[-1]:
        rows.pop()
    if not any(rows):
        raise ReadError(_("The file has column names but no rows."))
    if len(rows) > MAX_ROWS:
        raise ReadError(_("The file has more than %(max)s rows. Split it into smaller files.") % {"max": f"{MAX_ROWS:,}"})
    table.headers, table.rows = headers, rows
    return table


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_xlsx(raw: bytes) -> Table:
    from openpyxl import load_workbook

    unreadable = _("This file cannot be opened as an Excel file (.xlsx). Save it again as .xlsx or .csv.")
    try:
        # Formulas are read as formulas (not their last result): the check refuses them.
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - any damage to the file: a plain message, never a 500
        raise ReadError(unreadable) from exc
    try:
        sheet = book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        headers = list(next(values, ()) or ())
        rows = []
        for row in values:
            rows.append([_xlsx_cell(v) for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
    except Exception as exc:  # noqa: BLE001 - a chart sheet, a broken part: the same plain message
        raise ReadError(unreadable) from exc
    finally:
        book.close()
    return Table(headers=headers, rows=rows, file_format="xlsx")


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0, 0) else value
    if value is None:
        return ""
    return value


def detect_encoding(raw: bytes) -> str:
    """UTF-8 (with or without BOM) and UTF-16 first, then cp1252 (what Excel on a Dutch Windows
    writes: a short list of names fools any detector), and only then charset-normalizer's guess.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        pass
    else:
        return "cp1252"  # what Excel on a Dutch Windows writes; a short file fools any detector
    from charset_normalizer import from_bytes

    best = from_bytes(raw[:200_000]).best()
    guess = (best.encoding if best is not None else "") or ""
    if guess.replace("_", "-").lower() in {"ascii", "latin-1", "iso8859-1", "iso-8859-1", "iso8859-15", "cp1252", "windows-1252"}:
        guess = "cp1252"
    if not guess:
        raise ReadError(_("We could not find out how the text in this file is encoded. Save it as CSV UTF-8 or as .xlsx."))
    return guess


def _read_csv(raw: bytes) -> Table:
    encoding = detect_encoding(raw)
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ReadError(_("We could not read the text in this file. Save it as CSV UTF-8 or as .xlsx.")) from exc
    if "\x00" in text:
        raise ReadError(_("We could not read the text in this file. Save it as CSV UTF-8 or as .xlsx."))
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    delimiter = _delimiter(text, first)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ReadError(_("The CSV file is broken: a quote mark (\") is not closed. Save it again from your spreadsheet.")) from exc
    headers = rows[0] if rows else []
    return Table(headers=headers, rows=rows[1:], file_format="csv", encoding=encoding, delimiter=delimiter)


def _delimiter(text: str, first_line: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:20_000], delimiters=DELIMITERS).delimiter
    except csv.Error:
        # One column, or the sniffer gave up: the character that splits the header most.
        counts = {d: first_line.count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","
