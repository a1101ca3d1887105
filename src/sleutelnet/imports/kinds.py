"""What each kind of import reads: its columns, how a cell becomes a value, how a row is matched
on its reference, and how it is written (and put back when the import is undone).

A row becomes `values`: a dict of canonical, JSON-safe values (text, ids, ISO dates, decimals as
text) for the columns the user mapped. The same form is what `snapshot()` reads off a stored
record, so "unchanged" is a plain comparison and undoing an update is `apply(obj, before)`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sleutelnet.core import clock
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Municipality, Organisation, OrganisationKind, Region, User
from sleutelnet.core.sensitive import clean_text
from sleutelnet.deployments.models import (
    ActivityReport,
    Assignment,
    AssignmentStatus,
    ChainLink,
    Request,
    RequestKind,
    RequestStatus,
)
from sleutelnet.people.models import (
    DutchLevel,
    Gender,
    KeyPerson,
    KeyPersonLanguage,
    KeyPersonRole,
    KeyPersonStatus,
    Language,
    LearningRoute,
    LifeDomain,
    Newcomer,
)

LIST_SPLIT = re.compile(r"\s*[;,|\n]\s*")


class CellError(Exception):
    """A cell that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Column:
    """One column of an import: its field, the header in the template, and how to read it."""

    field: str
    label: Any  # lazy text: the header of the template in the user's language
    parse: Callable[[Any, Context], Any]
    required: bool = False
    help: Any = ""
    example: str = ""
    aliases: tuple[str, ...] = ()
    #: an empty cell keeps the record's value (a choice or number); otherwise it clears it
    blank_keeps: bool = False


def normalise_header(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


# --- the context: the region's vocabularies and records, loaded once per file ---------------


@dataclass
class Context:
    """What rows are read against: loaded once, so a 10,000-row file costs a few queries."""

    region: Region
    actor: User
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    roles: dict[str, KeyPersonRole] = field(default_factory=dict)
    domains: dict[str, Any] = field(default_factory=dict)
    languages: dict[str, Language] = field(default_factory=dict)
    key_persons: dict[str, KeyPerson] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    organisations_by_name: dict[str, Organisation] = field(default_factory=dict)
    newcomers: dict[str, Newcomer] = field(default_factory=dict)
    requests: dict[str, Request] = field(default_factory=dict)

    @classmethod
    def load(cls, region: Region, actor: User, kind: str) -> Context:
        ctx = cls(region=region, actor=actor)
        for m in Municipality.objects.filter(region=region):
            ctx.municipalities[m.name.casefold()] = m
            ctx.municipalities[m.cbs_code.casefold()] = m
        today = clock.today()
        for model, target in ((KeyPersonRole, ctx.roles), (LifeDomain, ctx.domains)):
            for term in model.objects.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today)):
                target[term.code.casefold()] = term
                for lang in ("nl", "en"):
                    with translation.override(lang):
                        target[str(_(term.label)).casefold()] = term
        for lang in Language.objects.all():
            for key in (lang.code, lang.name, lang.native_name, f"{lang.code}-{lang.variant}" if lang.variant else ""):
                if key:
                    ctx.languages.setdefault(key.casefold(), lang)
            for code in ("nl", "en"):
                with translation.override(code):
                    ctx.languages.setdefault(str(_(lang.name)).casefold(), lang)
        if kind in ("key_persons", "activities"):
            qs = KeyPerson.objects.filter(region=region).exclude(external_ref="")
            if kind == "key_persons":
                qs = qs.prefetch_related("roles", "life_domains", "municipalities", "languages")
            ctx.key_persons = {kp.external_ref.casefold(): kp for kp in qs}
        if kind in ("organisations", "activities"):
            for org in Organisation.objects.filter(region=region):
                ctx.organisations_by_name[org.name.casefold()] = org
                if org.external_ref:
                    ctx.organisations[org.external_ref.casefold()] = org
        if kind in ("newcomers", "activities"):
            qs = Newcomer.objects.filter(region=region)
            if kind == "newcomers":
                qs = qs.prefetch_related("languages")
            ctx.newcomers = {nc.reference.casefold(): nc for nc in qs}
        if kind == "activities":
            for r in Request.objects.filter(region=region).exclude(external_ref="").prefetch_related("assignments__report"):
                ctx.requests[r.external_ref.casefold()] = r
        return ctx


