"""State changes of key persons and newcomers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sleutelnet.core import processing, sensitive
from sleutelnet.core.exceptions import DomainError, InvalidTransition, NotAllowed
from sleutelnet.core.models import Municipality, Region, Role, User
from sleutelnet.core.selectors import has_role
from sleutelnet.people.models import (
    AvailabilityException,
    Consent,
    ConsentMethod,
    ConsentPurpose,
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
    WeeklyAvailability,
)


@dataclass
class KeyPersonData:
    """A key person's profile as a coordinator enters it."""

    full_name: str
    status: str = KeyPersonStatus.CANDIDATE
    email: str = ""
    phone: str = ""
    ui_language: str = "nl"
    communication_language: Language | None = None
    languages: Sequence[tuple[Language, int]] = field(default_factory=list)
    roles: Sequence[KeyPersonRole] = field(default_factory=list)
    life_domains: Sequence[LifeDomain] = field(default_factory=list)
    municipalities: Sequence[Municipality] = field(default_factory=list)
    availability: Sequence[tuple[int, dt.time, dt.time]] = field(default_factory=list)
    capacity_hours_per_month: Decimal = Decimal(16)
    vog_valid_until: dt.date | None = None
    gender: str = ""


@dataclass
class ConsentData:
    """A consent as the newcomer gave it and a professional records it."""

    purpose: str
    given_on: dt.date
    method: str
    scope: str
    text_version: str = ""
    #: For contact details: only this request (None: every request of the newcomer).
    request: Any = None


@dataclass
class NewcomerData:
    """A newcomer's pseudonymous record; `consent` only when registering (later: record_consent)."""

    reference: str
    display_name: str
    municipality: Municipality
    languages: Sequence[Language] = field(default_factory=list)
    dutch_level: str = DutchLevel.NONE
    learning_route: str = LearningRoute.UNKNOWN
    phone: str = ""
    email: str = ""
    excluded_key_persons: Sequence[KeyPerson] = field(default_factory=list)
    consent: ConsentData | None = None


def _coordinator(actor: User, region: Region) -> None:
    if not has_role(actor, Role.COORDINATOR, region.id):
        raise NotAllowed(_("Only a coordinator of this region can do this."))


def _text(value: str, name: str, max_length: int, required: bool = False) -> str:
    return sensitive.clean_text(value, name, max_length, required=required)


def _validate_key_person(data: KeyPersonData, region: Region) -> None:
    _text(data.full_name, "full_name", 200, required=True)
    _text(data.phone, "phone", 32)
    if data.status not in KeyPersonStatus.values:
        raise DomainError(_("Choose a status from the list."), field="status")
    if data.gender and data.gender not in Gender.values:
        raise DomainError(_("Choose a gender from the list."), field="gender")
    if not Decimal(0) <= Decimal(data.capacity_hours_per_month) <= Decimal(200):
        raise DomainError(_("Give between 0 and 200 hours per month."), field="capacity_hours_per_month")
    seen = set()
    for language, level in data.languages:
        if not 1 <= int(level) <= 5:
            raise DomainError(_("A language level is a number from 1 to 5."), field="languages")
        if language.id in seen:
            raise DomainError(_("Each language once, please."), field="languages")
        seen.add(language.id)
    for mun in data.municipalities:
        if mun.region_id != region.id:
            raise DomainError(_("Choose municipalities of your region."), field="municipalities")
    for weekday, start, end in data.availability:
        if not 0 <= weekday <= 6:
            raise DomainError(_("Choose a day of the week."), field="availability")
        if end <= start:
            raise DomainError(_("The end of a time slot must be after its start."), field="availability")


def _require_onboarding(kp: KeyPerson, data: KeyPersonData) -> None:
    """A candidate becomes active only through the onboarding checklist (care.services.activate).

    Registering someone who already works as a key person (an existing pool) may start as
    active; a candidate is not made active by editing the profile.
    """
    if data.status != KeyPersonStatus.ACTIVE or kp.status != KeyPersonStatus.CANDIDATE:
        return
    raise DomainError(
        _("A candidate becomes active when every onboarding step is done: use the onboarding page."), field="status"
    )


