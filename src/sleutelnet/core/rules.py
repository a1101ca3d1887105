"""Permission predicates shared by all apps (the `rules` package)."""

from __future__ import annotations

import rules

from sleutelnet.core.models import Role
from sleutelnet.core.selectors import has_role, organisation_ids, roles_of


def _region_id(obj: object) -> int | None:
    return getattr(obj, "region_id", None)


@rules.predicate
def is_coordinator(user, obj=None) -> bool:  # type: ignore[no-untyped-def]
    """Coordinator of the object's region (of any region when no object is given)."""
    return has_role(user, Role.COORDINATOR, _region_id(obj) if obj is not None else None)


@rules.predicate
def is_policy_officer(user, obj=None) -> bool:  # type: ignore[no-untyped-def]
    return has_role(user, Role.POLICY_OFFICER, _region_id(obj) if obj is not None else None)


@rules.predicate
def is_requester(user, obj=None) -> bool:  # type: ignore[no-untyped-def]
    """Requester; for an object with an organisation, a requester of that organisation."""
    if obj is None:
        return Role.REQUESTER in roles_of(user)
    org_id = getattr(obj, "organisation_id", None)
    return org_id is not None and org_id in organisation_ids(user)


@rules.predicate
def is_key_person(user, obj=None) -> bool:  # type: ignore[no-untyped-def]
    """Key person; for an assignment, the key person it belongs to."""
    kp = getattr(user, "key_person", None) if getattr(user, "is_authenticated", False) else None
    if kp is None:
        return False
    if obj is None:
        return True
    return getattr(obj, "key_person_id", None) == kp.id
