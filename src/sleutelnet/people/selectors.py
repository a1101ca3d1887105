"""Reads of key persons and newcomers, restricted to what the user may see."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from sleutelnet.core.models import Role, User
from sleutelnet.core.selectors import region_ids
from sleutelnet.people.models import Consent, KeyPerson, Newcomer


def key_persons_for(user: User) -> QuerySet[KeyPerson]:
    """Coordinators see their regions' key persons; a key person sees only themselves."""
    if not getattr(user, "is_authenticated", False):
        return KeyPerson.objects.none()
    cond = Q(region_id__in=region_ids(user, Role.COORDINATOR))
    kp = getattr(user, "key_person", None)
    if kp is not None:
        cond |= Q(id=kp.id)
    return (
        KeyPerson.objects.filter(cond)
        .select_related("region", "communication_language")
        .prefetch_related("languages__language", "roles", "life_domains", "municipalities", "availability")
    )


def newcomers_for(user: User) -> QuerySet[Newcomer]:
    """Only coordinators see the list of newcomers; others see a newcomer only through a request."""
    if not getattr(user, "is_authenticated", False):
        return Newcomer.objects.none()
    return (
        Newcomer.objects.filter(region_id__in=region_ids(user, Role.COORDINATOR))
        .select_related("municipality")
        .prefetch_related(
            "languages",
            "excluded_key_persons",
            Prefetch("consents", queryset=Consent.objects.select_related("newcomer", "request", "recorded_by")),
        )
    )


def consents_for(user: User) -> QuerySet[Consent]:
    """Consents of the newcomers the user coordinates."""
    if not getattr(user, "is_authenticated", False):
        return Consent.objects.none()
    return Consent.objects.filter(newcomer__region_id__in=region_ids(user, Role.COORDINATOR)).select_related(
        "newcomer", "request", "recorded_by", "withdrawn_by"
    )


def newcomer_by_reference(user: User, reference: str) -> Newcomer | None:
    """A newcomer of the user's region by the municipality's reference (how requesters name one)."""
    reference = (reference or "").strip()
    if not reference:
        return None
    return Newcomer.objects.filter(
        region_id__in=region_ids(user, Role.COORDINATOR, Role.REQUESTER), reference__iexact=reference
    ).first()