def _apply_key_person(kp: KeyPerson, data: KeyPersonData) -> KeyPerson:
    kp.full_name = data.full_name.strip()
    kp.status = data.status
    if kp.status != KeyPersonStatus.PAUSED:
        kp.paused_by_self, kp.paused_until = False, None
    kp.email = data.email.strip()
    kp.phone = data.phone.strip()
    kp.ui_language = data.ui_language
    kp.communication_language = data.communication_language
    kp.capacity_hours_per_month = Decimal(data.capacity_hours_per_month)
    kp.vog_valid_until = data.vog_valid_until
    kp.gender = data.gender
    kp.save()
    kp.roles.set(data.roles)
    kp.life_domains.set(data.life_domains)
    kp.municipalities.set(data.municipalities)
    kp.languages.all().delete()
    KeyPersonLanguage.objects.bulk_create(
        KeyPersonLanguage(key_person=kp, language=lang, level=int(level)) for lang, level in data.languages
    )
    kp.availability.all().delete()
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(key_person=kp, weekday=d, start_time=s, end_time=e) for d, s, e in data.availability
    )
    return kp


@transaction.atomic
def register_key_person(*, actor: User, region: Region, data: KeyPersonData, user: User | None = None) -> KeyPerson:
    """A coordinator registers a key person (a candidate until onboarding is done)."""
    _coordinator(actor, region)
    _validate_key_person(data, region)
    kp = _apply_key_person(KeyPerson(region=region, user=user), data)
    processing.record(processing.CREATE, [kp], activity="key-person-registry", actor=actor)
    return kp


@transaction.atomic
def update_key_person(*, actor: User, key_person: KeyPerson, data: KeyPersonData) -> KeyPerson:
    """A coordinator updates a key person's profile."""
    _coordinator(actor, key_person.region)
    _validate_key_person(data, key_person.region)
    locked = KeyPerson.objects.select_for_update(no_key=True).get(pk=key_person.pk)
    _require_onboarding(locked, data)
    kp = _apply_key_person(locked, data)
    processing.record(processing.UPDATE, [kp], activity="key-person-registry", actor=actor)
    return kp


@transaction.atomic
def update_own_profile(
    *,
    actor: User,
    phone: str,
    email: str,
    ui_language: str,
    availability: Sequence[tuple[int, dt.time, dt.time]] | None = None,
    work: dict[str, Any] | None = None,
) -> KeyPerson:
    """A key person keeps their own contact details and language up to date, and if given their
    weekly availability and what they offer (`work`: the arguments of update_own_work_profile)."""
    from django.conf import settings

    kp = _own(actor)
    phone = _text(phone, "phone", 32)
    if ui_language not in {code for code, _name in settings.LANGUAGES}:
        raise DomainError(_("Choose a language from the list."), field="ui_language")
    kp.phone, kp.email, kp.ui_language = phone, email.strip(), ui_language
    kp.save(update_fields=["phone", "email", "ui_language", "updated_at"])
    User.objects.filter(pk=actor.pk).update(preferred_language=ui_language)
    if availability is not None:
        set_own_availability(actor=actor, slots=availability)
    if work is not None:
        update_own_work_profile(actor=actor, **work)
    processing.record(processing.UPDATE, [kp], activity="key-person-registry", actor=actor)
    return kp


def _own(actor: User) -> KeyPerson:
    kp = getattr(actor, "key_person", None)
    if kp is None:
        raise NotAllowed(_("Only a key person has a profile here."))
    return KeyPerson.objects.select_for_update(no_key=True).get(pk=kp.pk)


