"""Every request served is one processing operation: its reads are logged before the answer leaves."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from sleutelnet.core import processing

TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 without any data: the processing log could not be written."""
    if request.path.startswith("/api/"):
        from sleutelnet.api.errors import problem_response

        return problem_response(request, 503)
    body = render_to_string("web/unavailable.html", {"request": request})
    return HttpResponse(body, status=503, headers={"Retry-After": "60", "Cache-Control": "no-store"})


class ProcessingLogMiddleware:
    """Opens an operation for the request and writes its processing-log lines and audit entry.

    If they cannot be written, the prepared answer is dropped and a 503 is sent instead
    (fail closed): personal data is never shown without its lines.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/static/"):
            return self.get_response(request)
        op = processing.Operation(channel="api" if request.path.startswith("/api/") else "web")
        match = TRACEPARENT.match(request.headers.get("traceparent", ""))
        if match and match.group(1) != "0" * 32:
            op.trace_id = match.group(1)
        token = processing._current.set(op)
        try:
            response = self.get_response(request)
        finally:
            processing._current.reset(token)
        endpoint = getattr(request, "endpoint", None)
        match_ = request.resolver_match
        try:
            processing.finish(
                op,
                actor=getattr(request, "user", None),
                status="OK" if response.status_code < 400 else "ERROR",
                activity=endpoint.activity if endpoint is not None else None,
                read_operation=processing.EXPORT if endpoint is not None and endpoint.export else processing.READ,
                view=match_.view_name if match_ is not None else "",
                method=request.method or "",
                # The route, not the path: a path names the record (and the calendar's secret),
                # and the audit log must not link an actor to a person's identifier.
                route="/" + match_.route if match_ is not None else "",
                status_code=response.status_code,
                origin=request.META.get("REMOTE_ADDR", ""),
            )
        except processing.ProcessingLogUnavailable:
            return unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, processing.ProcessingLogUnavailable):
            return unavailable(request)
        return None
