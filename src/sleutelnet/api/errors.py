"""Errors as application/problem+json (RFC 9457), with all field errors at once (placeholder, see api issue)."""

from rest_framework.views import exception_handler


def problem_exception_handler(exc, context):  # type: ignore[no-untyped-def]
    return exception_handler(exc, context)
