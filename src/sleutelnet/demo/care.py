"""The demo's care story: key persons in every stage of onboarding, agreements (one paid key
person), trainings with sessions, attendance and certificates, check-ins and a signed
experience statement for the demo key person. Everything through the care services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sleutelnet.care import services as care
from sleutelnet.care.models import Step
from sleutelnet.core import clock
from sleutelnet.demo import data as d
from sleutelnet.demo.region import World, aware
from sleutelnet.people import services as people_services
from sleutelnet.people.models import KeyPerson, KeyPersonStatus

#: Extra candidates, so every step of the pipeline has someone waiting at it.
NEW_CANDIDATES = (
    ("Rahel Ghebre", "f", "ti", ("translator", "connector"), ("health",)),
    ("Ibrahim Nasser", "m", "ar-syrian", ("educator", "activator"), ("work", "education")),
    ("Farida Noori", "f", "fa", ("trust_builder", "role_model"), ("family", "social")),
    ("Yonas Tesfamariam", "m", "ti", ("translator", "advisor"), ("housing", "administration")),
)
#: How far each candidate got: the steps done, in order.
CANDIDATE_STEPS = {
    "Rahel Ghebre": (),
    "Luwam Berhane": (Step.INTAKE,),
    "Samer Khalil": (Step.INTAKE, Step.BASIC_TRAINING),
    "Ibrahim Nasser": (Step.INTAKE, Step.BASIC_TRAINING, Step.VOG),
    "Farida Noori": (Step.INTAKE, Step.BASIC_TRAINING, Step.VOG, Step.AGREEMENT),
    "Yonas Tesfamariam": (Step.INTAKE, Step.BASIC_TRAINING, Step.VOG, Step.AGREEMENT, Step.CONFIDENTIALITY),
}
#: The key person who works freelance (paid), outside the volunteer limits.
PAID = "Tigist Alemu"


def play(world: World) -> dict[str, int]:
    c, today = world.coordinator, world.today
    for name, gender, tag, roles, domains in NEW_CANDIDATES:
        data = people_services.KeyPersonData(
            full_name=name, status=KeyPersonStatus.CANDIDATE, email=f"{name.split()[0].lower()}@example.org",
            communication_language=world.languages.get(tag), languages=[(world.languages[tag], 5), (world.languages["nl"], 2)],
            roles=[world.roles[r] for r in roles], life_domains=[world.domains[x] for x in domains],
            municipalities=[world.municipalities["doetinchem"]], capacity_hours_per_month=Decimal(10), gender=gender,
        )
        with clock.at(aware(today - dt.timedelta(days=20), dt.time(10))):
            people_services.register_key_person(actor=c, region=world.region, data=data)
    with clock.at(aware(today - dt.timedelta(days=800), dt.time(10))):
        basic = care.create_course(actor=c, region=world.region, name="Basistraining sleutelpersoon", kind="basic", days=3, certificate_months=36)
        health = care.create_course(actor=c, region=world.region, name="Gezondheid en zorg", kind="health", days=2, certificate_months=24)
        lived = care.create_course(actor=c, region=world.region, name="Ervaringskennis inzetten", kind="lived_experience", days=1)
        peers = care.create_course(actor=c, region=world.region, name="Intervisie", kind="intervision")
    counts = {"courses": 4, "certificates": 0, "check_ins": 0, "agreements": 0}
    people = list(KeyPerson.objects.filter(region=world.region).order_by("full_name"))
    for kp in people:
        since = kp.created_at.date() if kp.created_at.date() < today else today - dt.timedelta(days=20)
        if kp.status == KeyPersonStatus.CANDIDATE:
            _candidate(world, kp, CANDIDATE_STEPS.get(kp.full_name, ()), basic, since)
            continue
        with clock.at(aware(since + dt.timedelta(days=1), dt.time(11))):
            care.complete_step(actor=c, key_person=kp, step=Step.INTAKE, done_on=since)
            care.issue_certificate(actor=c, key_person=kp, course=basic, issued_on=since + dt.timedelta(days=1))
            counts["certificates"] += 1
            if kp.vog_valid_until is not None:
                issued = care.add_years(kp.vog_valid_until + dt.timedelta(days=1), -3)
                if issued <= clock.today():
                    with clock.at(aware(max(issued, since), dt.time(12))):
                        care.record_vog(actor=c, key_person=kp, issued_on=issued)
            paid = kp.full_name == PAID
            care.record_agreement(
                actor=c, key_person=kp, kind="freelance" if paid else "volunteer", starts_on=since, signed_on=since,
                hourly_rate=Decimal("27.50") if paid else None, confidentiality_signed_on=since,
            )
            counts["agreements"] += 1
    active = [kp for kp in people if kp.status == KeyPersonStatus.ACTIVE]
    for n, course in enumerate((health, lived)):
        with clock.at(aware(today - dt.timedelta(days=120 - 40 * n), dt.time(9))):
            session = care.plan_session(actor=c, course=course, starts_at=clock.now().replace(hour=13), place="Het Gildehuis, Doetinchem")
            group = active[n::3]
            care.record_attendance(actor=c, session=session, present=group)
            if course.gives_certificate:
                for kp in group:
                    care.issue_certificate(actor=c, key_person=kp, course=course, issued_on=clock.today())
                    counts["certificates"] += 1
    for weeks in (10, 6, 2):
        with clock.at(aware(today - dt.timedelta(weeks=weeks), dt.time(19))):
            session = care.plan_session(actor=c, course=peers, starts_at=clock.now(), place="Bibliotheek Doetinchem")
            care.record_attendance(actor=c, session=session, present=active[weeks % 4 :: 2])
    for kp, days, reason in ((active[0], 30, "regular"), (active[2], 9, "workload")):
        with clock.at(aware(today - dt.timedelta(days=days), dt.time(15))):
            care.log_check_in(actor=c, key_person=kp, on=clock.today(), reason=reason)
            counts["check_ins"] += 1
    demo = next((kp for kp in people if kp.full_name == d.DEMO_KEY_PERSON), None)
    if demo is not None:
        care.sign_experience_statement(actor=c, key_person=demo)
    return counts


def _candidate(world: World, kp: KeyPerson, steps: tuple[str, ...], basic: object, since: dt.date) -> None:
    c = world.coordinator
    day = max(since, world.today - dt.timedelta(days=15))
    with clock.at(aware(day, dt.time(10))):
        for step in steps:
            if step == Step.INTAKE:
                care.complete_step(actor=c, key_person=kp, step=step, done_on=clock.today())
            elif step == Step.BASIC_TRAINING:
                care.issue_certificate(actor=c, key_person=kp, course=basic, issued_on=clock.today())  # type: ignore[arg-type]
            elif step == Step.VOG:
                care.record_vog(actor=c, key_person=kp, issued_on=clock.today())
            elif step == Step.AGREEMENT:
                care.record_agreement(
                    actor=c, key_person=kp, kind="volunteer", starts_on=clock.today(), signed_on=clock.today(),
                    confidentiality_signed_on=clock.today() if Step.CONFIDENTIALITY in steps else None,
                )
