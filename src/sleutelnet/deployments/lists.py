"""The lists of requests as downloads (core.list_exports): the coordinator's and the requester's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from sleutelnet.core.list_exports import ListExport, register
from sleutelnet.core.models import Role, User
from sleutelnet.core.selectors import organisation_ids, region_ids
from sleutelnet.deployments.filters import RequestFilter
from sleutelnet.deployments.models import CONFIRMED_ASSIGNMENT_STATES, Request
from sleutelnet.deployments.selectors import assignment_count, coordinator_queue, requests_for


def _counted(qs: QuerySet[Request]) -> QuerySet[Request]:
    return (
        qs.annotate(confirmed_count=assignment_count("request", Q(status__in=CONFIRMED_ASSIGNMENT_STATES)))
        .select_related("organisation", "municipality", "language")
        .order_by("-starts_at", "-id")
    )


def _region_requests(user: User, params: QueryDict) -> QuerySet[Request]:
    """The queue's list: open requests, or those of the chosen statuses, of the user's regions."""
    if params.getlist("status"):
        base = requests_for(user).filter(region_id__in=region_ids(user, Role.COORDINATOR))
    else:
        base = coordinator_queue(user)
    return _counted(RequestFilter(params or None, queryset=base).qs)


def _own_requests(user: User, params: QueryDict) -> QuerySet[Request]:
    base = requests_for(user).filter(organisation_id__in=organisation_ids(user))
    return _counted(RequestFilter(params or None, queryset=base).qs)


def _row(r: Any) -> list[Any]:
    return [
        r.title, r.get_kind_display(), r.get_status_display(), r.organisation.name, r.municipality.name, r.place,
        timezone.localtime(r.starts_at), timezone.localtime(r.ends_at), r.language.name, r.key_persons_needed, r.confirmed_count,
    ]


def _header() -> list[str]:
    return [
        _("Title"), _("Kind"), _("Status"), _("Organisation"), _("Municipality"), _("Place"), _("Starts"), _("Ends"),
        _("Language"), _("Key persons needed"), _("Key persons confirmed"),
    ]


REGION_REQUESTS = register(
    ListExport(name="region_requests", title=lambda: _("Requests"), queryset=_region_requests, header=_header, row=_row, activity="deployment")
)
OWN_REQUESTS = register(
    ListExport(name="own_requests", title=lambda: _("Our requests"), queryset=_own_requests, header=_header, row=_row, activity="deployment")
)
