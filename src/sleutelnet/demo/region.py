"""Load the fictional Achterhoek demo region: reference data, people, and three months of history.

The reference data (region, municipalities, organisations, users, memberships) is written with
the ORM, as there are no services for it yet. Everything else goes through the services, like a
user would: key persons and newcomers through `people.services`, and every request, offer,
answer and report through `deployments.services`, replayed with `clock.at(...)` (see
`history.py`). The same command on an empty database gives the same data; only dates move with
today, so the demo always has three months behind it and three weeks ahead.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from sleutelnet.core import clock, processing
from sleutelnet.core.models import Membership, Municipality, Organisation, Region, Role, User
from sleutelnet.demo import data as d
from sleutelnet.people import services as people_services
from sleutelnet.people.models import KeyPerson, KeyPersonRole, Language, LifeDomain, Newcomer


class DemoError(Exception):
    """The demo cannot be loaded into this database (e.g. a CBS code or username is taken)."""


@dataclass(frozen=True)
class DemoLogin:
    """One printed login of the demo."""

    role: str
    username: str
    password: str
    url: str
    name: str


def demo_logins() -> list[DemoLogin]:
    """The demo's logins, one per role (the password is a demo-only constant)."""
    site = settings.SITE_URL.rstrip("/")
    rows = [
        ("coordinator", d.COORDINATOR, "/"),
        ("requester", d.REQUESTER, "/"),
        ("key person", d.Person("sleutelpersoon", *d.DEMO_KEY_PERSON.split(" ", 1)), "/"),
        ("policy officer", d.POLICY_OFFICER, "/"),
        ("privacy officer", d.PRIVACY_OFFICER, "/"),
        ("administrator", d.ADMINISTRATOR, "/admin/"),
    ]
    return [
        DemoLogin(role, p.username, d.DEMO_PASSWORD, site + path, f"{p.first_name} {p.last_name}")
        for role, p, path in rows
    ]


def format_logins(rows: list[DemoLogin] | None = None) -> str:
    """The logins as a small text table, for the terminal."""
    rows = demo_logins() if rows is None else rows
    header = ("role", "username", "password", "start URL")
    table = [header] + [(r.role, r.username, r.password, r.url) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(
        f"(demo only: every demo user has the password {d.DEMO_PASSWORD!r}, and the code "
        f"{d.DEMO_SECOND_FACTOR} as the second step; production mode refuses that code)"
    )
    lines.append(
        "(key persons can also sign in at /login/link/ with their e-mail address, for the demo "
        f"sleutelpersoon@example.org, a one-time link and a PIN; the e-mail lands as a file in {settings.EMAIL_FILE_PATH})"
    )
    return "\n".join(lines)


def demo_exists() -> bool:
    return Region.objects.filter(name=d.REGION_NAME).exists()


# --- the world the history plays in --------------------------------------------------------------


@dataclass
class NewcomerInfo:
    newcomer: Newcomer
    language: str  # main language tag
    municipality: str  # key
    consent_on: dt.date | None


@dataclass
class KeyPersonInfo:
    profile: d.KP
    key_person: KeyPerson
    data: people_services.KeyPersonData
    user: User | None


@dataclass
class World:
    """Everything the history needs, looked up once."""

    today: dt.date
    region: Region
    municipalities: dict[str, Municipality]
    organisations: dict[str, Organisation]
    org_data: dict[str, d.Org]
    requesters: dict[str, list[User]]
    coordinator: User
    languages: dict[str, Language]
    roles: dict[str, KeyPersonRole]
    domains: dict[str, LifeDomain]
    key_persons: list[KeyPersonInfo] = field(default_factory=list)
    newcomers: list[NewcomerInfo] = field(default_factory=list)

    def kp_info(self, key_person_id: int) -> KeyPersonInfo:
        return next(i for i in self.key_persons if i.key_person.id == key_person_id)


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    """A local (Europe/Amsterdam) moment."""
    return dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())


def slug(name: str) -> str:
    """'Elif Yıldız' -> 'elif.yildiz' (for usernames and example.org addresses)."""
    name = name.split("(")[0].strip().replace("ı", "i")
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(part for part in ascii_name.lower().replace("-", "").split())


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _w in options], weights=[w for _o, w in options])[0]