# --- cell readers ------------------------------------------------------------------------------


def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def text(max_length: int, *, multiline: bool = False) -> Callable[[Any, Context], str]:
    def read(value: Any, ctx: Context) -> str:
        raw = _text_of(value)
        if not multiline and ("\n" in raw or "\r" in raw):
            raise CellError(_("Write this on one line."))
        try:
            return clean_text(raw, "cell", max_length)
        except DomainError as exc:
            raise CellError(str(exc.message)) from exc

    return read


def reference_of(max_length: int) -> Callable[[Any, Context], str]:
    def read(value: Any, ctx: Context) -> str:
        raw = _text_of(value)
        if len(raw) > max_length:
            raise CellError(_("A reference has at most %(n)s characters.") % {"n": max_length})
        if any(ch in raw for ch in "\r\n\t"):
            raise CellError(_("A reference is one line of text."))
        return raw

    return read


reference = reference_of(64)


def email(value: Any, ctx: Context) -> str:
    raw = _text_of(value)
    if len(raw) > 254:
        raise CellError(_("This is not an e-mail address."))
    if raw:
        try:
            validate_email(raw)
        except ValidationError as exc:
            raise CellError(_("This is not an e-mail address.")) from exc
    return raw.lower()


def choice(choices: type[models.TextChoices]) -> Callable[[Any, Context], str]:
    def read(value: Any, ctx: Context) -> str:
        raw = _text_of(value).casefold()
        if not raw:
            return ""
        for code, label in choices.choices:
            names = {str(code).casefold()}
            for lang in ("nl", "en"):
                with translation.override(lang):
                    names.add(str(label).casefold())
            if raw in names:
                return str(code)
        with translation.override(translation.get_language()):
            options = ", ".join(str(label) for _code, label in choices.choices)
        raise CellError(_("Choose one of: %(options)s.") % {"options": options})

    return read


DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d-%m-%y")


def date(value: Any, ctx: Context) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raw = _text_of(value)
    if not raw:
        return None
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            continue
    raise CellError(_("This is not a date. Write it as 31-12-2026 or 2026-12-31."))


def time_of_day(value: Any, ctx: Context) -> str | None:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.datetime):
        return value.strftime("%H:%M")
    raw = _text_of(value).replace(".", ":")
    if not raw:
        return None
    try:
        return dt.datetime.strptime(raw, "%H:%M").strftime("%H:%M")
    except ValueError as exc:
        raise CellError(_("This is not a time. Write it as 14:30.")) from exc


