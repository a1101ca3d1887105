"""Errors that services raise; web and API turn them into clear messages, never a 500."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the change; `field` names the input it concerns, if any."""

    status_code = 400
    code = "invalid"

    def __init__(
        self, message: str | Promise, *, field: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidTransition(DomainError):
    """The record is not in a state where this step is possible (e.g. approving an open request)."""

    status_code = 409
    code = "invalid_transition"


class NotAllowed(DomainError):
    """The user may not take this step on this record."""

    status_code = 403
    code = "not_allowed"


class NotFound(DomainError):
    """The record does not exist, or the user may not know that it exists."""

    status_code = 404
    code = "not_found"
