"""Both voice loops through the services and the pages: a signal from raised to closed (with a
merge and a reopen), and a consultation from question to shared outcome; who may do what; the
e-mails; advice hours that count as advisor work; the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from sleutelnet.allowances.selectors import hours_summary
from sleutelnet.core import clock
from sleutelnet.core.exceptions import DomainError, InvalidTransition, NotAllowed
from sleutelnet.notifications.models import OutboxMessage
from sleutelnet.voice import services as voice
from sleutelnet.voice.models import ConsultationStatus, SignalStatus
from sleutelnet.voice.selectors import published_for, voice_figures
from tests import factories as f
from tests.auth import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_mail(world):  # type: ignore[no-untyped-def]
    """The e-mails go out in each person's own language: English here, to read the subjects."""
    from sleutelnet.core.models import User
    from sleutelnet.people.models import KeyPerson

    User.objects.update(preferred_language="en")
    KeyPerson.objects.update(ui_language="en")
    for user in (world.key_person_user, world.coordinator, world.policy_officer, world.requester):
        user.preferred_language = "en"
    from django.utils import translation

    with translation.override("en"):  # the services' refusals, read in English
        yield


def signal_data(world, **overrides):  # type: ignore[no-untyped-def]
    values = dict(
        theme="Schoolapp onduidelijk", description="Veel ouders snappen de schoolapp niet.", community="Eritrese ouders",
        municipality=world.municipality, people_affected="some", life_domains=f.domains("education"),
    )
    values.update(overrides)
    return voice.SignalData(**values)  # type: ignore[arg-type]


