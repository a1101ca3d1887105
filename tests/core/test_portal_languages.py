"""The portal in Arabic, Farsi, Tigrinya and Turkish: complete catalogues whose machine-made
entries are marked for review, right-to-left pages, a language stored per user and independent
of the communication language, and a page that tells how far each translation is."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.test import Client

from sleutelnet.web import translations
from tests.auth import login

LOCALE = Path(__file__).resolve().parents[2] / "src/sleutelnet/locale"
PORTAL = ("ar", "fa", "ti", "tr")
NPLURALS = {"ar": 6, "fa": 2, "ti": 2, "tr": 2}


@pytest.mark.parametrize("code", PORTAL)
def test_each_portal_catalogue_is_complete_marked_and_keeps_placeholders(code: str) -> None:
    po = polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))
    assert po.metadata["Language"] == code
    assert po.metadata["Plural-Forms"].startswith(f"nplurals={NPLURALS[code]};")
    entries = [e for e in po if not e.obsolete]
    missing = [e.msgid for e in entries if not e.translated()]
    assert not missing, missing[:20]
    assert not [e.msgid for e in entries if "fuzzy" in e.flags]
    problems = [p for p in map(translations.placeholder_problem, entries) if p]
    assert not problems, problems[:10]
    # every entry says whether a person checked it: machine-made ones carry the marker
    status = translations.status(code, code)
    assert status.total == len(entries) and status.translated == len(entries)
    assert status.machine == sum(1 for e in entries if translations.is_machine(e))
    assert (LOCALE / code / "LC_MESSAGES" / "django.mo").stat().st_mtime >= (LOCALE / code / "LC_MESSAGES" / "django.po").stat().st_mtime - 5


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "direction"), [("ar", "rtl"), ("fa", "rtl"), ("ti", "ltr"), ("tr", "ltr")])
def test_a_key_person_reads_the_portal_in_their_language(world, code: str, direction: str) -> None:
    from django.utils import translation

    with translation.override(code):
        heading = translation.gettext("The coming week")
    assert heading != "The coming week"
    from tests import factories as f

    speaks = f.language("ti")
    type(world.key_person).objects.filter(pk=world.key_person.pk).update(communication_language=speaks)
    client = Client()
    login(client, world.key_person_user)
    response = client.post("/i18n/setlang/", {"language": code, "next": "/me/"})
    assert response.status_code == 302
    html = client.get("/me/").content.decode()
    assert f'<html lang="{code}" dir="{direction}"' in html
    assert heading in html
    world.key_person.refresh_from_db()
    world.key_person_user.refresh_from_db()
    assert world.key_person.ui_language == code == world.key_person_user.preferred_language
    # stored on the account: a new phone opens in it, whatever the browser says
    other = Client(headers={"accept-language": "nl"})
    login(other, world.key_person_user)
    assert f'<html lang="{code}"' in other.get("/me/profile/").content.decode()
    # the e-mails follow the same choice (ui_language above); what they speak with newcomers stays
    assert world.key_person.communication_language == speaks


@pytest.mark.django_db
def test_staff_keep_dutch_or_english(world) -> None:
    client = Client()
    login(client, world.coordinator)
    html = client.get("/coordinator/").content.decode()
    switch = html.split('lang-switch">')[1].split("</form>")[0]
    assert 'value="en"' in switch and 'value="ar"' not in switch  # not offered
    client.post("/i18n/setlang/", {"language": "ar", "next": "/coordinator/"})
    world.coordinator.refresh_from_db()
    assert world.coordinator.preferred_language != "ar"
    assert '<html lang="nl"' in client.get("/coordinator/").content.decode()


@pytest.mark.django_db
def test_the_sign_in_pages_offer_every_portal_language(client) -> None:
    html = client.get("/login/").content.decode()
    for code in PORTAL:
        assert f'value="{code}"' in html
    response = client.post("/i18n/setlang/", {"language": "ti", "next": "/login/"})
    assert response.status_code == 302
    assert '<html lang="ti" dir="ltr"' in client.get("/login/").content.decode()


@pytest.mark.django_db
def test_the_translation_status_page_tells_how_far_each_language_is(client) -> None:
    html = client.get("/translations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for s in translations.all_statuses():
        row = html.split(f'id="language-{s.code}"')[1].split("</tr>")[0]
        assert f">{s.total}<" in row and f">{s.machine}<" in row and f">{s.reviewed}<" in row
    assert "Made by a computer, not checked yet" in html