class ReferenceData:
    """Region, municipalities, organisations, users, key persons and newcomers."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.rng = random.Random(f"{d.SEED}-people")
        self.password = make_password(d.DEMO_PASSWORD)  # hash once; hashing is slow on purpose

    def _user(self, person: d.Person, joined: dt.date, **extra: object) -> User:
        from sleutelnet.accounts.models import DemoDevice

        user = User.objects.create(
            username=person.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            password=self.password,
            date_joined=aware(joined, dt.time(9)),
            **extra,
        )
        # The demo's second step: the published code (accounts.models.DemoDevice, never in production).
        DemoDevice.objects.create(user=user, name="demo", confirmed=True)
        return user

    def check_free(self) -> None:
        codes = [code for _k, _n, code, _w in d.MUNICIPALITIES]
        taken = list(
            Municipality.objects.filter(cbs_code__in=codes).values_list("cbs_code", flat=True)
        )
        if taken:
            raise DemoError(
                f"These CBS codes already belong to another region: {', '.join(sorted(taken))}."
            )
        usernames = [
            p.username for p in (d.COORDINATOR, d.POLICY_OFFICER, d.ADMINISTRATOR, *d.REQUESTERS)
        ]
        usernames += [kp.username or slug(kp.name) for kp in d.KEY_PERSONS if kp.login]
        taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True))
        if taken:
            raise DemoError(f"These usernames are already in use: {', '.join(sorted(taken))}.")

    def build(self) -> World:
        self.check_free()
        since = self.today - dt.timedelta(days=720)
        region = Region.objects.create(name=d.REGION_NAME)
        # The demo region pays its volunteers EUR 5 per approved hour (a demo figure, within the limits).
        from sleutelnet.allowances.models import AllowanceRate

        AllowanceRate.objects.create(region=region, valid_from=dt.date(2020, 1, 1), per_hour=Decimal("5.00"))
        municipalities = {
            key: Municipality.objects.create(region=region, name=name, cbs_code=code)
            for key, name, code, _w in d.MUNICIPALITIES
        }
        organisations = {
            o.key: Organisation.objects.create(
                region=region,
                name=o.name,
                kind=o.kind,
                municipality=municipalities[o.municipality] if o.municipality else None,
            )
            for o in d.ORGANISATIONS
        }
        coordinator = self._user(d.COORDINATOR, since)
        Membership.objects.create(user=coordinator, region=region, role=Role.COORDINATOR)
        policy = self._user(d.POLICY_OFFICER, since)
        Membership.objects.create(
            user=policy,
            region=region,
            role=Role.POLICY_OFFICER,
            organisation=organisations[d.POLICY_OFFICER.organisation or "gem_dtc"],
        )
        admin = self._user(d.ADMINISTRATOR, since, is_staff=True, is_superuser=True)
        Membership.objects.create(user=admin, region=region, role=Role.ADMINISTRATOR)
        privacy = self._user(d.PRIVACY_OFFICER, since)
        Membership.objects.create(user=privacy, region=region, role=Role.PRIVACY_OFFICER)
        requesters: dict[str, list[User]] = {}
        for person in d.REQUESTERS:
            assert person.organisation is not None  # a requester works for an organisation
            user = self._user(person, since + dt.timedelta(days=self.rng.randint(0, 400)))
            Membership.objects.create(
                user=user,
                region=region,
                role=Role.REQUESTER,
                organisation=organisations[person.organisation],
            )
            requesters.setdefault(person.organisation, []).append(user)
        world = World(
            today=self.today,
            region=region,
            municipalities=municipalities,
            organisations=organisations,
            org_data={o.key: o for o in d.ORGANISATIONS},
            requesters=requesters,
            coordinator=coordinator,
            languages={lang.tag: lang for lang in Language.objects.all()},
            roles={r.code: r for r in KeyPersonRole.objects.all()},
            domains={x.code: x for x in LifeDomain.objects.all()},
        )
        self._key_persons(world)
        self._newcomers(world)
        return world

    def _key_persons(self, world: World) -> None:
        registered: list[tuple[KeyPerson, User | None, dt.date]] = []
        for profile in d.KEY_PERSONS:
            if profile.status == "candidate":
                since = self.today - dt.timedelta(days=self.rng.randint(10, 45))
            else:
                since = self.today - dt.timedelta(days=self.rng.randint(150, 700))
            username = profile.username or slug(profile.name)
            user = None
            if profile.login:
                first, _sep, last = profile.name.split("(")[0].strip().partition(" ")
                user = self._user(d.Person(username, first, last), since)
                Membership.objects.create(user=user, region=world.region, role=Role.KEY_PERSON)
            vog = self.today + dt.timedelta(days=profile.vog) if profile.vog is not None else None
            data = people_services.KeyPersonData(
                full_name=profile.name,
                status=profile.status,
                email=f"{username}@example.org",
                communication_language=world.languages.get(profile.communication_language),
                languages=[(world.languages[tag], level) for tag, level in profile.languages],
                roles=[world.roles[code] for code in profile.roles],
                life_domains=[world.domains[code] for code in profile.domains],
                municipalities=[world.municipalities[key] for key in profile.municipalities],
                availability=[
                    slot for pattern in profile.availability for slot in d.AVAILABILITY[pattern]
                ],
                capacity_hours_per_month=Decimal(profile.capacity),
                vog_valid_until=vog,
                gender=profile.gender,
            )
            with clock.at(aware(since, dt.time(10))):
                kp = people_services.register_key_person(
                    actor=world.coordinator, region=world.region, data=data, user=user
                )
            world.key_persons.append(KeyPersonInfo(profile, kp, data, user))
            registered.append((kp, user, since))
        # Registered long ago in the story, not today (bookkeeping timestamps only).
        for kp, _user, since in registered:
            KeyPerson.objects.filter(pk=kp.pk).update(
                created_at=aware(since, dt.time(10)), updated_at=aware(since, dt.time(10))
            )

    def _newcomers(self, world: World) -> None:
        rng = self.rng
        weights = [(key, w) for key, _n, _c, w in d.MUNICIPALITIES]
        plan: list[tuple[tuple[str, ...], str]] = []
        for tags, count, names in d.NEWCOMER_GROUPS:
            for i in range(count):
                plan.append((tags, names[i % len(names)]))
        rng.shuffle(plan)
        numbers: dict[str, int] = {}
        no_consent = set(rng.sample(range(len(plan)), 6))
        recent_consent = set(rng.sample(sorted(set(range(len(plan))) - no_consent), 6))
        created: list[tuple[Newcomer, dt.date]] = []
        for i, (tags, name) in enumerate(plan):
            # Newcomers mostly live where someone of the pool speaks their language.
            spoken = {
                m
                for kp in d.KEY_PERSONS
                if kp.status == "active"
                for tag, level in kp.languages
                if level >= 3 and tag.split("-")[0] == tags[0].split("-")[0]
                for m in kp.municipalities
            }
            local = [(key, w) for key, w in weights if key in spoken]
            muni = _weighted(rng, local if local and rng.random() < 0.9 else weights)
            consent: dt.date | None
            if i in recent_consent:
                registered = self.today - dt.timedelta(days=rng.randint(30, 60))
                consent = self.today - dt.timedelta(days=rng.randint(5, 25))
            else:
                registered = self.today - dt.timedelta(days=rng.randint(100, 480))
                consent = registered + dt.timedelta(days=rng.randint(0, 20))
            if i in no_consent:
                consent = None
            prefix = f"{d.REFERENCE_PREFIX[muni]}-{registered.year}"
            numbers[prefix] = numbers.get(prefix, rng.randint(40, 160)) + rng.randint(1, 9)
            display = name if rng.random() < 0.8 else f"{name[0]}.{rng.choice('ABDFHKMRSTY')}."
            route = _weighted(rng, d.LEARNING_ROUTES) if tags[0] not in ("uk",) else "unknown"
            data = people_services.NewcomerData(
                reference=f"{prefix}-{numbers[prefix]:04d}",
                display_name=display,
                municipality=world.municipalities[muni],
                languages=[world.languages[t] for t in tags],
                dutch_level=_weighted(rng, d.DUTCH_LEVELS),
                learning_route=route,
            )
            method = _weighted(rng, d.CONSENT_METHODS) if consent else ""  # the same draws as always
            with clock.at(aware(registered, dt.time(11))):
                nc = people_services.register_newcomer(
                    actor=world.coordinator, region=world.region, data=data
                )
            if consent is not None:
                with clock.at(aware(consent, dt.time(11, 30))):
                    people_services.record_consent(
                        actor=world.coordinator,
                        newcomer=nc,
                        data=people_services.ConsentData(
                            purpose="key_person_support", given_on=consent, method=method, scope=d.CONSENT_SCOPE
                        ),
                    )
            world.newcomers.append(NewcomerInfo(nc, tags[0], muni, consent))
            created.append((nc, registered))
        for nc, registered in created:
            moment = aware(registered, dt.time(11))
            Newcomer.objects.filter(pk=nc.pk).update(created_at=moment, updated_at=moment)


# --- loading ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _no_query_log() -> Iterator[None]:
    """Do not keep every SQL statement in memory while loading (Django does when DEBUG is on).

    The history runs some 25,000 queries; logging them costs about a fifth of the load time.
    """
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


@dataclass
class LoadResult:
    created: bool
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def load_demo(*, today: dt.date | None = None) -> LoadResult:
    """Load the demo region in one transaction; does nothing when it already exists."""
    import time

    from sleutelnet.demo.history import History
    from sleutelnet.notifications.models import OutboxMessage, OutboxStatus

    if demo_exists():
        return LoadResult(created=False)
    started = time.monotonic()
    today = today or clock.today()
    # One operation for the processing log: the services write their lines (a line per person
    # per step, as always); the reads of the replay are not shown to anyone, so not collected.
    with _no_query_log(), transaction.atomic(), processing.operation(
        channel="import", collect_reads=False, description="load_demo"
    ):
        last_message = (
            OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0
        )
        world = ReferenceData(today).build()
        history = History(world)
        history.run()
        history.fix_timestamps()
        from sleutelnet.demo import voice as voice_story

        voice_counts = voice_story.play(world, history.demo_kp.user)
        from sleutelnet.demo import care as care_story

        care_counts = care_story.play(world)
        # The replay dated the requests afterwards (fix_timestamps), so the months the services
        # filled in as they went are those of today: compute the rollups again from the records.
        from sleutelnet.reporting.services import rebuild

        rebuild(region_id=world.region.id)
        # The history queued hundreds of e-mails (one per step, as the services always do). They
        # belong to the past: mark them as sent so the worker that `make run` starts does not mail
        # them all at once. Written directly with the ORM on purpose; this is not a domain step.
        OutboxMessage.objects.filter(id__gt=last_message, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.SENT, sent_at=timezone.now()
        )
        counts = history.counts() | voice_counts | care_counts
    return LoadResult(
        created=True, seconds=time.monotonic() - started, counts=counts, skipped=history.skipped
    )
