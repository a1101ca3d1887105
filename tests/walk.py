"""Shared by the tests that walk every URL: the resolver's URLs, two regions of records, and
the records each role owns and those outside its scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sleutelnet.core import clock
from sleutelnet.core.models import Membership, Role, User
from sleutelnet.deployments import services
from tests import factories as f
from tests.web.conftest import accepted_in_past, report_data

if TYPE_CHECKING:
    from tests.conftest import World


def url_patterns() -> list[tuple[str, URLPattern]]:
    """(view name, pattern) of every URL the project answers, as the resolver sees them."""
    found: list[tuple[str, URLPattern]] = []

    def walk(patterns: list[Any], namespaces: list[str]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, namespaces + ([p.namespace] if p.namespace else []))
            else:
                name = p.name or f"{p.lookup_str}"
                found.append((":".join([*namespaces, name]), p))

    walk(get_resolver().url_patterns, [])
    return found


# --- the world the walk runs in ---------------------------------------------------------------


@dataclass
class Records:
    """One world's records of each kind: the ones a role owns, and the ones outside its scope."""

    world: World
    request: Any
    assignment: Any
    report: Any
    org2_request: Any
    org2_assignment: Any
    org2_report: Any
    other_key_person: Any
    org2: Any
    privacy_officer: User
    administrator: User
    api_token: Any
    signal: Any = None
    org_signal: Any = None
    consultation: Any = None
    org_consultation: Any = None
    course: Any = None
    session: Any = None
    claim: Any = None
    org2_claim: Any = None
    import_batch: Any = None
    #: a finished background task (with a file) per role's user
    tasks: dict[str, Any] = field(default_factory=dict)
    markers: dict[str, set[str]] = field(default_factory=dict)


def build(world: World) -> Records:
    """A request of the world's organisation, accepted and reported by its key person, and the
    same for a second organisation with a second key person."""
    a = accepted_in_past(world, days_ago=2, newcomer=world.newcomer)
    report = services.submit_report(actor=world.key_person_user, assignment=a, data=report_data(a))
    org2 = f.OrganisationFactory(region=world.region, municipality=world.municipality)
    requester2 = f.member(Role.REQUESTER, world.region, org2)
    kp2_user = f.member(Role.KEY_PERSON, world.region)
    kp2 = f.KeyPersonFactory(region=world.region, user=kp2_user, email=kp2_user.email)
    start = a.request.starts_at
    with clock.at(start - dt.timedelta(days=1)):
        req2 = services.file_request(
            actor=requester2,
            organisation=org2,
            data=world.request_data(title="Tweede organisatie", starts_at=start + dt.timedelta(hours=3), ends_at=start + dt.timedelta(hours=5)),
        )
        [a2] = services.offer(actor=world.coordinator, request=req2, key_persons=[kp2])
        services.accept(actor=kp2_user, assignment=a2)
    with clock.at(start + dt.timedelta(hours=6)):
        report2 = services.submit_report(
            actor=kp2_user,
            assignment=a2,
            data=services.ReportData(date=clock.today(), hours=Decimal(2), roles_used=f.roles("translator"), participants=3),
        )
    a.refresh_from_db()
    signal, org_signal, consultation, org_consultation = _voice(world, kp2)
    course, session = _training(world)
    claim, org2_claim = _claims(world, kp2_user)
    recs = Records(
        claim=claim,
        org2_claim=org2_claim,
        course=course,
        session=session,
        signal=signal,
        org_signal=org_signal,
        consultation=consultation,
        org_consultation=org_consultation,
        world=world,
        request=a.request,
        assignment=a,
        report=report,
        org2_request=req2,
        org2_assignment=a2,
        org2_report=report2,
        other_key_person=kp2,
        org2=org2,
        privacy_officer=f.member(Role.PRIVACY_OFFICER, world.region),
        administrator=f.member(Role.ADMINISTRATOR, world.region, is_staff=True),
        api_token=_token(world),
    )
    recs.import_batch = _import(world)
    for role in ("anonymous", *Role.values):
        user = user_of(recs, role) or world.coordinator
        recs.tasks[role] = _task(user, world)
    return recs


def _import(world: World) -> Any:
    """An import of the region, checked and imported (so it can be undone)."""
    from sleutelnet.imports import services as imports

    raw = f"Referentie,Naam\nWALK-{world.region.pk},Geïmporteerd {world.region.name}\n".encode()
    batch = imports.upload(actor=world.coordinator, region=world.region, kind="key_persons", file_name="walk.csv", raw=raw)
    return imports.run_import(actor=world.coordinator, batch=imports.check(actor=world.coordinator, batch=batch))


