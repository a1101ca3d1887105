"""The private calendar feed, and the key person's buttons to start, renew and stop it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sleutelnet.core.exceptions import DomainError
from sleutelnet.deployments.models import Assignment
from sleutelnet.notifications import services
from sleutelnet.notifications.calendar import render_calendar
from sleutelnet.notifications.selectors import (
    active_feed_by_token,
    calendar_event,
    feed_assignments,
)


def ics_response(body: str, *, filename: str | None = None) -> HttpResponse:
    """A text/calendar response that no cache or search engine keeps."""
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def assignment_ics(a: Assignment) -> HttpResponse:
    """One assignment as an .ics file to open in a calendar app."""
    body = render_calendar([calendar_event(a)], stamp=timezone.now())
    return ics_response(body, filename="sleutelnet.ics")


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The key person's agenda as a calendar feed; the secret in the URL is the credential."""
    feed = active_feed_by_token(token)
    if feed is None:
        raise Http404
    now = timezone.now()
    language = getattr(feed.key_person.user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        events = [calendar_event(a) for a in feed_assignments(feed.key_person, now=now)]
        body = render_calendar(events, stamp=now, name=_("Sleutelnet agenda"))
    return ics_response(body)


@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    """Start or renew the feed and show its URL, this once."""
    try:
        path = services.create_or_renew_calendar_feed(actor=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("deployments:agenda")
    url = settings.SITE_URL.rstrip("/") + path
    webcal = "webcal://" + url.split("://", 1)[1]
    response = render(request, "notifications/calendar_feed_created.html", {"feed_url": url, "webcal_url": webcal})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    """Stop the feed: the link no longer works."""
    try:
        services.revoke_calendar_feed(actor=request.user)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your calendar link was stopped. It no longer works."))
    return redirect("deployments:agenda")
