"""The lists of key persons and newcomers as downloads (core.list_exports)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from sleutelnet.core.list_exports import ListExport, register
from sleutelnet.core.models import Role, User
from sleutelnet.core.selectors import region_ids
from sleutelnet.deployments.models import CURRENT_ASSIGNMENT_STATES
from sleutelnet.deployments.selectors import assignment_count
from sleutelnet.people.filters import KeyPersonFilter, NewcomerFilter
from sleutelnet.people.models import KeyPerson, Newcomer
from sleutelnet.people.selectors import key_persons_for, newcomers_for


def region_key_persons(user: User, params: QueryDict) -> QuerySet[KeyPerson]:
    """The page's list: the key persons of the user's regions as coordinator, filtered."""
    base = key_persons_for(user).filter(region_id__in=region_ids(user, Role.COORDINATOR))
    return KeyPersonFilter(params or None, queryset=base).qs


def _key_persons(user: User, params: QueryDict) -> QuerySet[KeyPerson]:
    return (
        region_key_persons(user, params)
        .annotate(current_count=assignment_count("key_person", Q(status__in=CURRENT_ASSIGNMENT_STATES)))
        .prefetch_related("roles", "municipalities", "languages__language")
        .order_by("full_name", "id")
    )


def _key_person_row(kp: Any) -> list[Any]:
    return [
        kp.external_ref, kp.full_name, kp.get_status_display(), kp.email, kp.phone,
        "; ".join(f"{kl.language.code}:{kl.level}" for kl in kp.languages.all()),
        "; ".join(str(r) for r in kp.roles.all()),
        "; ".join(m.name for m in kp.municipalities.all()),
        kp.capacity_hours_per_month, kp.vog_valid_until, kp.current_count,
    ]


KEY_PERSONS = register(
    ListExport(
        name="key_persons",
        title=lambda: _("Key persons"),
        queryset=_key_persons,
        header=lambda: [
            _("Reference"), _("Name"), _("Status"), _("E-mail address"), _("Phone number"), _("Languages"), _("Roles"),
            _("Municipalities served"), _("Capacity (hours per month)"), _("VOG valid until"), _("Current assignments"),
        ],
        row=_key_person_row,
        activity="key-person-registry",
    )
)


def _newcomers(user: User, params: QueryDict) -> QuerySet[Newcomer]:
    base = newcomers_for(user).filter(region_id__in=region_ids(user, Role.COORDINATOR)).order_by("reference", "id")
    return NewcomerFilter(params or None, queryset=base).qs.select_related("municipality").prefetch_related("languages", "consents")


def _newcomer_row(nc: Any) -> list[Any]:
    # Contact details stay out of the list: they are on the newcomer's page, for who needs them.
    return [
        nc.reference, nc.display_name, nc.municipality.name, "; ".join(lang.code for lang in nc.languages.all()),
        nc.get_dutch_level_display(), nc.get_learning_route_display(), _("yes") if nc.has_consent else _("no"),
    ]


NEWCOMERS = register(
    ListExport(
        name="newcomers",
        title=lambda: _("Newcomers"),
        queryset=_newcomers,
        header=lambda: [_("Reference"), _("First name or initials"), _("Municipality"), _("Languages"), _("Dutch level"), _("Learning route"), _("Consent to support")],
        row=_newcomer_row,
        activity="newcomer-registration",
    )
)
