"""Template context every page needs: the user's role, for the navigation."""

from __future__ import annotations

from django.http import HttpRequest

from sleutelnet.core.selectors import primary_role, roles_of


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": set(), "primary_role": None}
    return {"roles": roles_of(user), "primary_role": primary_role(user)}
