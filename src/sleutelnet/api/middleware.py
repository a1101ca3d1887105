"""API-wide response rules for every path under /api/, also where no API view ran.

- Every response carries `API-Version` (NLGov API-57: the full version in a header).
- Errors that did not come from a DRF view (an unknown URL, a crash in a middleware) are
  rewritten as application/problem+json, so a client never gets an HTML error page.
- No redirect to a URL with a trailing slash (APPEND_SLASH): the API has no trailing
  slashes, so `/api/v1/requests/` is a 404, not a 301.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from sleutelnet.api.errors import PROBLEM_CONTENT_TYPE, problem_response

API_PREFIX = "/api/"


class ApiMiddleware:
    """Adds the API-Version header and keeps API errors in problem+json."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        response = self._as_problem(request, response)
        response["API-Version"] = settings.API_VERSION
        return response

    def _as_problem(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "")
        if response.status_code in (301, 302, 308) and response.get("Location", "").endswith("/"):
            # CommonMiddleware wants to append a slash: API URLs never end in one.
            return problem_response(request, 404, _("There is no API resource at this address."))
        if response.status_code < 400 or content_type.startswith(PROBLEM_CONTENT_TYPE):
            return response
        if response.status_code == 404:
            return problem_response(request, 404, _("There is no API resource at this address."))
        if response.status_code >= 500:
            return problem_response(request, 500)
        if not content_type.startswith("application/json"):
            return problem_response(request, response.status_code)
        return response
