"""Middleware of the web app: the permission matrix before every view, and security headers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from sleutelnet.core.permissions import Outcome, decide
from sleutelnet.core.selectors import roles_of

log = logging.getLogger("sleutelnet.security")

def is_verified(request: HttpRequest) -> bool:
    """Whether the signed-in user passed the second factor in this session."""
    user = request.user
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else bool(getattr(user, "is_authenticated", False))


def _is_api_view(view_func: Callable[..., Any]) -> bool:
    """A DRF view that checks the matrix itself (with the token's user, known only inside DRF)."""
    from sleutelnet.api.permissions import MatrixPermission

    cls = getattr(view_func, "cls", None)
    return cls is not None and MatrixPermission in getattr(cls, "permission_classes", ())


class PermissionMiddleware:
    """Applies `core.permissions` to every page before its view runs (fail closed).

    API views are left to `api.permissions.MatrixPermission`, which calls the same `decide()`;
    any other view under /api/ without it is refused.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if _is_api_view(view_func):
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else None
        decision = decide(
            view_name,
            request.method or "GET",
            request.user,
            roles=roles_of(request.user),  # type: ignore[arg-type]
            verified=is_verified(request),
        )
        request.endpoint = decision.endpoint  # type: ignore[attr-defined]
        if decision.outcome is Outcome.ALLOW:
            return None
        if decision.outcome is Outcome.UNKNOWN:
            log.error("Refused a URL without an entry in the permission matrix: %s", view_name)
            raise PermissionDenied
        if decision.outcome is Outcome.METHOD and decision.endpoint is not None:
            allowed = sorted(decision.endpoint.methods | ({"HEAD"} if "GET" in decision.endpoint.methods else set()))
            return HttpResponseNotAllowed(allowed)
        if decision.outcome is Outcome.LOGIN:
            return redirect_to_login(request.get_full_path())
        if decision.outcome is Outcome.VERIFY:
            return redirect_to_login(request.get_full_path(), login_url="accounts:verify")
        raise PermissionDenied


class SecurityHeadersMiddleware:
    """No caching of anything but static files (pages hold personal data), and no powerful features.

    The Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY); HSTS,
    nosniff, Referrer-Policy and COOP from Django's SecurityMiddleware.
    """

    PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        return response