def number(low: Decimal, high: Decimal, places: int = 1) -> Callable[[Any, Context], str | None]:
    def read(value: Any, ctx: Context) -> str | None:
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            amount = Decimal(str(value))
        else:
            raw = _text_of(value).replace(" ", "")
            if not raw:
                return None
            if "," in raw and "." not in raw:
                raw = raw.replace(",", ".")
            try:
                amount = Decimal(raw)
            except InvalidOperation as exc:
                raise CellError(_("This is not a number.")) from exc
        if not amount.is_finite() or not low <= amount <= high:
            raise CellError(_("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return str(amount.quantize(Decimal(1).scaleb(-places)))

    return read


def whole(low: int, high: int) -> Callable[[Any, Context], int | None]:
    def read(value: Any, ctx: Context) -> int | None:
        parsed = number(Decimal(low), Decimal(high), 2)(value, ctx)
        if parsed is None:
            return None
        amount = Decimal(parsed)
        if amount != amount.to_integral_value():
            raise CellError(_("Give a whole number."))
        return int(amount)

    return read


def _items(value: Any) -> list[str]:
    return [part for part in LIST_SPLIT.split(_text_of(value)) if part]


def terms(attr: str, what: Any) -> Callable[[Any, Context], list[int]]:
    """A list of vocabulary terms (or municipalities), by code or name, separated by ; or ,."""

    def read(value: Any, ctx: Context) -> list[int]:
        lookup = getattr(ctx, attr)
        ids, unknown = set(), []
        for item in _items(value):
            found = lookup.get(item.casefold())
            if found is None:
                unknown.append(item)
            else:
                ids.add(found.id)
        if unknown:
            raise CellError(_("Unknown %(what)s: %(items)s.") % {"what": what, "items": ", ".join(unknown)})
        return sorted(ids)

    return read


def language_levels(value: Any, ctx: Context) -> list[list[int]]:
    """Languages with a level 1-5: "ar:5; fa:3" (a language without a level counts as 3)."""
    levels: dict[int, int] = {}
    for item in _items(value):
        name, _sep, level = item.partition(":")
        lang = ctx.languages.get(name.strip().casefold())
        if lang is None:
            raise CellError(_("Unknown language: %(item)s.") % {"item": name.strip()})
        try:
            n = int(level.strip() or 3)
        except ValueError as exc:
            raise CellError(_("A language level is a number from 1 to 5, as in ar:5.")) from exc
        if not 1 <= n <= 5:
            raise CellError(_("A language level is a number from 1 to 5, as in ar:5."))
        if lang.id in levels:
            raise CellError(_("Each language once, please."))
        levels[lang.id] = n
    return sorted([lid, n] for lid, n in levels.items())


def one_language(value: Any, ctx: Context) -> int | None:
    raw = _text_of(value)
    if not raw:
        return None
    lang = ctx.languages.get(raw.casefold())
    if lang is None:
        raise CellError(_("Unknown language: %(item)s.") % {"item": raw})
    return lang.id


def municipality(value: Any, ctx: Context) -> int | None:
    raw = _text_of(value)
    if not raw:
        return None
    m = ctx.municipalities.get(raw.casefold())
    if m is None:
        raise CellError(_("This municipality is not in your region: %(name)s.") % {"name": raw})
    return m.id


def key_person_ref(value: Any, ctx: Context) -> int | None:
    raw = _text_of(value)
    if not raw:
        return None
    kp = ctx.key_persons.get(raw.casefold())
    if kp is None:
        raise CellError(_("No key person of your region has this reference. Import the key persons first."))
    return kp.id


def organisation_ref(value: Any, ctx: Context) -> int | None:
    raw = _text_of(value)
    if not raw:
        return None
    org = ctx.organisations.get(raw.casefold()) or ctx.organisations_by_name.get(raw.casefold())
    if org is None:
        raise CellError(_("No organisation of your region has this reference or name. Import the organisations first."))
    return org.id


def newcomer_ref(value: Any, ctx: Context) -> int | None:
    raw = _text_of(value)
    if not raw:
        return None
    nc = ctx.newcomers.get(raw.casefold())
    if nc is None:
        raise CellError(_("No newcomer of your region has this reference. Import the newcomers first."))
    return nc.id


# --- the kinds ------------------------------------------------------------------------------


L = gettext_lazy


@dataclass(frozen=True)
class Kind:
    """One kind of import."""

    code: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    #: the field of the row's reference (the key that makes a re-import change nothing)
    key: str
    find: Callable[[Context, dict[str, Any]], Any]
    snapshot: Callable[[Any, Sequence[str]], dict[str, Any]]
    check: Callable[[Context, dict[str, Any], Any], dict[str, str]]
    apply: Callable[[Context, Any, dict[str, Any]], Any]
    #: models whose rows may go with a created record when it is undone (besides m2m links)
    own_parts: tuple[type[models.Model], ...] = ()
    #: whether a matched row may change its record (past activities are only ever added)
    updates: bool = True
    #: fields besides the reference that must differ between the rows of one file
    unique: tuple[str, ...] = ()
    #: what snapshot() reads, loaded with the records in one go
    prefetch: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


def _ids(manager: Any) -> list[int]:
    return sorted(o.id for o in manager.all())


# key persons


def _kp_find(ctx: Context, values: dict[str, Any]) -> KeyPerson | None:
    return ctx.key_persons.get(values["external_ref"].casefold())


def _kp_snapshot(kp: KeyPerson, fields: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields:
        if f in ("roles", "life_domains", "municipalities"):
            out[f] = _ids(getattr(kp, f))
        elif f == "languages":
            out[f] = sorted([kl.language_id, kl.level] for kl in kp.languages.all())
        elif f == "capacity_hours_per_month":
            out[f] = str(Decimal(kp.capacity_hours_per_month).quantize(Decimal("0.1")))
        elif f == "vog_valid_until":
            out[f] = kp.vog_valid_until.isoformat() if kp.vog_valid_until else None
        else:
            out[f] = getattr(kp, f)
    return out


def _kp_check(ctx: Context, values: dict[str, Any], existing: KeyPerson | None) -> dict[str, str]:
    errors = {}
    status = values.get("status")
    if existing is not None and status == KeyPersonStatus.ACTIVE and existing.status == KeyPersonStatus.CANDIDATE:
        errors["status"] = _("A candidate becomes active when every onboarding step is done: use the onboarding page.")
    return errors


def _kp_apply(ctx: Context, kp: KeyPerson | None, values: dict[str, Any]) -> KeyPerson:
    if kp is None:
        kp = KeyPerson(region=ctx.region, status=KeyPersonStatus.CANDIDATE)
    for f in ("external_ref", "full_name", "email", "phone", "gender", "ui_language"):
        if f in values:
            setattr(kp, f, values[f] or "")
    if values.get("status"):
        kp.status = values["status"]
    if values.get("capacity_hours_per_month") is not None:
        kp.capacity_hours_per_month = Decimal(values["capacity_hours_per_month"])
    if "vog_valid_until" in values:
        kp.vog_valid_until = dt.date.fromisoformat(values["vog_valid_until"]) if values["vog_valid_until"] else None
    kp.save()
    for f in ("roles", "life_domains", "municipalities"):
        if f in values:
            getattr(kp, f).set(values[f])
    if "languages" in values:
        kp.languages.all().delete()
        KeyPersonLanguage.objects.bulk_create(KeyPersonLanguage(key_person=kp, language_id=lid, level=n) for lid, n in values["languages"])
    ctx.key_persons[kp.external_ref.casefold()] = kp
    return kp


KEY_PERSONS = Kind(
    code="key_persons",
    model=KeyPerson,
    key="external_ref",
    columns=(
        Column("external_ref", L("Reference"), reference, required=True, help=L("Your own number or code for this key person; the same in every file."), example="SP-001", aliases=("id", "nummer", "code", "ref", "referentie", "kenmerk")),
        Column("full_name", L("Name"), text(200), required=True, example="Amina Yusuf", aliases=("naam", "full name", "volledige naam")),
        Column("email", L("E-mail address"), email, example="amina@example.org", aliases=("email", "e-mail", "mail", "e-mailadres")),
        Column("phone", L("Phone number"), text(32), example="06 12345678", aliases=("phone", "telefoon", "mobiel", "telefoonnummer")),
        Column("status", L("Status"), choice(KeyPersonStatus), help=L("Candidate, Active, Paused or Stopped. Empty: Candidate."), example="Active", aliases=("status",), blank_keeps=True),
        Column("languages", L("Languages"), language_levels, help=L("Language codes with a level from 1 to 5, as in ar:5; nl:3."), example="ar:5; nl:3", aliases=("talen",)),
        Column("roles", L("Roles"), terms("roles", L("role")), help=L("Separate several with a semicolon (;)."), example="", aliases=("rollen",)),
        Column("life_domains", L("Life domains"), terms("domains", L("life domain")), help=L("Separate several with a semicolon (;)."), aliases=("leefdomeinen", "domeinen")),
        Column("municipalities", L("Municipalities served"), terms("municipalities", L("municipality")), help=L("Names or CBS codes, separated by a semicolon (;)."), aliases=("gemeenten", "gemeente", "municipalities", "gemeenten waar actief")),
        Column("capacity_hours_per_month", L("Capacity (hours per month)"), number(Decimal(0), Decimal(200)), example="16", aliases=("uren per maand", "capacity", "capaciteit", "capaciteit (uren per maand)"), blank_keeps=True),
        Column("vog_valid_until", L("VOG valid until"), date, example="31-12-2027", aliases=("vog", "vog geldig tot", "vog tot")),
        Column("gender", L("Gender (self-described)"), choice(Gender), help=L("Woman, Man or Other; may stay empty."), aliases=("gender", "geslacht")),
    ),
    find=_kp_find,
    snapshot=_kp_snapshot,
    check=_kp_check,
    apply=_kp_apply,
    own_parts=(KeyPersonLanguage,),
    prefetch=("roles", "life_domains", "municipalities", "languages"),
)


# newcomers


def _nc_find(ctx: Context, values: dict[str, Any]) -> Newcomer | None:
    return ctx.newcomers.get(values["reference"].casefold())


def _nc_snapshot(nc: Newcomer, fields: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields:
        if f == "languages":
            out[f] = _ids(nc.languages)
        elif f == "municipality":
            out[f] = nc.municipality_id
        else:
            out[f] = getattr(nc, f)
    return out


def _nc_check(ctx: Context, values: dict[str, Any], existing: Newcomer | None) -> dict[str, str]:
    errors = {}
    reference_ = values["reference"]
    digits = "".join(ch for ch in reference_ if ch.isdigit())
    if len(digits) == 9 and len(digits) == len(reference_.replace(" ", "").replace(".", "")):
        errors["reference"] = _("This looks like a BSN. Use the municipality's own reference instead.")
    if existing is None and not values.get("municipality"):
        errors["municipality"] = _("Give the municipality.")
    return errors


def _nc_apply(ctx: Context, nc: Newcomer | None, values: dict[str, Any]) -> Newcomer:
    if nc is None:
        nc = Newcomer(region=ctx.region)
    for f in ("reference", "display_name", "phone", "email"):
        if f in values:
            setattr(nc, f, values[f] or "")
    for f in ("dutch_level", "learning_route"):
        if values.get(f):
            setattr(nc, f, values[f])
    if values.get("municipality"):
        nc.municipality_id = values["municipality"]
    nc.save()
    if "languages" in values:
        nc.languages.set(values["languages"])
    ctx.newcomers[nc.reference.casefold()] = nc
    return nc


NEWCOMERS = Kind(
    code="newcomers",
    model=Newcomer,
    key="reference",
    columns=(
        Column("reference", L("Reference"), reference_of(40), required=True, help=L("The municipality's own reference. Never a BSN."), example="NC-2026-001", aliases=("id", "kenmerk", "referentie", "nummer")),
        Column("display_name", L("First name or initials"), text(80), required=True, example="Sara", aliases=("naam", "voornaam", "name", "first name")),
        Column("municipality", L("Municipality"), municipality, help=L("A name or CBS code of a municipality of your region."), example="", aliases=("gemeente",), blank_keeps=True),
        Column("languages", L("Languages"), terms("languages", L("language")), help=L("Language codes, separated by a semicolon (;)."), example="ar; en", aliases=("talen", "taal")),
        Column("dutch_level", L("Dutch level"), choice(DutchLevel), example="A1", aliases=("niveau nederlands", "taalniveau"), blank_keeps=True),
        Column("learning_route", L("Learning route"), choice(LearningRoute), aliases=("leerroute", "route"), blank_keeps=True),
        Column("phone", L("Phone number"), text(32), help=L("Only when the newcomer gave it."), aliases=("telefoon",)),
        Column("email", L("E-mail address"), email, help=L("Only when the newcomer gave it."), aliases=("email", "e-mail")),
    ),
    find=_nc_find,
    snapshot=_nc_snapshot,
    check=_nc_check,
    apply=_nc_apply,
    prefetch=("languages",),
)


# organisations


def _org_find(ctx: Context, values: dict[str, Any]) -> Organisation | None:
    found = ctx.organisations.get(values["external_ref"].casefold())
    if found is None and values.get("name"):
        # An organisation that exists already under this name, without a reference: it gets one.
        by_name = ctx.organisations_by_name.get(values["name"].casefold())
        if by_name is not None and not by_name.external_ref:
            return by_name
    return found


def _org_snapshot(org: Organisation, fields: Sequence[str]) -> dict[str, Any]:
    return {f: (org.municipality_id if f == "municipality" else getattr(org, f)) for f in fields}


def _org_check(ctx: Context, values: dict[str, Any], existing: Organisation | None) -> dict[str, str]:
    other = ctx.organisations_by_name.get((values.get("name") or "").casefold())
    if other is not None and (existing is None or other.pk != existing.pk):
        return {"name": _("Another organisation of your region already has this name.")}
    if existing is None and not values.get("kind"):
        return {"kind": _("Give the kind of organisation.")}
    return {}


def _org_apply(ctx: Context, org: Organisation | None, values: dict[str, Any]) -> Organisation:
    if org is None:
        org = Organisation(region=ctx.region)
    else:
        ctx.organisations_by_name.pop(org.name.casefold(), None)
    for f in ("external_ref", "name"):
        if f in values:
            setattr(org, f, values[f])
    if values.get("kind"):
        org.kind = values["kind"]
    if "municipality" in values:
        org.municipality_id = values["municipality"]
    org.save()
    ctx.organisations[org.external_ref.casefold()] = org
    ctx.organisations_by_name[org.name.casefold()] = org
    return org


ORGANISATIONS = Kind(
    code="organisations",
    model=Organisation,
    key="external_ref",
    columns=(
        Column("external_ref", L("Reference"), reference, required=True, help=L("Your own number or code for this organisation."), example="ORG-01", aliases=("id", "code", "nummer", "referentie")),
        Column("name", L("Name"), text(200), required=True, example="VluchtelingenWerk Zuid", aliases=("naam", "organisatie", "organisation")),
        Column("kind", L("Kind"), choice(OrganisationKind), help=L("For example Municipality, School, GGD or Other."), example="School", aliases=("soort", "type"), blank_keeps=True),
        Column("municipality", L("Municipality"), municipality, help=L("May stay empty for an organisation of the whole region."), aliases=("gemeente",)),
    ),
    find=_org_find,
    snapshot=_org_snapshot,
    check=_org_check,
    apply=_org_apply,
    unique=("name",),
)


# past activities


def _act_find(ctx: Context, values: dict[str, Any]) -> Request | None:
    return ctx.requests.get(values["external_ref"].casefold())


def _act_snapshot(req: Request, fields: Sequence[str]) -> dict[str, Any]:
    a = next(iter(req.assignments.all()), None)  # prefetched with its report (Context.load)
    report = getattr(a, "report", None) if a is not None else None
    known = {
        "date": report.date.isoformat() if report else None,
        "hours": str(Decimal(report.hours).quantize(Decimal("0.1"))) if report else None,
        "participants": report.participants if report else None,
        "key_person": a.key_person_id if a else None,
    }
    return {f: known[f] for f in fields if f in known}


def _act_check(ctx: Context, values: dict[str, Any], existing: Request | None) -> dict[str, str]:
    errors = {}
    if values.get("date") and dt.date.fromisoformat(values["date"]) > clock.today():
        errors["date"] = _("A past activity cannot be in the future.")
    little = values.get("participants_little_dutch")
    if little is not None and values.get("participants") is not None and little > values["participants"]:
        errors["participants_little_dutch"] = _("This cannot be more than the number of participants.")
    for f in ("roles",):
        if f in values and not values[f]:
            errors[f] = _("Give at least one role.")
    return errors


def _act_apply(ctx: Context, req: Request | None, values: dict[str, Any]) -> Request:
    if req is not None:
        return req  # activities are only added; a matched one that is the same stays as it is
    day = dt.date.fromisoformat(values["date"])
    start = dt.time.fromisoformat(values.get("start_time") or "09:00")
    starts_at = timezone.make_aware(dt.datetime.combine(day, start))
    hours = Decimal(values["hours"])
    ends_at = starts_at + dt.timedelta(minutes=int(hours * 60))
    kind = values["kind"]
    mun = next(m for m in ctx.municipalities.values() if m.id == values["municipality"])
    title = values.get("title") or f"{RequestKind(kind).label} {day:%d-%m-%Y}"
    now = clock.now()
    req = Request.objects.create(
        region=ctx.region,
        organisation_id=values["organisation"],
        requested_by=ctx.actor,
        title=str(title)[:200],
        kind=kind,
        language_id=values["language"],
        municipality=mun,
        place=mun.name,
        starts_at=starts_at,
        ends_at=ends_at,
        chain_link=values.get("chain_link") or ChainLink.EXECUTION,
        key_persons_needed=1,
        newcomer_id=values.get("newcomer"),
        status=RequestStatus.CLOSED,
        external_ref=values["external_ref"],
    )
    # A past activity was asked for when it happened: it counts in the figures of that month.
    Request.objects.filter(pk=req.pk).update(created_at=starts_at)
    req.created_at = starts_at
    req.roles.set(values["roles"])
    req.life_domains.set(values.get("life_domains") or [])
    a = Assignment.objects.create(
        request=req, key_person_id=values["key_person"], status=AssignmentStatus.APPROVED,
        offered_by=ctx.actor, offered_at=starts_at, responded_at=starts_at,
    )
    report = ActivityReport.objects.create(
        assignment=a, date=day, hours=hours, participants=values["participants"],
        participants_little_dutch=values.get("participants_little_dutch") or 0,
        submitted_at=now, reviewed_by=ctx.actor, reviewed_at=now,
    )
    report.roles_used.set(values["roles"])
    report.life_domains.set(values.get("life_domains") or [])
    report.languages_used.set([values["language"]])
    ctx.requests[req.external_ref.casefold()] = req
    return req


ACTIVITIES = Kind(
    code="activities",
    model=Request,
    key="external_ref",
    columns=(
        Column("external_ref", L("Reference"), reference, required=True, help=L("Your own number for this activity; the same in every file."), example="ACT-2025-001", aliases=("id", "nummer", "code", "referentie")),
        Column("date", L("Date"), date, required=True, example="14-03-2025", aliases=("datum",)),
        Column("start_time", L("Start time"), time_of_day, help=L("Empty: 09:00."), example="10:00", aliases=("begintijd", "tijd")),
        Column("hours", L("Hours"), number(Decimal("0.1"), Decimal(24)), required=True, example="2,5", aliases=("uren", "duur")),
        Column("key_person", L("Key person (reference)"), key_person_ref, required=True, example="SP-001", aliases=("sleutelpersoon", "key person", "sleutelpersoon (referentie)")),
        Column("municipality", L("Municipality"), municipality, required=True, aliases=("gemeente",)),
        Column("organisation", L("Organisation (reference or name)"), organisation_ref, required=True, example="ORG-01", aliases=("organisatie", "organisation", "organisatie (referentie of naam)")),
        Column("kind", L("Kind of activity"), choice(RequestKind), required=True, example="Group session", aliases=("soort", "soort activiteit", "kind")),
        Column("roles", L("Roles"), terms("roles", L("role")), required=True, help=L("Separate several with a semicolon (;)."), aliases=("rollen", "rol")),
        Column("life_domains", L("Life domains"), terms("domains", L("life domain")), aliases=("leefdomeinen", "domeinen")),
        Column("language", L("Language"), one_language, required=True, example="ar", aliases=("taal",)),
        Column("participants", L("Participants"), whole(0, 10000), required=True, example="12", aliases=("deelnemers", "bereik", "aantal")),
        Column("participants_little_dutch", L("Of whom speak little Dutch"), whole(0, 10000), example="8", aliases=("weinig nederlands",)),
        Column("newcomer", L("Newcomer (reference)"), newcomer_ref, help=L("Only for support of one newcomer."), aliases=("inburgeraar", "nieuwkomer")),
        Column("chain_link", L("Link in the integration chain"), choice(ChainLink), help=L("Empty: carrying out the PIP."), aliases=("keten", "schakel")),
        Column("title", L("Title"), text(200), aliases=("titel", "omschrijving")),
    ),
    find=_act_find,
    snapshot=_act_snapshot,
    check=_act_check,
    apply=_act_apply,
    own_parts=(Assignment, ActivityReport),
    updates=False,
)

KINDS: dict[str, Kind] = {k.code: k for k in (KEY_PERSONS, NEWCOMERS, ORGANISATIONS, ACTIVITIES)}


def auto_mapping(kind: Kind, headers: Sequence[str]) -> dict[str, str]:
    """The column each field is read from, guessed from the headers (the template's in any
    of our languages, the field's name, or a common other name)."""
    by_name = {normalise_header(h): h for h in headers if h}
    mapping: dict[str, str] = {}
    for col in kind.columns:
        names = {col.field, *col.aliases}
        for lang in ("nl", "en"):
            with translation.override(lang):
                names.add(str(col.label))
        for name in names:
            header = by_name.get(normalise_header(name))
            if header is not None and header not in mapping.values():
                mapping[col.field] = header
                break
    return mapping