def mail_to(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(OutboxMessage.objects.filter(to_email=user.email).values_list("subject", flat=True))


def test_the_signal_loop_with_a_merge_a_reopen_and_a_close(world):
    kp, coordinator, officer = world.key_person_user, world.coordinator, world.policy_officer
    signal = voice.raise_signal(actor=kp, data=signal_data(world))
    assert signal.status == SignalStatus.NEW and mail_to(coordinator)
    other_kp = f.member("key_person", world.region, preferred_language="en")
    f.KeyPersonFactory(region=world.region, user=other_kp)
    duplicate = voice.raise_signal(actor=other_kp, data=signal_data(world, theme="App van school"))
    voice.start_triage(actor=coordinator, signal=signal)
    voice.merge_signal(actor=coordinator, duplicate=duplicate, into=signal)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == signal and any("Your signal" in s for s in mail_to(other_kp))
    with pytest.raises(InvalidTransition):
        voice.route_signal(actor=coordinator, signal=duplicate, deadline=clock.today(), owner_user=officer)
    with pytest.raises(DomainError, match="policy officer of the region"):
        voice.route_signal(actor=coordinator, signal=signal, deadline=clock.today(), owner_user=world.requester)
    with pytest.raises(DomainError, match="past"):
        voice.route_signal(actor=coordinator, signal=signal, deadline=clock.today() - dt.timedelta(days=1), owner_user=officer)
    voice.route_signal(actor=coordinator, signal=signal, deadline=clock.today() + dt.timedelta(days=14), owner_user=officer)
    assert any("A signal for you" in s for s in mail_to(officer))
    with pytest.raises(NotAllowed):
        voice.answer_signal(actor=world.requester, signal=signal, answer="Nee.")
    voice.start_work(actor=officer, signal=signal)
    voice.answer_signal(actor=officer, signal=signal, answer="We maken een uitleg in het Tigrinya.", publish=True)
    signal.refresh_from_db()
    duplicate.refresh_from_db()
    assert signal.status == duplicate.status == SignalStatus.ANSWERED
    assert any("An answer" in s for s in mail_to(kp)) and any("An answer" in s for s in mail_to(other_kp))
    # the one who raised it says it does not answer the signal: back to the owner
    with pytest.raises(NotAllowed):
        voice.reopen_signal(actor=world.requester, signal=signal, reason="?")
    with pytest.raises(DomainError):
        voice.reopen_signal(actor=kp, signal=signal, reason=" ")
    voice.reopen_signal(actor=kp, signal=signal, reason="Het gaat om de app zelf, niet om uitleg.")
    signal.refresh_from_db()
    assert (signal.status, signal.reopened) == (SignalStatus.IN_PROGRESS, 1)
    assert any("reopened" in s for s in mail_to(officer))
    voice.answer_signal(actor=officer, signal=signal, answer="De school past de app aan: een knop voor de taal.", publish=True)
    voice.close_signal(actor=coordinator, signal=signal)
    signal.refresh_from_db()
    assert signal.status == SignalStatus.CLOSED and signal.first_answered_at < signal.answered_at
    assert list(published_for(kp)) == [signal]
    figures = voice_figures({world.region.id}, clock.today() - dt.timedelta(days=1), clock.today())
    assert (figures.signals, figures.by_theme, figures.reopened, figures.published) == (1, [("Schoolapp onduidelijk", 2)], 1, 1)
    assert figures.answered_in_time == figures.answered_with_deadline == 1 and figures.median_days_to_answer == 0.0
    assert figures.by_domain == [("Education", 1)]  # the duplicate is counted with its main signal
    kinds = list(signal.events.values_list("kind", flat=True))
    assert kinds == ["raised", "triage", "merged_in", "routed", "in_progress", "answered", "reopened", "answered", "closed"]


def test_a_signal_needs_its_facts_and_refuses_a_bsn(world):
    with pytest.raises(DomainError) as exc:
        voice.raise_signal(actor=world.key_person_user, data=signal_data(world, theme=""))
    assert exc.value.field == "theme"
    with pytest.raises(DomainError) as exc:
        voice.raise_signal(actor=world.key_person_user, data=signal_data(world, description="Mevrouw met BSN 111222333 heeft hulp nodig."))
    assert exc.value.field == "description"
    with pytest.raises(NotAllowed):
        voice.raise_signal(actor=world.requester, data=signal_data(world))


def test_the_signal_pages_for_key_person_coordinator_and_owner(world):
    key_person, coordinator, officer = Client(headers={"accept-language": "en"}), Client(headers={"accept-language": "en"}), Client(headers={"accept-language": "en"})
    login(key_person, world.key_person_user)
    login(coordinator, world.coordinator)
    login(officer, world.policy_officer)
    form = {
        "theme": "Geen plek op taalcafé", "description": "De wachtlijst is lang.", "community": "Syrische vrouwen",
        "municipality": str(world.municipality.pk), "people_affected": "many", "urgency": "normal",
    }
    bad = key_person.post("/signals/new/", {**form, "theme": ""})
    assert bad.status_code == 400 and "This field is required." in bad.content.decode()
    response = key_person.post("/signals/new/", form)
    assert response.status_code == 302
    signal = world.key_person_user.signals_raised.get()
    assert response["Location"] == f"/me/signals/{signal.uuid}/"
    assert "Geen plek op taalcafé" in key_person.get("/me/signals/").content.decode()
    assert "Geen plek op taalcafé" in coordinator.get("/coordinator/signals/").content.decode()
    url = f"/coordinator/signals/{signal.uuid}/"
    deadline = (clock.today() + dt.timedelta(days=10)).isoformat()
    response = coordinator.post(url, {"action": "route", "route-owner": f"user:{world.policy_officer.uuid}", "route-deadline": deadline})
    assert response.status_code == 302, response.content.decode()[-3000:]
    html = officer.get(f"/signals/{signal.uuid}/").content.decode()
    assert "Geen plek op taalcafé" in html and world.key_person.full_name not in html  # owners do not learn who raised it
    assert officer.post(f"/signals/{signal.uuid}/", {"action": "answer", "answer": ""}).status_code == 400
    assert officer.post(f"/signals/{signal.uuid}/", {"action": "answer", "answer": "Er komt een tweede taalcafé.", "publish": "on"}).status_code == 302
    html = key_person.get(f"/me/signals/{signal.uuid}/").content.decode()
    assert "Er komt een tweede taalcafé." in html and "This does not answer my signal" in html
    assert "Er komt een tweede taalcafé." in key_person.get("/me/you-said-we-did/").content.decode()
    assert key_person.post(f"/me/signals/{signal.uuid}/", {"reason": "Het is te ver weg."}).status_code == 302
    signal.refresh_from_db()
    assert signal.status == SignalStatus.IN_PROGRESS
    assert "Het is te ver weg." in officer.get(f"/signals/{signal.uuid}/").content.decode()


def ask(world, **overrides):  # type: ignore[no-untyped-def]
    values = dict(
        title="Brief brede intake", question="Is deze brief duidelijk?", deadline=clock.today() + dt.timedelta(days=7),
        draft_text="Beste inwoner,\n\nU moet komen op 3 maart.\n\nNeem uw paspoort mee.", key_persons=[world.key_person],
    )
    values.update(overrides)
    return voice.ask_consultation(actor=world.policy_officer, region_id=world.region.id, data=voice.ConsultationData(**values))  # type: ignore[arg-type]


def test_the_consultation_loop_from_question_to_shared_outcome(world):
    c = ask(world)
    assert c.paragraphs() == ["Beste inwoner,", "U moet komen op 3 maart.", "Neem uw paspoort mee."]
    assert OutboxMessage.objects.filter(to_email=world.key_person.email, subject__contains="Your advice is asked").exists()
    outsider = f.member("key_person", world.region)
    f.KeyPersonFactory(region=world.region, user=outsider).roles.set(f.roles("educator"))
    with pytest.raises(NotAllowed):
        voice.answer_consultation(actor=outsider, consultation=c, answers=[(None, "Ja")])
    with pytest.raises(DomainError, match="paragraph"):
        voice.answer_consultation(actor=world.key_person_user, consultation=c, answers=[(7, "Nee")])
    voice.answer_consultation(
        actor=world.key_person_user, consultation=c, hours="1.5",
        answers=[(None, "Schrijf 'je', niet 'u'."), (1, "Zeg waar: het adres ontbreekt."), (2, "")],
    )
    assert c.answers.count() == 2
    assert hours_summary(world.key_person.id, world.region.id, clock.today()).year.waiting_hours == Decimal("1.5")
    with pytest.raises(NotAllowed):
        voice.publish_outcome(actor=world.coordinator, consultation=c, summary="x", points=[])
    with pytest.raises(DomainError, match="why not"):
        voice.publish_outcome(actor=world.policy_officer, consultation=c, summary="Goed advies.", points=[voice.AdvicePointData("Adres", "not_adopted")])
    voice.publish_outcome(
        actor=world.policy_officer, consultation=c, summary="Twee punten, beide overgenomen of deels.",
        points=[voice.AdvicePointData("Schrijf je", "adopted"), voice.AdvicePointData("Adres erbij", "partly", "Het adres staat nu onderaan.")],
        revised_text="Beste inwoner,\n\nJe bent welkom op 3 maart, Raadhuisstraat 1.",
    )
    c.refresh_from_db()
    assert c.status == ConsultationStatus.PUBLISHED and c.advice_points.count() == 2
    assert OutboxMessage.objects.filter(to_email=world.key_person.email, subject__contains="What was done with your advice").exists()
    summary = hours_summary(world.key_person.id, world.region.id, clock.today())
    assert (summary.year.approved_hours, summary.year.waiting_hours) == (Decimal("1.5"), Decimal("0"))
    with pytest.raises(InvalidTransition):
        voice.answer_consultation(actor=world.key_person_user, consultation=c, answers=[(None, "Nog iets")])
    figures = voice_figures({world.region.id}, clock.today() - dt.timedelta(days=1), clock.today())
    assert (figures.consultations, figures.answers, figures.advice_points, figures.adopted) == (1, 1, 2, 2)


def test_a_sounding_board_meeting_and_the_pages(world):
    with pytest.raises(DomainError, match="meeting"):
        ask(world, kind="meeting")
    c = ask(world, kind="meeting", meeting_at=clock.now() + dt.timedelta(days=2), meeting_place="Stadhuis", draft_text="")
    officer, key_person = Client(headers={"accept-language": "en"}), Client(headers={"accept-language": "en"})
    login(officer, world.policy_officer)
    login(key_person, world.key_person_user)
    assert "Brief brede intake" in key_person.get("/me/consultations/").content.decode()
    assert key_person.post(f"/me/consultations/{c.uuid}/", {"general": "", "hours": "0"}).status_code == 400
    assert key_person.post(f"/me/consultations/{c.uuid}/", {"general": "Kort en met plaatjes.", "hours": "0.5"}).status_code == 302
    url = f"/consultations/{c.uuid}/"
    assert "Kort en met plaatjes." in officer.get(url).content.decode()
    response = officer.post(url, {"action": "meeting", "meeting-attendees": [str(world.key_person.uuid)], "meeting-minutes": "Goed gesprek.", "meeting-hours": "2"})
    assert response.status_code == 302
    response = officer.post(url, {"action": "publish", "outcome-summary": "Dank!", "outcome-point_0": "Plaatjes", "outcome-adoption_0": ""})
    assert response.status_code == 400 and "Choose what was done with this point." in response.content.decode()
    response = officer.post(url, {"action": "publish", "outcome-summary": "Dank!", "outcome-point_0": "Plaatjes", "outcome-adoption_0": "adopted"})
    assert response.status_code == 302
    assert "Plaatjes" in key_person.get(f"/me/consultations/{c.uuid}/").content.decode()
    summary = hours_summary(world.key_person.id, world.region.id, clock.today())
    assert summary.year.approved_hours == Decimal("2.5")  # half an hour of writing, two of meeting
    figures = officer.get("/voice/figures/").content.decode()
    assert 'id="f-consultations">1<' in figures


def test_a_partner_organisation_asks_by_role_and_reads_advice_without_names(world):
    with pytest.raises(DomainError, match="not by name"):
        voice.ask_consultation(actor=world.requester, region_id=world.region.id, data=voice.ConsultationData(
            title="T", question="Q", deadline=clock.today(), key_persons=[world.key_person], organisation=world.organisation))
    c = voice.ask_consultation(actor=world.requester, region_id=world.region.id, data=voice.ConsultationData(
        title="Taalcafé op zaterdag?", question="Komen mensen?", deadline=clock.today(), roles=f.roles("translator"), organisation=world.organisation))
    voice.answer_consultation(actor=world.key_person_user, consultation=c, answers=[(None, "Ja, in de ochtend.")])
    requester = Client(headers={"accept-language": "en"})
    login(requester, world.requester)
    html = requester.get(f"/consultations/{c.uuid}/").content.decode()
    assert "Ja, in de ochtend." in html and world.key_person.full_name not in html and "A key person" in html
