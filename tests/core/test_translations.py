"""The Dutch catalogue is complete, compiled and consistent, and pages really come out in Dutch.

Dutch (nl) is the default language; English (en) is the source, so its catalogue stays empty.
`make messages` regenerates both catalogues and compiles them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "sleutelnet"
LOCALE = PACKAGE / "locale"
NL_PO = LOCALE / "nl" / "LC_MESSAGES" / "django.po"
NL_MO = LOCALE / "nl" / "LC_MESSAGES" / "django.mo"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"

#: The same flags as the `messages` target in the Makefile.
MAKEMESSAGES = [
    "makemessages",
    "-l",
    "nl",
    "--no-obsolete",
    "--extension",
    "html,txt,py",
    "--ignore",
    "demo/*",
]

#: Python-format placeholders: %(name)s, %(n)d, and bare %s / %d (but not a literal %%).
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-+ #0]*\d*(?:\.\d+)?([sdifr])|%%")


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text) if m.group(0) != "%%")


def key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def translations(catalogue: polib.POFile | polib.MOFile) -> dict[tuple[str, str, str], object]:
    """Every translated message (header left out: its dates change on every `make messages`)."""
    result: dict[tuple[str, str, str], object] = {}
    for entry in catalogue:
        if not entry.msgid or getattr(entry, "obsolete", False):
            continue
        if entry.msgid_plural:
            result[key(entry)] = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
        else:
            result[key(entry)] = entry.msgstr
    return result


@pytest.fixture(scope="module")
def nl() -> polib.POFile:
    return polib.pofile(str(NL_PO))


def test_there_is_one_catalogue_per_language() -> None:
    """A second (app-level) catalogue would compete with the project's: Django merges them silently."""
    catalogues = sorted(
        p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("locale/*/LC_MESSAGES/*.po")
    )
    assert catalogues == [f"locale/{code}/LC_MESSAGES/django.po" for code in ("ar", "en", "fa", "nl", "ti", "tr")]


def test_every_dutch_message_is_translated_and_not_fuzzy(nl: polib.POFile) -> None:
    assert not nl.metadata_is_fuzzy, "The header is fuzzy: msgfmt would drop it (and the charset)."
    assert nl.metadata.get("Language") == "nl"
    assert "charset=UTF-8" in nl.metadata.get("Content-Type", "")
    entries = [e for e in nl if not e.obsolete]
    assert len(entries) > 500
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"Translate these in {NL_PO.relative_to(ROOT)}: {untranslated}"
    assert not fuzzy, f"Check these translations and remove the fuzzy flag: {fuzzy}"
    empty_plurals = [
        e.msgid for e in entries if e.msgid_plural and not all(e.msgstr_plural.values())
    ]
    assert not empty_plurals


def test_english_catalogue_has_the_same_messages_and_stays_empty(nl: polib.POFile) -> None:
    en = polib.pofile(str(EN_PO))
    assert {key(e) for e in en if not e.obsolete} == {key(e) for e in nl if not e.obsolete}
    assert not [e.msgid for e in en if e.msgstr or any(e.msgstr_plural.values())]


def test_placeholders_in_translations_match_the_source(nl: polib.POFile) -> None:
    wrong = []
    for e in nl:
        if e.obsolete or not e.msgid:
            continue
        if e.msgid_plural:
            pairs = [(e.msgid, e.msgstr_plural[0]), (e.msgid_plural, e.msgstr_plural[1])]
        else:
            pairs = [(e.msgid, e.msgstr)]
        for source, translated in pairs:
            if placeholders(source) != placeholders(translated):
                wrong.append((source, translated))
        if "python-format" in e.flags or placeholders(e.msgid):
            assert "python-format" in e.flags, e.msgid
    assert not wrong, wrong


