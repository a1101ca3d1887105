"""Template context every page needs: the user's role, for the navigation, and their languages."""

from __future__ import annotations

from django.http import HttpRequest

from sleutelnet.accounts.languages import allowed_languages
from sleutelnet.accounts.middleware import recheck_needed
from sleutelnet.core.selectors import primary_role, roles_of


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    languages = allowed_languages(user)
    if user is None or not user.is_authenticated:
        return {"roles": set(), "primary_role": None, "site_language_codes": languages, "portal_only": True}
    roles = roles_of(user)
    return {
        "roles": roles,
        "portal_only": roles == {"key_person"},
        "primary_role": primary_role(user),
        "site_language_codes": languages,
        "recheck_needed": recheck_needed(request),
    }