@transaction.atomic
def update_own_work_profile(
    *,
    actor: User,
    roles: Sequence[KeyPersonRole],
    life_domains: Sequence[LifeDomain],
    municipalities: Sequence[Municipality],
    languages: Sequence[Language],
) -> KeyPerson:
    """A key person says which roles, life domains, municipalities and languages they offer.

    Levels of languages they already had stay; a new language starts at level 3 (the
    coordinator can adjust it after the intake).
    """
    kp = _own(actor)
    if not roles:
        raise DomainError(_("Choose at least one role."), field="roles")
    if not municipalities:
        raise DomainError(_("Choose at least one municipality."), field="municipalities")
    if any(m.region_id != kp.region_id for m in municipalities):
        raise DomainError(_("Choose a municipality of your region."), field="municipalities")
    if not languages:
        raise DomainError(_("Choose at least one language."), field="languages")
    kp.roles.set(roles)
    kp.life_domains.set(life_domains)
    kp.municipalities.set(municipalities)
    wanted = {lang.id for lang in languages}
    kp.languages.exclude(language_id__in=wanted).delete()
    have = set(kp.languages.values_list("language_id", flat=True))
    KeyPersonLanguage.objects.bulk_create(KeyPersonLanguage(key_person=kp, language_id=i, level=3) for i in wanted - have)
    kp.save(update_fields=["updated_at"])
    processing.record(processing.UPDATE, [kp], activity="key-person-registry", actor=actor)
    return kp


@transaction.atomic
def set_own_availability(*, actor: User, slots: Sequence[tuple[int, dt.time, dt.time]]) -> KeyPerson:
    """Replace the key person's weekly time slots."""
    kp = _own(actor)
    for weekday, start, end in slots:
        if not 0 <= weekday <= 6 or end <= start:
            raise DomainError(_("The end of a time slot must be after its start."), field="availability")
    kp.availability.all().delete()
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(key_person=kp, weekday=d, start_time=st, end_time=e) for d, st, e in slots
    )
    processing.record(processing.UPDATE, [kp], activity="key-person-registry", actor=actor)
    return kp


@transaction.atomic
def add_own_day_off(*, actor: User, starts_on: dt.date, ends_on: dt.date, reason: str = "") -> AvailabilityException:
    """Days the key person cannot help (a holiday, an exam); matching leaves them out on those days."""
    from sleutelnet.core import clock

    kp = _own(actor)
    if ends_on < starts_on:
        raise DomainError(_("The last day must be on or after the first day."), field="ends_on")
    if ends_on < clock.today():
        raise DomainError(_("These days are already over."), field="ends_on")
    if (ends_on - starts_on).days > 366:
        raise DomainError(_("Choose at most one year. For a longer break, pause instead."), field="ends_on")
    reason = _text(reason, "reason", 200)
    day_off = AvailabilityException.objects.create(key_person=kp, starts_on=starts_on, ends_on=ends_on, reason=reason)
    processing.record(processing.UPDATE, [kp], activity="key-person-registry", actor=actor)
    return day_off


@transaction.atomic
def remove_own_day_off(*, actor: User, day_off_id: int) -> None:
    kp = _own(actor)
    deleted, _rows = AvailabilityException.objects.filter(key_person=kp, id=day_off_id).delete()
    if not deleted:
        raise DomainError(_("These days off were already removed."), field="day_off")
    processing.record(processing.UPDATE, [kp], activity="key-person-registry", actor=actor)


@transaction.atomic
def pause_self(*, actor: User, until: dt.date | None) -> KeyPerson:
    """The key person takes a break: no new offers until they end it (or until the given day)."""
    from sleutelnet.core import clock

    kp = _own(actor)
    if kp.status != KeyPersonStatus.ACTIVE:
        raise InvalidTransition(_("Only an active key person can pause. Ask your coordinator."))
    if until is not None and until < clock.today():
        raise DomainError(_("Choose a day from today on."), field="until")
    kp.status, kp.paused_by_self, kp.paused_until = KeyPersonStatus.PAUSED, True, until
    kp.save(update_fields=["status", "paused_by_self", "paused_until", "updated_at"])
    processing.record(processing.UPDATE, [kp], activity="key-person-registry", actor=actor)
    return kp


