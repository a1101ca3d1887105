"""The API's side of the permission matrix (`core.permissions`): one DRF permission class.

It runs after DRF has authenticated the token, so it knows the user; it asks the same
`decide()` as the web middleware, and then the token's own scopes.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from sleutelnet.core.permissions import Outcome, decide
from sleutelnet.core.selectors import roles_of

log = logging.getLogger("sleutelnet.security")


class MatrixPermission(BasePermission):
    """Allows an API call only when the permission matrix allows the user's role and method."""

    message = _("Your role does not allow this.")

    def has_permission(self, request: Any, view: Any) -> bool:
        match = request._request.resolver_match
        view_name = match.view_name if match is not None else None
        user = request.user
        decision = decide(
            view_name,
            request.method,
            user,
            roles=roles_of(user) if user is not None else (),
            verified=True,  # API clients authenticate with a token, never with a password
        )
        request._request.endpoint = decision.endpoint
        if decision.outcome is Outcome.UNKNOWN:
            log.error("Refused an API URL without an entry in the permission matrix: %s", view_name)
            return False
        if decision.outcome is Outcome.METHOD:
            raise exceptions.MethodNotAllowed(request.method)
        if decision.outcome is Outcome.LOGIN:
            raise exceptions.NotAuthenticated()
        if decision.outcome is not Outcome.ALLOW:
            return False
        token = request.auth
        if token is not None and decision.endpoint is not None and not token.allows(decision.endpoint.resource, request.method):
            self.message = _("This token's scopes do not allow this.")
            return False
        return True
