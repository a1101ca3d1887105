"""Both voice loops in headless Chromium, across roles, each in their own browser context:
a signal from the key person to the coordinator, the policy officer, back to the key person who
reopens it, answered again and closed; a consultation from question to shared outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from sleutelnet.core import clock
from sleutelnet.voice.models import Consultation, ConsultationStatus, Signal, SignalStatus
from tests.browser.conftest import login
from tests.conftest import make_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_signal_loop_across_roles(live_server, new_page):  # type: ignore[no-untyped-def]
    world = make_world()
    key_person = new_page(locale="nl-NL", width=360, height=740)
    login(key_person, live_server, world.key_person_user.username, PASSWORD)
    key_person.goto(f"{live_server.url}/signals/new/")
    key_person.fill("#id_theme", "Schoolapp alleen in het Nederlands")
    key_person.fill("#id_description", "Veel ouders lezen de berichten van school niet.")
    key_person.fill("#id_community", "Eritrese ouders")
    key_person.select_option("#id_municipality", str(world.municipality.pk))
    key_person.check("input[name=people_affected][value=many]")
    key_person.locator("main form button[type=submit]").click()
    key_person.wait_for_url("**/me/signals/*/")
    signal = Signal.objects.get()
    assert signal.status == SignalStatus.NEW

    coordinator = new_page(locale="en-GB")
    login(coordinator, live_server, world.coordinator.username, PASSWORD)
    coordinator.goto(f"{live_server.url}/coordinator/signals/")
    coordinator.get_by_role("link", name="Schoolapp alleen in het Nederlands").click()
    coordinator.get_by_role("button", name="Take into triage").click()
    coordinator.select_option("#id_route-owner", f"user:{world.policy_officer.uuid}")
    coordinator.fill("#id_route-deadline", (clock.today() + dt.timedelta(days=14)).isoformat())
    coordinator.get_by_role("button", name="Route", exact=True).click()
    coordinator.get_by_text("Saved. Everyone concerned has been told.").wait_for()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ROUTED

    officer = new_page(locale="en-GB")
    login(officer, live_server, world.policy_officer.username, PASSWORD)
    officer.goto(f"{live_server.url}/signals/")
    officer.get_by_role("link", name="Schoolapp alleen in het Nederlands").click()
    officer.fill("#id_answer", "De scholen zetten de vertaalknop aan.")
    officer.check("#id_publish")
    officer.get_by_role("button", name="Send the answer").click()
    officer.get_by_text("Your answer was sent").wait_for()

    # the key person reads the answer, says it does not answer the signal
    key_person.goto(f"{live_server.url}/me/signals/{signal.uuid}/")
    assert "De scholen zetten de vertaalknop aan." in key_person.content()
    key_person.locator("main details > summary").click()
    key_person.fill("#id_reason", "De knop vertaalt niet naar het Tigrinya.")
    key_person.locator("main details form button[type=submit]").click()
    key_person.wait_for_load_state()
    signal.refresh_from_db()
    assert (signal.status, signal.reopened) == (SignalStatus.IN_PROGRESS, 1)

    officer.goto(f"{live_server.url}/signals/{signal.uuid}/")
    assert "De knop vertaalt niet naar het Tigrinya." in officer.content()
    officer.fill("#id_answer", "Sleutelpersonen maken filmpjes in het Tigrinya over de app.")
    officer.check("#id_publish")
    officer.get_by_role("button", name="Send the answer").click()
    officer.get_by_text("Your answer was sent").wait_for()

    coordinator.goto(f"{live_server.url}/coordinator/signals/{signal.uuid}/")
    coordinator.get_by_role("button", name="Close the signal").click()
    coordinator.get_by_text("Saved.").first.wait_for()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED

    key_person.goto(f"{live_server.url}/me/you-said-we-did/")
    assert "filmpjes in het Tigrinya" in key_person.content()


def test_the_consultation_loop_across_roles(live_server, new_page):  # type: ignore[no-untyped-def]
    world = make_world()
    officer = new_page(locale="en-GB")
    login(officer, live_server, world.policy_officer.username, PASSWORD)
    officer.goto(f"{live_server.url}/consultations/new/")
    officer.fill("#id_title", "Uitnodiging brede intake")
    officer.fill("#id_question", "Is deze brief duidelijk?")
    officer.fill("#id_draft_text", "Geachte heer/mevrouw,\n\nIndien u verhinderd bent, meld dit.")
    officer.fill("#id_deadline", (clock.today() + dt.timedelta(days=7)).isoformat())
    officer.check(f"input[name=key_persons][value='{world.key_person.uuid}']")
    officer.get_by_role("button", name="Send the question").click()
    officer.wait_for_url("**/consultations/*/")
    c = Consultation.objects.get()

    key_person = new_page(locale="nl-NL", width=360, height=740)
    login(key_person, live_server, world.key_person_user.username, PASSWORD)
    key_person.goto(f"{live_server.url}/me/consultations/")
    key_person.get_by_role("link", name="Uitnodiging brede intake").click()
    key_person.fill("#id_general", "Schrijf 'je'.")
    key_person.fill("#id_paragraph_1", "'Indien' begrijpt niemand. Zeg: kun je niet?")
    key_person.fill("#id_hours", "0,5")
    key_person.locator("main form button[type=submit]").click()
    key_person.wait_for_load_state()
    assert c.answers.count() == 2

    officer.goto(f"{live_server.url}/consultations/{c.uuid}/")
    assert "'Indien' begrijpt niemand." in officer.content()
    officer.fill("#id_outcome-summary", "De brief is nu in gewone taal.")
    officer.fill("#id_outcome-point_0", "Schrijf je")
    officer.select_option("#id_outcome-adoption_0", "adopted")
    officer.fill("#id_outcome-point_1", "Geen 'indien'")
    officer.select_option("#id_outcome-adoption_1", "partly")
    officer.fill("#id_outcome-change_1", "Nu: 'Kun je niet? Bel ons.'")
    officer.fill("#id_outcome-revised_text", "Beste inwoner,\n\nKun je niet? Bel ons.")
    officer.get_by_role("button", name="Share the outcome").last.click()
    officer.get_by_text("Saved.").first.wait_for()
    c.refresh_from_db()
    assert c.status == ConsultationStatus.PUBLISHED

    key_person.goto(f"{live_server.url}/me/consultations/{c.uuid}/")
    html = key_person.content()
    assert "Nu: 'Kun je niet? Bel ons.'" in html and "Beste inwoner," in html