@transaction.atomic
def resume_self(*, actor: User) -> KeyPerson:
    """End a pause the key person took themselves (a pause set by the coordinator stays)."""
    kp = _own(actor)
    if kp.status != KeyPersonStatus.PAUSED or not kp.paused_by_self:
        raise InvalidTransition(_("Your coordinator paused you. Ask them to make you active again."))
    kp.status, kp.paused_by_self, kp.paused_until = KeyPersonStatus.ACTIVE, False, None
    kp.save(update_fields=["status", "paused_by_self", "paused_until", "updated_at"])
    processing.record(processing.UPDATE, [kp], activity="key-person-registry", actor=actor)
    return kp


@transaction.atomic
def end_expired_pauses(*, today: dt.date | None = None) -> int:
    """Daily (worker): key persons whose own pause ended are active again."""
    from sleutelnet.core import clock

    day = today or clock.today()
    due = KeyPerson.objects.select_for_update(no_key=True).filter(
        status=KeyPersonStatus.PAUSED, paused_by_self=True, paused_until__lt=day
    )
    ids = list(due.values_list("id", flat=True))
    KeyPerson.objects.filter(id__in=ids).update(status=KeyPersonStatus.ACTIVE, paused_by_self=False, paused_until=None)
    return len(ids)


def _validate_newcomer(data: NewcomerData, region: Region, existing: Newcomer | None) -> None:
    reference = _text(data.reference, "reference", 40, required=True)
    _text(data.display_name, "display_name", 80, required=True)
    digits = "".join(ch for ch in reference if ch.isdigit())
    if len(digits) == 9 and len(digits) == len(reference.replace(" ", "").replace(".", "")):
        raise DomainError(_("This looks like a BSN. Use the municipality's own reference instead."), field="reference")
    clash = Newcomer.objects.filter(region=region, reference__iexact=reference)
    if existing is not None:
        clash = clash.exclude(pk=existing.pk)
    if clash.exists():
        raise DomainError(_("Another newcomer already has this reference."), field="reference")
    if data.municipality.region_id != region.id:
        raise DomainError(_("Choose a municipality of your region."), field="municipality")
    if data.dutch_level not in DutchLevel.values:
        raise DomainError(_("Choose a Dutch level from the list."), field="dutch_level")
    if data.learning_route not in LearningRoute.values:
        raise DomainError(_("Choose a learning route from the list."), field="learning_route")
    _text(data.phone, "phone", 32)
    _text(data.email, "email", 254)
    if data.consent is not None:
        _validate_consent(data.consent, None)
    for kp in data.excluded_key_persons:
        if kp.region_id != region.id:
            raise DomainError(_("Choose key persons of your region."), field="excluded_key_persons")


def _apply_newcomer(nc: Newcomer, data: NewcomerData) -> Newcomer:
    nc.reference = data.reference.strip()
    nc.display_name = data.display_name.strip()
    nc.municipality = data.municipality
    nc.dutch_level = data.dutch_level
    nc.learning_route = data.learning_route
    nc.phone = data.phone.strip()
    nc.email = data.email.strip()
    nc.save()
    nc.languages.set(data.languages)
    nc.excluded_key_persons.set(data.excluded_key_persons)
    return nc


@transaction.atomic
def register_newcomer(*, actor: User, region: Region, data: NewcomerData) -> Newcomer:
    """A coordinator registers a newcomer, pseudonymously."""
    _coordinator(actor, region)
    _validate_newcomer(data, region, None)
    nc = _apply_newcomer(Newcomer(region=region), data)
    if data.consent is not None:
        _create_consent(actor, nc, data.consent)
    processing.record(processing.CREATE, [nc], activity="newcomer-registration", actor=actor)
    return nc