def _task(user: User, world: World) -> Any:
    """A finished background task of `user` with a file to download."""
    from django.utils import timezone

    from sleutelnet.tasks.models import Task, TaskStatus

    return Task.objects.create(
        name="exports.list", owner=user, title=f"Export {user.username}", backend="embedded", status=TaskStatus.DONE,
        result_file=b"x", result_name="list.csv", result_type="text/csv", finished_at=timezone.now(),
    )


def _voice(world: World, other_key_person: Any) -> tuple[Any, Any, Any, Any]:
    """A signal raised by the key person and routed to the policy officer; one raised by the
    coordinator and routed to the organisation; a consultation of the policy officer asking the
    key person, and one of the requester asking only the other key person."""
    from sleutelnet.voice import services as voice

    def raise_(actor: User, theme: str) -> Any:
        return voice.raise_signal(actor=actor, data=voice.SignalData(
            theme=theme, description="Ouders begrijpen de schoolapp niet.", community="Eritrese ouders",
            municipality=world.municipality, people_affected="some",
        ))

    deadline = clock.today() + dt.timedelta(days=20)
    signal = voice.route_signal(actor=world.coordinator, signal=raise_(world.key_person_user, "Schoolapp"), deadline=deadline, owner_user=world.policy_officer)
    org_signal = voice.route_signal(actor=world.coordinator, signal=raise_(world.coordinator, "Wachtlijst taalcafé"), deadline=deadline, owner_organisation=world.organisation)
    asked = voice.ask_consultation(actor=world.policy_officer, region_id=world.region.id, data=voice.ConsultationData(
        title="Brief brede intake", question="Is deze brief duidelijk?", deadline=deadline, draft_text="Beste inwoner,\n\nU bent welkom.",
        key_persons=[world.key_person],
    ))
    org_asked = voice.ask_consultation(actor=world.requester, region_id=world.region.id, data=voice.ConsultationData(
        title="Taalcafé op zaterdag?", question="Komen mensen op zaterdag?", deadline=deadline, roles=f.roles("role_model"),  # nobody here has it
        organisation=world.organisation,
    ))
    return signal, org_signal, asked, org_asked


def _training(world: World) -> tuple[Any, Any]:
    """A course of the region with one session (care)."""
    from sleutelnet.care import services as care

    course = care.create_course(actor=world.coordinator, region=world.region, name=f"Basistraining {world.region.name}", kind="basic")
    session = care.plan_session(actor=world.coordinator, course=course, starts_at=timezone.now() - dt.timedelta(days=3))
    return course, session


#: The smallest PNG there is (1x1): a receipt that passes the content check.
RECEIPT_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000185d3b1d70000000049454e44ae426082"
)


def _claims(world: World, other_key_person_user: User) -> tuple[Any, Any]:
    """An expense claim with a receipt by the world's key person, and one by the other key person."""
    from sleutelnet.allowances import services as allowances

    def file(user: User) -> Any:
        return allowances.file_claim(actor=user, data=allowances.ClaimData(
            date=clock.today(), kind="public_transport", amount="7.40", description="Bus naar het gemeentehuis",
            receipt=("png", RECEIPT_PNG),
        ))

    return file(world.key_person_user), file(other_key_person_user)


def _token(world: World) -> Any:
    from sleutelnet.accounts.models import ApiToken, hash_key
    from tests.auth import api_token

    return ApiToken.objects.get(key_hash=hash_key(api_token(world.requester)))


def user_of(recs: Records, role: str) -> User | None:
    w = recs.world
    return {
        "anonymous": None,
        Role.COORDINATOR: w.coordinator,
        Role.REQUESTER: w.requester,
        Role.KEY_PERSON: w.key_person_user,
        Role.POLICY_OFFICER: w.policy_officer,
        Role.PRIVACY_OFFICER: recs.privacy_officer,
        Role.ADMINISTRATOR: recs.administrator,
    }[role]


