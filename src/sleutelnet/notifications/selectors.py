"""Reads for calendar feeds: which feed a secret opens, and what goes into it.

A feed is read without a login (the secret is the credential), so these selectors take the
feed's key person rather than a user; they never return anything of another key person.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sleutelnet.core.models import User
from sleutelnet.deployments.models import CONFIRMED_ASSIGNMENT_STATES, Assignment, AssignmentStatus
from sleutelnet.deployments.selectors import newcomer_for_key_person
from sleutelnet.notifications.calendar import CalendarEvent
from sleutelnet.notifications.models import CalendarFeed
from sleutelnet.notifications.services import hash_token
from sleutelnet.people.models import KeyPerson

#: The feed shows assignments from this long ago ...
FEED_PAST = dt.timedelta(days=30)
#: ... up to this far ahead.
FEED_AHEAD = dt.timedelta(days=180)
#: Cancelled assignments stay in the feed (as cancelled) this long, so phones remove them.
CANCELLED_KEPT = dt.timedelta(days=30)


def active_feed_by_token(token: str) -> CalendarFeed | None:
    """The live feed this secret opens, or None (unknown, renewed or stopped)."""
    return (
        CalendarFeed.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .select_related("key_person")
        .first()
    )


def active_feed_for(user: User) -> CalendarFeed | None:
    """The user's own live feed, if they are a key person and have one."""
    kp = getattr(user, "key_person", None) if getattr(user, "is_authenticated", False) else None
    if kp is None:
        return None
    return CalendarFeed.objects.filter(key_person=kp, revoked_at__isnull=True).first()


def feed_assignments(key_person: KeyPerson, *, now: dt.datetime) -> QuerySet[Assignment]:
    """Confirmed assignments in the feed window, and recently cancelled ones that had been accepted."""
    cancelled = Q(status=AssignmentStatus.CANCELLED, responded_at__isnull=False, updated_at__gte=now - CANCELLED_KEPT)
    return (
        Assignment.objects.filter(key_person=key_person)
        .filter(Q(status__in=CONFIRMED_ASSIGNMENT_STATES) | cancelled)
        .filter(request__starts_at__gte=now - FEED_PAST, request__starts_at__lte=now + FEED_AHEAD)
        .select_related("request", "request__municipality", "request__organisation", "request__language", "request__newcomer")
        .prefetch_related("request__newcomer__consents")
        .order_by("request__starts_at", "id")
    )


def calendar_event(a: Assignment) -> CalendarEvent:
    """The calendar entry of an assignment: what, where, who asked; of a newcomer only the first name."""
    req = a.request
    location = req.place
    if req.municipality.name not in req.place:
        location = f"{req.place}, {req.municipality.name}"
    agenda_url = settings.SITE_URL.rstrip("/") + reverse("deployments:agenda")
    lines = [
        _("Kind: %(kind)s") % {"kind": req.get_kind_display()},
        _("Language: %(language)s") % {"language": req.language},
        _("Organisation: %(organisation)s") % {"organisation": req.organisation.name},
    ]
    newcomer = newcomer_for_key_person(a)  # nothing at all once the newcomer withdrew consent
    if newcomer is not None:
        lines.append(_("For: %(name)s") % {"name": newcomer.display_name})
    lines.append(_("More in Sleutelnet: %(url)s") % {"url": agenda_url})
    return CalendarEvent(
        uid=f"{a.uuid}@sleutelnet",
        start=req.starts_at,
        end=req.ends_at,
        summary=req.title,
        location=location,
        description="\n".join(lines),
        url=agenda_url,
        cancelled=a.status == AssignmentStatus.CANCELLED,
        last_modified=a.updated_at,
    )
