"""Role checks for web views: anonymous users go to the login page, wrong roles get a 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from sleutelnet.core.selectors import roles_of

View = Callable[..., HttpResponse]


def role_required(*roles: str) -> Callable[[View], View]:
    """Allow the view only to users who hold at least one of `roles` (in any region).

    What a user may see inside the view is still decided by the selectors: the role only
    opens the page.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not roles_of(request.user) & set(roles):  # type: ignore[arg-type]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def own_key_person(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The key person record of the logged-in user; 403 when the user has none."""
    kp = getattr(request.user, "key_person", None)
    if kp is None:
        raise PermissionDenied
    return kp
