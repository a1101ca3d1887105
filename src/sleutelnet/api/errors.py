"""Errors as application/problem+json (RFC 9457, as the NLGov REST API Design Rules ask).

Every error of the API has the same shape: `type`, `title`, `status`, `detail`, `instance`,
and for invalid input `invalidParams`, which lists *all* field errors at once, each with the
camelCase name of the field, a code and a reason in the user's language (Accept-Language).

Sources of errors, all mapped here:
- DRF exceptions (validation, authentication, not found, method not allowed, parse errors);
- `DomainError` and its subclasses raised by the services (400, 403, 404, 409);
- Django's Http404 / PermissionDenied / ValidationError;
- anything else: a 500 without a traceback (logged on the server).
Responses that never reached a view (an unknown URL under /api/) are turned into problems
by `sleutelnet.api.middleware.ApiMiddleware`, with `problem_response()`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.processing import ProcessingLogUnavailable

logger = logging.getLogger("sleutelnet.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:sleutelnet:problem:"

_camel_re = re.compile(r"_([a-z0-9])")


def camel(name: str) -> str:
    """snake_case to camelCase, as the renderer does for keys ("key_persons" -> "keyPersons")."""
    return _camel_re.sub(lambda m: m.group(1).upper(), name)


def _titles() -> dict[int, tuple[str, str]]:
    """(problem slug, translated title) per HTTP status."""
    return {
        400: ("invalid-input", _("The input is not valid.")),
        401: ("not-authenticated", _("Not authenticated.")),
        403: ("not-allowed", _("You are not allowed to do this.")),
        404: ("not-found", _("Not found.")),
        405: ("method-not-allowed", _("Method not allowed.")),
        406: ("not-acceptable", _("Not acceptable.")),
        409: ("invalid-transition", _("Not possible in the current state.")),
        415: ("unsupported-media-type", _("Unsupported media type.")),
        429: ("throttled", _("Too many requests.")),
        500: ("server-error", _("Something went wrong on our side.")),
        503: ("unavailable", _("Temporarily unavailable: nothing was shown or changed. Try again in a minute.")),
    }


def problem(
    status: int,
    *,
    detail: str = "",
    instance: str = "",
    invalid_params: list[dict[str, str]] | None = None,
    slug: str | None = None,
) -> dict[str, Any]:
    """The body of a problem+json response."""
    default_slug, title = _titles().get(status, ("error", _("Error.")))
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + (slug or default_slug),
        "title": title,
        "status": status,
        "detail": clean(detail or title, 2000),
        "instance": instance,
    }
    if invalid_params is not None:
        body["invalidParams"] = invalid_params
    return body


def problem_response(request: HttpRequest, status: int, detail: str = "") -> JsonResponse:
    """A plain Django problem+json response, for errors outside DRF views (unknown URLs, 500s)."""
    body = problem(status, detail=detail, instance=request.get_full_path())
    return JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested error detail to [{name, code, reason}], names in camelCase with dots."""
    return list(_flatten(detail, prefix))


def _flatten(detail: Any, prefix: str) -> Iterator[dict[str, str]]:
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            key = str(key)
            if key == non_field:
                part = prefix or camel(non_field)
            else:
                part = f"{prefix}.{camel(key)}" if prefix else camel(key)
            yield from _flatten(value, part)
    elif isinstance(detail, (list, tuple)):
        if detail and all(
            isinstance(item, Mapping) for item in detail
        ):  # a ListSerializer: one dict per item
            for index, item in enumerate(detail):
                if item:
                    yield from _flatten(item, f"{prefix}.{index}" if prefix else str(index))
        else:
            for item in detail:
                yield from _flatten(item, prefix)
    else:
        yield {
            "name": clean(prefix or camel(non_field)),
            "code": str(getattr(detail, "code", None) or "invalid"),
            "reason": clean(force_str(detail)),
        }


def clean(text: str, limit: int = 300) -> str:
    """Text that is safe to send back: no lone surrogates (unencodable), and not endless.

    Some messages quote the input ("x" is not a valid choice), which may be 10,000 characters
    or half a UTF-16 pair.
    """
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _instance(context: Mapping[str, Any]) -> str:
    request = context.get("request")
    return request.get_full_path() if request is not None else ""


def _respond(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    set_rollback()
    response = Response(
        body, status=body["status"], headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )
    return response


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: every exception becomes a problem+json response."""
    instance = _instance(context)

    if isinstance(exc, ProcessingLogUnavailable):
        return _respond(problem(503, instance=instance), {"Retry-After": "60"})

    if isinstance(exc, DomainError):
        message = force_str(exc.message)
        params = None
        if exc.status_code == 400:
            field = camel(exc.field) if exc.field else camel(api_settings.NON_FIELD_ERRORS_KEY)
            params = [{"name": field, "code": exc.code, "reason": message}]
        return _respond(
            problem(exc.status_code, detail=message, instance=instance, invalid_params=params)
        )

    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = drf.ValidationError(detail=drf.as_serializer_error(exc))

    if isinstance(exc, drf.ValidationError):
        params = invalid_params(exc.detail)
        names = list(dict.fromkeys(p["name"] for p in params))
        detail = ngettext(
            "%(n)d field is not valid: %(names)s.",
            "%(n)d fields are not valid: %(names)s.",
            len(names),
        ) % {"n": len(names), "names": ", ".join(names)}
        return _respond(problem(400, detail=detail, instance=instance, invalid_params=params))

    if isinstance(exc, drf.APIException):
        headers: dict[str, str] = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
        detail = exc.detail
        if isinstance(detail, (list, dict)):
            detail = "; ".join(p["reason"] for p in invalid_params(detail))
        body = problem(exc.status_code, detail=force_str(detail), instance=instance)
        if isinstance(exc, drf.ParseError):
            # Every 400 lists what was wrong in invalidParams; here the body as a whole.
            reason = clean(force_str(detail))
            body = problem(
                400, detail=force_str(detail), instance=instance, slug="parse-error",
                invalid_params=[{"name": "body", "code": "parse_error", "reason": reason}],
            )
        return _respond(body, headers)

    logger.exception("Unhandled error in API view %s", instance)
    return _respond(problem(500, instance=instance))
