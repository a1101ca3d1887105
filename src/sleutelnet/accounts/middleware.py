"""Idle and absolute limits of a browser session, per role (settings.SESSION_LIMITS)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from sleutelnet.core.selectors import roles_of

SIGNED_IN_AT = "sn_signed_in_at"
SEEN_AT = "sn_seen_at"
#: Signed in by e-mail link and PIN on the own phone (a long session), and when the PIN was last typed.
LONG_SESSION = "sn_phone_session"
PIN_CHECKED_AT = "sn_pin_checked_at"


def recheck_needed(request: HttpRequest) -> bool:
    """In a long phone session, contact details of others need a PIN typed in the last few minutes."""
    session = getattr(request, "session", None)
    if session is None or not session.get(LONG_SESSION):
        return False
    return time.time() - float(session.get(PIN_CHECKED_AT) or 0) > settings.PIN_RECHECK_MINUTES * 60


def set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """The interface language for this device, with the cookie settings Django's own switch uses."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


def limits_for(user: object, phone_session: bool = False) -> tuple[int, int]:
    """(idle seconds, absolute seconds): the strictest over the user's roles.

    A key person's session on their own phone (link and PIN) is long: PHONE_SESSION_DAYS.
    """
    if phone_session and roles_of(user) == {"key_person"}:  # type: ignore[arg-type]
        days = settings.PHONE_SESSION_DAYS * 24 * 3600
        return days, days
    rows = [settings.SESSION_LIMITS[r] for r in roles_of(user) if r in settings.SESSION_LIMITS]  # type: ignore[arg-type]
    if not rows:
        rows = [(30, 12)]
    return min(r[0] for r in rows) * 60, min(r[1] for r in rows) * 3600


#: How often a page view renews the "last seen" moment of the idle limit (limits are in minutes).
SEEN_EVERY = 30


class SessionLimitsMiddleware:
    """Ends a session that was idle too long or is older than the absolute limit; the user signs in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            now = time.time()
            session = request.session
            signed_in = session.get(SIGNED_IN_AT)
            seen = session.get(SEEN_AT, signed_in)
            idle, absolute = limits_for(user, bool(session.get(LONG_SESSION)))
            if signed_in is None or now - signed_in > absolute or (seen is not None and now - seen > idle):
                logout(request)
                messages.info(request, _("Your session has ended. Sign in again, please."))
                return redirect_to_login(request.get_full_path())
            if seen is None or now - seen > SEEN_EVERY:
                session[SEEN_AT] = now  # a session write (a query and a cookie) at most every SEEN_EVERY seconds
        return self.get_response(request)


class UserLanguageMiddleware:
    """A signed-in user's interface language: the language cookie of this device when it holds a
    language allowed for them (choosing one also stores it on the account), otherwise the
    language stored on the account, which then goes into the cookie: a new phone opens in it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation

        from sleutelnet.accounts.languages import allowed_languages, language_of

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = cookie if cookie in allowed_languages(user) else language_of(user, translation.get_language())
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        if cookie != language and getattr(user, "preferred_language", "") and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            set_language_cookie(response, language)
        return response
