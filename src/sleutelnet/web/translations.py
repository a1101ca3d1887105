"""Translation status and the machine-translation marker, read from the .po files.

A machine-made translation carries the translator comment MACHINE_MARK until a native speaker
reviews it and removes the line. The status page and `scripts/po_tool.py` count with this module,
so what the page says is what the files hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import polib
from django.conf import settings

MACHINE_MARK = "machine translation: needs review by a native speaker"

# What must survive a translation unchanged: Python and brace placeholders, and HTML tags.
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}|</?[a-z]+[^>]*>")


@dataclass(frozen=True)
class LanguageStatus:
    """How far one language's catalogue is."""

    code: str
    name: str
    total: int
    translated: int
    machine: int

    @property
    def reviewed(self) -> int:
        return self.translated - self.machine

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 0


def po_path(code: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"


def is_machine(entry: polib.POEntry) -> bool:
    return MACHINE_MARK in (entry.tcomment or "")


def is_done(entry: polib.POEntry) -> bool:
    return entry.translated() and not entry.obsolete


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def placeholder_problem(entry: polib.POEntry) -> str | None:
    """Name what a translation lost or added; None when its placeholders match the source."""
    wanted = placeholders(entry.msgid)
    translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    for text in translations:
        if not text:
            continue
        found = placeholders(text)
        # Plural forms may leave out the number (Arabic "one" and "two" often do).
        if found != wanted and not (entry.msgid_plural and set(found) <= set(placeholders(entry.msgid_plural))):
            return f"{entry.msgid[:60]!r}: expected {wanted}, found {found}"
    return None


def status(code: str, name: str) -> LanguageStatus:
    """Count the entries of one catalogue: all, translated, and of those machine-made."""
    catalogue = polib.pofile(str(po_path(code)))
    entries = [e for e in catalogue if not e.obsolete]
    done = [e for e in entries if is_done(e)]
    return LanguageStatus(code, name, len(entries), len(done), sum(1 for e in done if is_machine(e)))


def all_statuses() -> list[LanguageStatus]:
    return [status(code, str(name)) for code, name in settings.LANGUAGES if code != "en"]
