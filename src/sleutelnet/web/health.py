"""`/healthz`: can this web process serve, and is the background queue reachable?

For the load balancer and the monitoring (docs/deploy.md). `HealthCheckMiddleware` answers it
right after Django's SecurityMiddleware, before sessions, the locale, the host check, the
permission matrix and the processing log: a probe every few seconds must not create or refresh
sessions, must not write audit lines, and must not be refused for the Host header it sends (load
balancers often probe by IP address). It is still a URL with its entry in the permission matrix
(public), so the walk tests see it, and any other method than GET/HEAD gets the matrix's 405.

The answer is plain JSON without personal data: 200 when the database and the queue answer,
503 naming the part that failed. It never shows an error text or a traceback; the kind of error
goes to the log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

log = logging.getLogger("sleutelnet.health")

#: The path the middleware answers (`reverse("healthz")`; a test keeps them equal).
HEALTH_PATH = "/healthz"
#: Seconds the Redis ping may take: a probe must answer well within the balancer's timeout.
REDIS_TIMEOUT_SECONDS = 1.0

OK, ERROR = "ok", "error"


def check_database() -> None:
    """Raises when the database does not answer a `SELECT 1`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def outbox_backlog() -> dict[str, Any]:
    """How many e-mails are due and not sent, and how long the oldest has waited (seconds).

    A growing backlog or age means `run_worker` is not running (or mail is refused): a figure for
    the monitoring, not a reason to take a web process out of the balancer. Aggregates only: no
    message is loaded.
    """
    from django.db.models import Count, Min

    from sleutelnet.notifications.models import OutboxMessage, OutboxStatus

    now = timezone.now()
    due = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    figures = due.aggregate(count=Count("id"), oldest=Min("next_attempt_at"))
    oldest = figures["oldest"]
    return {
        "outbox_backlog": figures["count"],
        "outbox_oldest_due_seconds": int((now - oldest).total_seconds()) if oldest is not None else None,
    }


def ping_redis(url: str) -> None:
    """Raises when Redis at `url` does not answer a PING within REDIS_TIMEOUT_SECONDS."""
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        if not client.ping():
            raise ConnectionError("Redis did not answer PING")
    finally:
        client.close()


def _run(part: str, check: Callable[[], Any]) -> tuple[bool, Any]:
    """(passed, result) of one check; a failure is logged by the kind of error only."""
    try:
        return True, check()
    except Exception as exc:  # noqa: BLE001 - any failure is an answer, never a traceback
        log.warning("Health check: the %s failed (%s).", part, type(exc).__name__)
        return False, None


def health() -> tuple[bool, dict[str, Any]]:
    """(healthy, body) of the health check."""
    started = time.monotonic()
    backend = getattr(settings, "TASK_BACKEND", "embedded")
    database_ok, _ = _run("database", check_database)
    # The outbox lives in the database and is drained by `run_worker` with either task backend.
    outbox_ok, backlog = _run("outbox", outbox_backlog) if database_ok else (False, None)
    if backend == "rq":
        queue_ok, _ = _run("queue (Redis)", lambda: ping_redis(getattr(settings, "REDIS_URL", "")))
    else:
        queue_ok = outbox_ok
    body: dict[str, Any] = {
        "status": OK if database_ok and queue_ok else ERROR,
        "database": OK if database_ok else ERROR,
        "queue": OK if queue_ok else ERROR,
        "queue_backend": backend,
        **(backlog or {"outbox_backlog": None, "outbox_oldest_due_seconds": None}),
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return body["status"] == OK, body


def healthz(request: HttpRequest) -> HttpResponse:
    """The health answer: 200 or 503, JSON, never cached (public, see core.permissions)."""
    healthy, body = health()
    response = JsonResponse(body, status=200 if healthy else 503)
    if request.method == "HEAD":
        response.content = b""  # the status says it all; a HEAD answer carries no body
    # The headers every answer carries (the middleware that sets them later does not run for
    # the short cut); for the same answer through the URL they are already there.
    from csp.utils import build_policy

    response["Cache-Control"] = "no-store"
    response["X-Frame-Options"] = "DENY"
    response["Content-Security-Policy"] = build_policy()
    return response


class HealthCheckMiddleware:
    """Answers GET/HEAD /healthz at once (see the module docstring); passes on everything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
