"""Scoped reads of signals and consultations, and the voice figures.

Who sees a signal: the person who raised it (or one merged into it), the region's coordinators,
its owner (the policy officer, or the owning organisation's requesters); answered signals the
owner chose to publish are shown to the region's key persons on "You said, we did".
Who sees a consultation: the region's coordinators and policy officers, who asked it, and the
key persons it asks.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from sleutelnet.core.models import Role, User
from sleutelnet.core.selectors import organisation_ids, region_ids
from sleutelnet.people.models import KeyPerson, LifeDomain
from sleutelnet.voice.models import Adoption, Consultation, ConsultationStatus, Signal, SignalStatus


def signals_for(user: User) -> QuerySet[Signal]:
    coordinated = region_ids(user, Role.COORDINATOR)
    mine = region_ids(user)  # as the credential allows (an API token: its organisation's region)
    scope = (
        Q(region_id__in=coordinated)
        | Q(raised_by=user, region_id__in=mine)
        | Q(duplicates__raised_by=user, region_id__in=mine)
        | Q(owner_user=user, region_id__in=region_ids(user, Role.POLICY_OFFICER))
        | Q(owner_organisation_id__in=organisation_ids(user))
    )
    return Signal.objects.filter(scope).distinct()


def raised_by(user: User) -> QuerySet[Signal]:
    mine = region_ids(user)
    return Signal.objects.filter(Q(raised_by=user) | Q(duplicates__raised_by=user), region_id__in=mine).distinct()


def owned_by(user: User) -> QuerySet[Signal]:
    return Signal.objects.filter(
        Q(owner_user=user, region_id__in=region_ids(user, Role.POLICY_OFFICER)) | Q(owner_organisation_id__in=organisation_ids(user)),
        merged_into__isnull=True,
    )


def published_for(user: User) -> QuerySet[Signal]:
    """'You said, we did': answered themes the owner chose to publish, in the user's regions."""
    return Signal.objects.filter(
        region_id__in=region_ids(user), published=True, merged_into__isnull=True,
        status__in=(SignalStatus.ANSWERED, SignalStatus.CLOSED),
    ).order_by("-answered_at")


def consultations_for(user: User) -> QuerySet[Consultation]:
    kp = getattr(user, "key_person", None)
    scope = Q(region_id__in=region_ids(user, Role.COORDINATOR, Role.POLICY_OFFICER)) | Q(asked_by=user, region_id__in=region_ids(user))
    if kp is not None:
        scope |= Q(pk__in=_asking(kp))
    return Consultation.objects.filter(scope).distinct()


def _asking(kp: KeyPerson) -> QuerySet[Consultation]:
    """Consultations that ask this key person (by name, language or role, while active: the
    inverse of services.audience), that they answered, or whose meeting they attended."""
    from sleutelnet.people.models import KeyPersonStatus

    wanted = Q(answers__key_person=kp) | Q(attendees=kp)
    if kp.status == KeyPersonStatus.ACTIVE:
        wanted |= (
            Q(key_persons=kp)
            | Q(languages__in=kp.languages.values("language_id"))
            | Q(roles__in=kp.roles.values("pk"))
        )
    return Consultation.objects.filter(wanted, region_id=kp.region_id).values("pk")


def consultations_managed_by(user: User) -> QuerySet[Consultation]:
    """What the asker's pages show: own consultations, and the region's for coordinators and policy officers."""
    return Consultation.objects.filter(
        Q(region_id__in=region_ids(user, Role.COORDINATOR, Role.POLICY_OFFICER)) | Q(asked_by=user, region_id__in=region_ids(user))
    ).distinct()


def asked_of(user: User) -> QuerySet[Consultation]:
    """The consultations that ask this key person."""
    kp = getattr(user, "key_person", None)
    if kp is None or kp.region_id not in region_ids(user):
        return Consultation.objects.none()
    return Consultation.objects.filter(pk__in=_asking(kp))


# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoiceFigures:
    """Per period (and municipality): what the voice loop did."""

    signals: int
    by_theme: list[tuple[str, int]]
    by_domain: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    answered: int
    median_days_to_answer: float | None
    answered_in_time: int
    answered_with_deadline: int
    reopened: int
    published: int
    consultations: int
    answers: int
    advice_points: int
    adopted: int
    advice_hours: float

    @property
    def in_time_share(self) -> int | None:
        return round(100 * self.answered_in_time / self.answered_with_deadline) if self.answered_with_deadline else None


def voice_figures(region_id_set: set[int], start: dt.date, end: dt.date, municipality_id: int | None = None) -> VoiceFigures:
    """Signals raised and consultations asked in [start, end], counted once (merged duplicates
    count with the signal they were merged into)."""
    signals = Signal.objects.filter(
        region_id__in=region_id_set, merged_into__isnull=True, created_at__date__gte=start, created_at__date__lte=end
    )
    if municipality_id is not None:
        signals = signals.filter(municipality_id=municipality_id)
    rows = list(signals.values("pk", "status", "created_at", "first_answered_at", "deadline", "reopened", "published"))
    days = [(r["first_answered_at"] - r["created_at"]).total_seconds() / 86400 for r in rows if r["first_answered_at"]]
    from django.utils import timezone

    today = timezone.localdate()
    # In time: the first answer on or before the deadline (local days). Signals past their
    # deadline without an answer count as late.
    with_deadline = [r for r in rows if r["deadline"] and (r["first_answered_at"] or r["deadline"] < today)]
    in_time = [r for r in with_deadline if r["first_answered_at"] and timezone.localtime(r["first_answered_at"]).date() <= r["deadline"]]
    per_domain = dict(
        signals.filter(life_domains__isnull=False).order_by().values("life_domains")
        .annotate(n=Count("pk", distinct=True)).values_list("life_domains", "n")
    )
    domain_counts = [(str(d), per_domain[d.pk]) for d in LifeDomain.objects.filter(pk__in=per_domain).order_by("position")]
    by_status = [(str(label), sum(1 for r in rows if r["status"] == value)) for value, label in SignalStatus.choices]
    # a theme is a signal with the duplicates merged into it: how often was it raised?
    themes = signals.annotate(n=Count("duplicates")).order_by("-n", "-created_at").values_list("theme", "n")[:10]
    consultations = Consultation.objects.filter(region_id__in=region_id_set, created_at__date__gte=start, created_at__date__lte=end)
    asked = consultations.aggregate(n=Count("answers__key_person", distinct=True), c=Count("pk", distinct=True))
    answers = asked["n"] or 0
    points = consultations.filter(status=ConsultationStatus.PUBLISHED).aggregate(
        n=Count("advice_points"), adopted=Count("advice_points", filter=~Q(advice_points__adoption=Adoption.NOT_ADOPTED))
    )
    hours = (consultations.aggregate(h=Sum("answers__hours"))["h"] or 0) + sum(
        (c.meeting_hours or 0) * c.n for c in consultations.filter(meeting_hours__isnull=False).annotate(n=Count("attendees"))
    )
    return VoiceFigures(
        signals=len(rows),
        by_theme=[(theme, n + 1) for theme, n in themes],
        by_domain=domain_counts,
        by_status=by_status,
        answered=len(days),
        median_days_to_answer=round(statistics.median(days), 1) if days else None,
        answered_in_time=len(in_time),
        answered_with_deadline=len(with_deadline),
        reopened=sum(1 for r in rows if r["reopened"]),
        published=sum(1 for r in rows if r["published"] and r["status"] in (SignalStatus.ANSWERED, SignalStatus.CLOSED)),
        consultations=asked["c"] or 0,
        answers=answers,
        advice_points=points["n"] or 0,
        adopted=points["adopted"] or 0,
        advice_hours=float(hours),
    )
