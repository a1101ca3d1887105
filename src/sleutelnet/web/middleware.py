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

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


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
        if decision.outcome is Outcome.METHOD:
            assert decision.endpoint is not None
            allowed = sorted(decision.endpoint.methods | ({"HEAD"} if "GET" in decision.endpoint.methods else set()))
            return HttpResponseNotAllowed(allowed)
        if decision.outcome is Outcome.LOGIN:
            return redirect_to_login(request.get_full_path())
        if decision.outcome is Outcome.VERIFY:
            return redirect_to_login(request.get_full_path(), login_url="accounts:verify")
        raise PermissionDenied


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no CDN, no inline script) and no caching of personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            # Swagger UI (served from local files) needs inline styles and its own init script.
            response.setdefault(
                "Content-Security-Policy",
                CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
                    "script-src 'self'", "script-src 'self' 'unsafe-inline'"
                ),
            )
        else:
            response.setdefault("Content-Security-Policy", CSP)
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        return response