def own_and_foreign(subject: str, role: str, mine: Records, theirs: Records) -> tuple[Any, list[Any]]:
    """The record of `subject` kind that `role` owns, and the records outside its scope."""
    w, o = mine.world, theirs.world
    same_region_foreign = role in (Role.REQUESTER, Role.KEY_PERSON)
    table: dict[str, tuple[Any, list[Any], list[Any]]] = {
        # kind: (own, foreign in another region, foreign in the same region for requesters/key persons)
        "request": (mine.request, [theirs.request], [mine.org2_request]),
        "assignment": (mine.assignment, [theirs.assignment], [mine.org2_assignment]),
        "report": (mine.report, [theirs.report], [mine.org2_report]),
        "key_person": (w.key_person, [o.key_person], [mine.other_key_person]),
        "newcomer": (w.newcomer, [o.newcomer], []),
        "consent": (w.newcomer.consents.first(), [o.newcomer.consents.first()], []),
        "api_token": (mine.api_token, [theirs.api_token], []),
        "organisation": (w.organisation, [o.organisation], [mine.org2] if role == Role.REQUESTER else []),
        "municipality": (w.municipality, [o.municipality], []),
        "course": (mine.course, [theirs.course], []),
        "claim": (mine.claim, [theirs.claim], [mine.org2_claim]),
        "session": (mine.session, [theirs.session], []),
        "import": (mine.import_batch, [theirs.import_batch], []),
        # a task is its owner's alone: another role's task in the same region is foreign too
        "task": (mine.tasks[role], [theirs.tasks[role], mine.tasks["policy_officer" if role != "policy_officer" else "requester"]], []),
        # the requester owns what was routed to (or asked by) their organisation; the key person what they raised or were asked
        "signal": (mine.org_signal if role == Role.REQUESTER else mine.signal, [theirs.signal], [mine.signal if role == Role.REQUESTER else mine.org_signal]),
        "consultation": (
            mine.org_consultation if role == Role.REQUESTER else mine.consultation,
            [theirs.consultation],
            [mine.consultation if role == Role.REQUESTER else mine.org_consultation],
        ),
    }
    own, other_region, same_region = table[subject]
    return own, other_region + (same_region if same_region_foreign else [])


# --- building URLs -----------------------------------------------------------------------------


def _allowance_rate(r: Records) -> Any:
    from sleutelnet.allowances.models import AllowanceRate

    return AllowanceRate.objects.get_or_create(region=r.world.region, valid_from=dt.date(2020, 1, 1), defaults={"per_hour": 5})[0]


def _national_limit(r: Records) -> Any:
    from sleutelnet.allowances.models import AllowanceLimit

    return AllowanceLimit.objects.filter(region__isnull=True).order_by("valid_from").first()


def _payment_settings(r: Records) -> Any:
    from sleutelnet.allowances.models import PaymentSettings

    return PaymentSettings.objects.get_or_create(
        region=r.world.region, defaults={"debtor_name": f"Regio {r.world.region.name}", "iban": "NL91ABNA0417164300"}
    )[0]


ADMIN_OBJECTS = {
    "allowances_allowancerate": _allowance_rate,
    "allowances_paymentsettings": _payment_settings,
    "allowances_allowancelimit": _national_limit,
    "core_region": lambda r: r.world.region,
    "core_municipality": lambda r: r.world.municipality,
    "core_organisation": lambda r: r.world.organisation,
    "core_user": lambda r: r.world.coordinator,
    "auth_user": lambda r: r.world.coordinator,
    "core_membership": lambda r: Membership.objects.get(user=r.world.coordinator),
    "people_keypersonrole": None,
    "people_lifedomain": None,
    "people_language": None,
}


def admin_url(name: str, pattern: URLPattern, recs: Records) -> str | None:
    """An admin URL for the record of `recs` that the pattern names (None: skip this pattern)."""
    short = name.split(":", 1)[1]
    keys = set(pattern.pattern.regex.groupindex)
    if not keys:
        return reverse(name) if pattern.name else None
    if short == "app_list":
        return reverse(name, kwargs={"app_label": "core"})
    if short == "view_on_site":
        return None  # no model has a page of its own outside the admin
    model = next((m for m in ADMIN_OBJECTS if short.startswith(m + "_")), None)
    if model is None:
        return None
    getter = ADMIN_OBJECTS[model]
    if getter is None:  # shared vocabularies: the same for every region
        from sleutelnet.people.models import KeyPersonRole, Language, LifeDomain

        obj = {"people_keypersonrole": KeyPersonRole, "people_lifedomain": LifeDomain, "people_language": Language}[model].objects.first()
    else:
        obj = getter(recs)
    key = "id" if "id" in keys else "object_id"
    return reverse(name, kwargs={key: obj.pk}) if pattern.name else None


def url_for(name: str, pattern: URLPattern, record: Any) -> str:
    keys = set(pattern.pattern.regex.groupindex) | set(pattern.pattern.converters)
    kwargs: dict[str, Any] = {}
    if "uuid" in keys:
        kwargs["uuid"] = record.uuid
    if "token" in keys:
        kwargs["token"] = "x" * 43  # no feed has this secret
    if "kind" in keys:
        kwargs["kind"] = "key_persons"  # an import template
    if "table" in keys:
        kwargs["table"], kwargs["fmt"] = "reach", "csv"  # a figures export
    elif "fmt" in keys:
        kwargs["fmt"] = "csv"  # the payment export
    return reverse(name, kwargs=kwargs)
