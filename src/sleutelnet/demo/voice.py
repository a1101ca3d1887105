"""The demo's voice of newcomers: signals in every state and consultations from question to outcome.

Played through the services at moments in the past, like the rest of the history, so every step
has its events, e-mails and processing-log lines. Themes are fictional but typical of what key
persons in the Achterhoek report (domain.md: school apps, letters, waiting lists, debts).
"""

from __future__ import annotations

import datetime as dt

from sleutelnet.core import clock
from sleutelnet.core.models import User
from sleutelnet.demo import data as d
from sleutelnet.demo.region import World, aware
from sleutelnet.voice import services as voice
from sleutelnet.voice.models import Consultation, Signal, SignalEvent

#: (theme, what was noticed, community, language tag, municipality, how many, domains, days ago, the path it takes)
SIGNALS = [
    ("Schoolapp alleen in het Nederlands", "Veel ouders lezen de berichten van school niet: de app is alleen in het Nederlands. Ze missen ouderavonden.",
     "Eritrese ouders", "ti", "doetinchem", "many", ("education", "family", "digital"), 80, "closed_published"),
    ("Berichten van school niet gelezen", "Ouders weten niet dat er morgen geen school is. De app stuurt alles in het Nederlands.",
     "Syrische ouders", "ar", "doetinchem", "some", ("education", "digital"), 74, "merged"),
    ("Wachtlijst taalcafé", "De wachtlijst voor het taalcafé is drie maanden. Mensen willen eerder oefenen.",
     "Statushouders in Winterswijk", None, "winterswijk", "some", ("language", "social"), 60, "answered_published"),
    ("Brief over energietoeslag niet begrepen", "Veel mensen begrijpen de brief over de energietoeslag niet en vragen niets aan.",
     "Afghaanse gezinnen", "prs", "oij", "many", ("finances", "administration"), 45, "reopened"),
    ("Huisarts neemt geen nieuwe patiënten", "Nieuwe inwoners vinden geen huisarts. Ze gaan naar de spoedpost voor kleine dingen.",
     "Nieuwkomers in Berkelland", None, "berkelland", "many", ("health",), 30, "in_progress"),
    ("Sportclub te duur voor kinderen", "Kinderen willen voetballen, maar de contributie is te hoog. Ouders kennen het Jeugdfonds niet.",
     "Eritrese gezinnen", "ti", "aalten", "some", ("social", "finances"), 21, "routed"),
    ("Inburgeringsles valt samen met werk", "Mensen met een baan kunnen overdag niet naar les. Er zijn geen avondlessen.",
     "Werkende statushouders", None, "doetinchem", "some", ("language", "work"), 12, "triage"),
    ("Angst voor brieven van de Belastingdienst", "Mensen openen brieven van de Belastingdienst niet, uit angst. Schulden lopen op.",
     "Turkssprekende gezinnen", "tr", "montferland", "some", ("finances", "administration"), 4, "new"),
    ("Geen fietsles voor vrouwen", "Vrouwen willen leren fietsen om zelf naar werk en les te gaan. Er is geen cursus in de buurt.",
     "Eritrese vrouwen", "ti", "oostgelre", "few", ("social", "work"), 2, "new"),
]

ANSWERS = {
    "Schoolapp alleen in het Nederlands": "De drie basisscholen in Doetinchem zetten de vertaalknop aan in de schoolapp. "
    "Sleutelpersonen geven in januari een uitleg voor ouders, in het Tigrinya en Arabisch.",
    "Wachtlijst taalcafé": "De bibliotheek opent een tweede taalcafé op zaterdagochtend. Vrijwilligers zijn gevonden.",
    "Brief over energietoeslag niet begrepen": "We hebben de brief korter gemaakt en er een telefoonnummer op gezet.",
}


def _policy_officer() -> User:
    return User.objects.get(username=d.POLICY_OFFICER.username)


def play(world: World, history_kp_user: User | None) -> dict[str, int]:
    """Raise, triage, route, answer, reopen and close signals; ask and answer consultations."""
    coordinator, officer = world.coordinator, _policy_officer()
    raisers = [i.user for i in world.key_persons if i.user is not None] or [coordinator]
    demo_user = history_kp_user or raisers[0]
    by_theme: dict[str, Signal] = {}
    to_close: list[tuple[Signal, dt.date]] = []
    for n, (theme, text, community, tag, muni, many, domains, days, path) in enumerate(SIGNALS):
        day = world.today - dt.timedelta(days=days)
        raiser = demo_user if n in (0, 3, 5) else raisers[n % len(raisers)]
        with clock.at(aware(day, dt.time(19, 30))):
            s = voice.raise_signal(actor=raiser, data=voice.SignalData(
                theme=theme, description=text, community=community, municipality=world.municipalities[muni],
                people_affected=many, life_domains=[world.domains[c] for c in domains],
                language=world.languages.get(tag) if tag else None, urgency="high" if n == 4 else "normal",
            ))
        by_theme[theme] = s
        if path == "new":
            continue
        with clock.at(aware(day + dt.timedelta(days=1), dt.time(9, 15))):
            voice.start_triage(actor=coordinator, signal=s)
        if path == "triage":
            continue
        if path == "merged":
            with clock.at(aware(day + dt.timedelta(days=1), dt.time(9, 30))):
                voice.merge_signal(actor=coordinator, duplicate=s, into=by_theme[SIGNALS[0][0]])
            continue
        owner = {"owner_organisation": world.organisations["welfare"]} if muni == "winterswijk" else {"owner_user": officer}
        with clock.at(aware(day + dt.timedelta(days=1), dt.time(10))):
            voice.route_signal(actor=coordinator, signal=s, deadline=day + dt.timedelta(days=29), **owner)  # type: ignore[arg-type]
        if path == "routed":
            continue
        actor = officer if "owner_user" in owner else world.requesters["welfare"][0]
        with clock.at(aware(day + dt.timedelta(days=3), dt.time(11))):
            voice.start_work(actor=actor, signal=s)
        if path == "in_progress":
            continue
        with clock.at(aware(day + dt.timedelta(days=12), dt.time(14))):
            voice.answer_signal(actor=actor, signal=s, answer=ANSWERS[theme], publish=path != "reopened")
        if path == "reopened":
            with clock.at(aware(day + dt.timedelta(days=13), dt.time(20))):
                voice.reopen_signal(actor=s.raised_by, signal=s, reason="Mensen bellen niet: ze durven niet. Kan iemand langskomen bij het taalcafé?")
            continue
        if path == "closed_published":
            to_close.append((s, day + dt.timedelta(days=15)))
    for s, day in to_close:  # after the duplicates were merged into it
        with clock.at(aware(day, dt.time(9))):
            voice.close_signal(actor=coordinator, signal=s)
    for s in Signal.objects.filter(region=world.region):
        first = SignalEvent.objects.filter(signal=s).order_by("at").first()
        last = SignalEvent.objects.filter(signal=s).order_by("-at").first()
        Signal.objects.filter(pk=s.pk).update(created_at=first.at, updated_at=last.at)  # type: ignore[union-attr]
    consultations = _consultations(world, officer, demo_user)
    return {"signals": len(SIGNALS), "consultations": consultations}


