"""The Dutch texts follow the plain-Dutch (B1) checklist in docs/b1-checklist.md."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

PO = Path(__file__).resolve().parents[2] / "src/sleutelnet/locale/nl/LC_MESSAGES/django.po"
OFFICIALESE = (
    "indien", "middels", "teneinde", "ten behoeve van", "conform", "d.m.v.", "dient te", "dienen te",
    "alsmede", "tevens", "derhalve", "aldus", "hetgeen", "ingevolge", "inzake", "ter zake", "reeds",
    "gelieve", "wij verzoeken", "bovenstaande", "onderstaande",
)
#: Where key persons read: their pages, the sign-in pages and the e-mails.
PORTAL_SOURCES = ("deployments/templates/deployments/", "people/templates/people/profile", "people/templates/people/availability",
                  "care/templates/care/my_experience",
                  "accounts/templates/", "notifications/templates/", "web/templates/web/login", "web/static/")


@pytest.fixture(scope="module")
def entries() -> list[tuple[str, str, bool]]:
    """(English source, Dutch text, read by key persons) for every translated entry."""
    out = []
    for e in polib.pofile(str(PO)):
        if e.obsolete:
            continue
        texts = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        portal = any(src in path for path, _line in e.occurrences for src in PORTAL_SOURCES)
        out += [(e.msgid, t, portal) for t in texts if t]
    return out


def test_no_officialese(entries: list[tuple[str, str, bool]]) -> None:
    found = [
        (word, dutch) for _src, dutch, _p in entries for word in OFFICIALESE
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", dutch.lower())
    ]
    assert not found, found


def test_je_not_u(entries: list[tuple[str, str, bool]]) -> None:
    formal = [dutch for _src, dutch, _p in entries if re.search(r"(?<![\w%(])(u|uw|U|Uw)(?![\w)])", dutch)]
    assert not formal, formal


def test_short_sentences(entries: list[tuple[str, str, bool]]) -> None:
    too_long = []
    for _src, dutch, portal in entries:
        plain = re.sub(r"<[^>]+>|%\([a-z_]+\)[sd]", "X", dutch)
        for sentence in re.split(r"(?<=[.!?:])\s+|\n", plain):
            words = len(sentence.split())
            if words > (20 if portal else 25):
                too_long.append((words, sentence[:90]))
    assert not too_long, too_long


def test_the_checklist_names_what_is_tested() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs/b1-checklist.md").read_text(encoding="utf-8")
    assert all(word in text for word in OFFICIALESE)
    assert "at most 20 words" in text and "*je*" in text
