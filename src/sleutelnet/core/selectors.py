"""Reads of regions, organisations and roles, restricted to what the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from sleutelnet.core.models import Membership, Municipality, Organisation, Region, Role, User


def _memberships(user: User) -> list[Membership]:
    """The user's memberships, cached on the user object for the length of one request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_sleutelnet_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("region", "organisation"))
        user._sleutelnet_memberships = cached  # type: ignore[attr-defined]
    return cached


def roles_of(user: User) -> set[str]:
    """Every role the user holds, in any region."""
    return {m.role for m in _memberships(user)}


def has_role(user: User, role: str, region_id: int | None = None) -> bool:
    """Whether the user holds `role` (in `region_id`, when given)."""
    return any(m.role == role and (region_id is None or m.region_id == region_id) for m in _memberships(user))


def region_ids(user: User, *roles: str) -> set[int]:
    """Ids of the regions in which the user holds one of `roles` (any role when none given)."""
    return {m.region_id for m in _memberships(user) if not roles or m.role in roles}


def organisation_ids(user: User) -> set[int]:
    """Ids of the organisations the user files requests for."""
    return {m.organisation_id for m in _memberships(user) if m.role == Role.REQUESTER and m.organisation_id}


def primary_role(user: User) -> str | None:
    """The role that decides the user's start page (first by a fixed order)."""
    order = [Role.COORDINATOR, Role.POLICY_OFFICER, Role.REQUESTER, Role.KEY_PERSON, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR]
    held = roles_of(user)
    return next((r.value for r in order if r in held), None)


def regions_for(user: User) -> QuerySet[Region]:
    """Regions the user belongs to."""
    return Region.objects.filter(id__in=region_ids(user))


def municipalities_for(user: User) -> QuerySet[Municipality]:
    """Municipalities in the user's regions."""
    return Municipality.objects.filter(region_id__in=region_ids(user)).order_by("name")


def organisations_for(user: User) -> QuerySet[Organisation]:
    """Organisations the user may see: all of the region for staff, their own for requesters."""
    staff_regions = region_ids(user, Role.COORDINATOR, Role.POLICY_OFFICER, Role.ADMINISTRATOR)
    from django.db.models import Q

    return Organisation.objects.filter(
        Q(region_id__in=staff_regions) | Q(id__in=organisation_ids(user))
    ).order_by("name")
