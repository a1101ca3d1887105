"""Permission predicates shared by all apps (the `rules` package)."""

from __future__ import annotations

import rules

from sleutelnet.core.models import Role
from sleutelnet.core.selectors import has_role


def _region_id(obj: object) -> int | None:
    return getattr(obj, "region_id", None)


@rules.predicate
def is_coordinator(user, obj=None) -> bool:  # type: ignore[no-untyped-def]
    """Coordinator of the object's region (of any region when no object is given)."""
    return has_role(user, Role.COORDINATOR, _region_id(obj) if obj is not None else None)