def test_compiled_catalogue_matches_the_po_file(nl: polib.POFile) -> None:
    """The committed .mo is what Django reads: it must hold exactly the .po's translations."""
    assert NL_MO.exists(), "Run `make messages` (or `sleutelnet compilemessages`)."
    committed = polib.mofile(str(NL_MO))
    expected = translations(nl)
    actual = translations(committed)
    missing = sorted(k[1] for k in expected.keys() - actual.keys())
    extra = sorted(k[1] for k in actual.keys() - expected.keys())
    changed = sorted(k[1] for k in expected.keys() & actual.keys() if expected[k] != actual[k])
    assert not (missing or extra or changed), (
        f"django.mo is out of date; run `make messages`. missing={missing[:5]} extra={extra[:5]} "
        f"changed={changed[:5]}"
    )
    assert "charset=UTF-8" in committed.metadata.get("Content-Type", "")


def test_msgfmt_accepts_the_catalogue() -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU msgfmt is not installed")
    result = subprocess.run(
        [msgfmt, "--check", "-o", os.devnull, str(NL_PO)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_catalogue_holds_every_message_in_the_code(tmp_path: Path, nl: polib.POFile) -> None:
    """Run makemessages on a copy of the package: nothing it finds may be missing from the catalogue.

    Takes about a second (well under the 20 s budget), so it always runs.
    """
    copy = tmp_path / "copy" / "sleutelnet"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "demo", "static"),
    )
    (copy / "locale" / "nl" / "LC_MESSAGES" / "django.po").unlink()
    # Settings that point LOCALE_PATHS at the copy, so the real catalogue is never touched.
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "i18n_check_settings.py").write_text(
        "from sleutelnet.conf.settings import *  # noqa: F403\n"
        f"LOCALE_PATHS = [{str(copy / 'locale')!r}]\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "i18n_check_settings",
        "PYTHONPATH": os.pathsep.join([str(settings_dir), os.environ.get("PYTHONPATH", "")]),
    }
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-P", "-m", "sleutelnet.manage", *MAKEMESSAGES],
        cwd=copy,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 60
    extracted = polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    found = {key(e) for e in extracted if not e.obsolete}
    # Sanity: strings from every kind of source are collected.
    sources = {path for e in extracted for path, _line in e.occurrences}
    assert any(p.endswith(".py") for p in sources)
    assert any(p.endswith(".html") for p in sources)
    assert any(p.startswith("notifications/templates/") and p.endswith(".txt") for p in sources)
    assert any(p.startswith("api/") for p in sources)
    missing = sorted(k[1] for k in found - {key(e) for e in nl if not e.obsolete})
    assert not missing, (
        f"New messages in the code; run `make messages` and translate them: {missing}"
    )


# --- the rendered pages ----------------------------------------------------------------------


def test_pages_are_dutch_by_default_and_english_on_request(client, world) -> None:
    client.force_login(world.coordinator)
    dutch = client.get("/coordinator/")
    assert dutch.status_code == 200
    html = dutch.content.decode()
    assert '<html lang="nl"' in html
    assert "Uitloggen" in html
    assert "Wachtrij" in html
    assert "Log out" not in html

    english = client.get("/coordinator/", HTTP_ACCEPT_LANGUAGE="en")
    html = english.content.decode()
    assert '<html lang="en"' in html
    assert "Log out" in html
    assert "Uitloggen" not in html


def test_chosen_language_sticks(client, world) -> None:
    client.force_login(world.coordinator)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/coordinator/"})
    assert response.status_code == 302
    assert "Log out" in client.get("/coordinator/").content.decode()
    client.post("/i18n/setlang/", {"language": "nl", "next": "/coordinator/"})
    assert "Uitloggen" in client.get("/coordinator/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_key_person_pages_are_plain_dutch(client, world) -> None:
    client.force_login(world.key_person_user)
    html = client.get("/me/offers/").content.decode()
    assert "Uitnodigingen voor jou" in html
    assert "Er zijn nu geen uitnodigingen voor jou." in html
    assert "Mijn agenda" in html


def test_login_page_is_dutch(client, db) -> None:
    html = client.get("/login/").content.decode()
    assert "Inloggen" in html
    assert "Wachtwoord" in html