@transaction.atomic
def update_newcomer(*, actor: User, newcomer: Newcomer, data: NewcomerData) -> Newcomer:
    """A coordinator updates a newcomer's record (e.g. records consent)."""
    _coordinator(actor, newcomer.region)
    _validate_newcomer(data, newcomer.region, newcomer)
    # FOR UPDATE, not NO KEY: the reference may change, a column of the unique (region, reference).
    nc = _apply_newcomer(Newcomer.objects.select_for_update().get(pk=newcomer.pk), data)
    processing.record(processing.UPDATE, [nc], activity="newcomer-registration", actor=actor)
    return nc


# --- consent ----------------------------------------------------------------------------------


def _validate_consent(data: ConsentData, newcomer: Newcomer | None) -> None:
    from sleutelnet.core import clock

    if data.purpose not in ConsentPurpose.values:
        raise DomainError(_("Choose what the consent is for."), field="purpose")
    if data.given_on is None:
        raise DomainError(_("Give the date the newcomer agreed."), field="given_on")
    if data.given_on > clock.today():
        raise DomainError(_("The date cannot be in the future."), field="given_on")
    if data.method not in ConsentMethod.values:
        raise DomainError(_("Say how the consent was given."), field="method")
    _text(data.scope, "scope", 300, required=True)
    _text(data.text_version, "text_version", 40)
    if data.request is not None:
        if data.purpose != ConsentPurpose.SHARE_CONTACT:
            raise DomainError(_("Only consent to share contact details can be for one request."), field="request")
        if newcomer is None or data.request.newcomer_id != newcomer.id:
            raise DomainError(_("Choose a request about this newcomer."), field="request")


def _create_consent(actor: User, nc: Newcomer, data: ConsentData) -> Consent:
    from sleutelnet.core import clock

    return Consent.objects.create(
        newcomer=nc,
        purpose=data.purpose,
        request=data.request,
        given_on=data.given_on,
        method=data.method,
        scope=data.scope.strip(),
        text_version=data.text_version.strip(),
        recorded_by=actor,
        recorded_at=clock.now(),
    )


@transaction.atomic
def record_consent(*, actor: User, newcomer: Newcomer, data: ConsentData) -> Consent:
    """A coordinator records a consent the newcomer gave: when, how, what it covers, by whom recorded."""
    _coordinator(actor, newcomer.region)
    nc = Newcomer.objects.select_for_update(no_key=True).get(pk=newcomer.pk)
    _validate_consent(data, nc)
    consent = _create_consent(actor, nc, data)
    processing.record(processing.UPDATE, [nc], activity="newcomer-registration", actor=actor)
    return consent


@transaction.atomic
def withdraw_consent(*, actor: User, consent: Consent, note: str) -> Consent:
    """The newcomer withdrew a consent: it no longer holds from today, and it is kept as proof.

    Withdrawing support by a key person stops new offers: the open offers of the newcomer's
    requests are withdrawn, and key persons no longer see anything of the newcomer.
    """
    from sleutelnet.core import clock
    from sleutelnet.deployments.services import withdraw_offers_for_newcomer

    c = Consent.objects.select_for_update(no_key=True).select_related("newcomer__region").get(pk=consent.pk)
    _coordinator(actor, c.newcomer.region)
    note = _text(note, "note", 500)
    if c.withdrawn_on is not None:
        raise DomainError(_("This consent was already withdrawn."))
    c.withdrawn_on = max(clock.today(), c.given_on)
    c.withdrawn_by = actor
    c.withdrawal_note = note
    c.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_note", "updated_at"])
    processing.record(processing.UPDATE, [c.newcomer], activity="newcomer-registration", actor=actor)
    if c.purpose == ConsentPurpose.KEY_PERSON_SUPPORT and not c.newcomer.has_consent:
        withdraw_offers_for_newcomer(actor=actor, newcomer=c.newcomer)
    return c