def _consultations(world: World, officer: User, demo_user: User) -> int:
    tigrinya, arabic = world.languages["ti"], world.languages["ar"]
    start = world.today - dt.timedelta(days=40)
    with clock.at(aware(start, dt.time(10))):
        letter = voice.ask_consultation(actor=officer, region_id=world.region.id, data=voice.ConsultationData(
            title="Uitnodiging brede intake", question="Is deze brief duidelijk voor nieuwkomers? Wat zou je anders zeggen?",
            deadline=start + dt.timedelta(days=14), languages=[tigrinya, arabic],
            draft_text="Geachte heer/mevrouw,\n\nU wordt uitgenodigd voor de brede intake op grond van de Wet inburgering 2021.\n\n"
            "Indien u verhinderd bent, dient u dit tijdig te melden.\n\nMet vriendelijke groet,\nGemeente Doetinchem",
        ))
    answered = 0
    for i, kp in enumerate(voice.audience(letter).select_related("user")[:4]):
        if kp.user is None:
            continue
        with clock.at(aware(start + dt.timedelta(days=2 + i), dt.time(20))):
            voice.answer_consultation(actor=kp.user, consultation=letter, hours="0.5", answers=[
                (None, "Schrijf 'je'. Zeg wat de intake is: een gesprek, geen toets."),
                (1, "'Op grond van de Wet inburgering' begrijpt niemand. Zeg: de gemeente helpt je met inburgeren."),
                (2, "'Indien' en 'dient' zijn moeilijk. Zeg: kun je niet? Bel ons."),
            ])
        answered += 1
    with clock.at(aware(start + dt.timedelta(days=16), dt.time(11))):
        voice.close_consultation(actor=officer, consultation=letter)
        voice.publish_outcome(actor=officer, consultation=letter, summary="Vier sleutelpersonen gaven advies. De brief is nu korter en in gewone taal.", points=[
            voice.AdvicePointData("Schrijf 'je' in plaats van 'u'", "adopted"),
            voice.AdvicePointData("Leg uit wat de intake is", "adopted"),
            voice.AdvicePointData("Geen wetsartikel in de eerste zin", "partly", "De wet staat nu onderaan, in een voetnoot."),
        ], revised_text="Beste inwoner,\n\nWe nodigen je uit voor een gesprek over je inburgering.\n\nKun je niet? Bel ons: 0314 377 377.\n\nGroet,\nGemeente Doetinchem")
    meeting_day = world.today - dt.timedelta(days=10)
    with clock.at(aware(meeting_day - dt.timedelta(days=14), dt.time(10))):
        board = voice.ask_consultation(actor=officer, region_id=world.region.id, data=voice.ConsultationData(
            title="Klankbord: wonen na de azc-periode", question="Wat hebben nieuwkomers nodig in de eerste maand in hun nieuwe huis?",
            deadline=meeting_day, kind="meeting", meeting_at=aware(meeting_day, dt.time(19)), meeting_place="Stadhuis Doetinchem",
            roles=[world.roles["advisor"]],
        ))
    attendees = list(voice.audience(board)[:5])
    with clock.at(aware(meeting_day, dt.time(21, 30))):
        voice.record_meeting(actor=officer, consultation=board, attendees=attendees, hours="2.5",
                             minutes="Vijf sleutelpersonen. Grootste zorgen: de energierekening, het afvalsysteem en de buren leren kennen.")
    with clock.at(aware(world.today - dt.timedelta(days=2), dt.time(10))):
        voice.ask_consultation(actor=officer, region_id=world.region.id, data=voice.ConsultationData(
            title="Folder schuldhulp", question="Werkt deze folder voor jouw gemeenschap? Wat mist er?",
            deadline=world.today + dt.timedelta(days=12), key_persons=[demo_user.key_person] if hasattr(demo_user, "key_person") else [],  # type: ignore[attr-defined]
            languages=[tigrinya], draft_text="Heb je schulden?\n\nJe bent niet de enige. Wij helpen je, gratis.\n\nBel of kom langs op dinsdag.",
        ))
    return Consultation.objects.filter(region=world.region).count()
