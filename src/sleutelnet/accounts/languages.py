"""Which interface languages a user may choose, and which one they chose.

The choice is stored on the user (`User.preferred_language`, mirrored to `KeyPerson.ui_language`
for the key person's e-mails) and is independent of the key person's communication language,
which says what they speak with newcomers. Staff pages exist in Dutch and English; the
key-person portal and the sign-in pages also in Arabic, Farsi, Tigrinya and Turkish.
"""

from __future__ import annotations

from django.conf import settings

from sleutelnet.core.models import Role
from sleutelnet.core.selectors import roles_of


def allowed_languages(user: object) -> tuple[str, ...]:
    """Portal languages for key persons and for anyone not signed in; Dutch and English for staff."""
    if not getattr(user, "is_authenticated", False):
        return tuple(settings.PORTAL_LANGUAGES)
    roles = roles_of(user)  # type: ignore[arg-type]
    if roles and roles <= {Role.KEY_PERSON}:
        return tuple(settings.PORTAL_LANGUAGES)
    return tuple(settings.STAFF_LANGUAGES)


def language_of(user: object, browser: str = "") -> str:
    """The user's stored choice; without one the browser's language; Dutch when neither is allowed for them."""
    allowed = allowed_languages(user)
    for candidate in (getattr(user, "preferred_language", ""), browser):
        if candidate in allowed:
            return candidate
    return settings.LANGUAGE_CODE
