"""Helpers for web views. Who may open a page is decided by the permission matrix
(`core.permissions`, applied by `web.middleware.PermissionMiddleware`), not here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def own_key_person(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The key person record of the logged-in user; 403 when the user has none."""
    kp = getattr(request.user, "key_person", None)
    if kp is None:
        raise PermissionDenied
    return kp
