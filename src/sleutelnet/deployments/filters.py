"""One FilterSet per list, used by the web pages and the API alike (camelCase query keys)."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from sleutelnet.deployments.models import AssignmentStatus, RequestKind, RequestStatus, Urgency


class BoundedIsoDateTimeField(filters.fields.IsoDateTimeField):
    """An ISO 8601 moment that a database can store: years 1900 to 2200, offsets within 14 hours."""

    def clean(self, value):  # type: ignore[no-untyped-def]
        import datetime as dt

        from django import forms

        moment = super().clean(value)
        if moment is None:
            return None
        offset = moment.utcoffset() or dt.timedelta(0)
        if not 1900 <= moment.year <= 2200 or abs(offset) > dt.timedelta(hours=14):
            raise forms.ValidationError(_("Give a date and time between the years 1900 and 2200."), code="invalid")
        return moment


class BoundedIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class RequestFilter(filters.FilterSet):
    """Filters for request lists: the coordinator's queue, the requester's list, the API."""

    status = filters.MultipleChoiceFilter(choices=RequestStatus.choices, label=_("status"))
    kind = filters.ChoiceFilter(choices=RequestKind.choices, label=_("kind"))
    urgency = filters.TypedChoiceFilter(choices=Urgency.choices, coerce=int, label=_("urgency"))
    municipality = filters.CharFilter(field_name="municipality__cbs_code", label=_("municipality (CBS code)"))
    language = filters.CharFilter(method="filter_language", label=_("language"))
    organisation = filters.UUIDFilter(field_name="organisation__uuid", label=_("organisation"))
    startsAfter = BoundedIsoDateTimeFilter(field_name="starts_at", lookup_expr="gte", label=_("starts after"))  # noqa: N815
    startsBefore = BoundedIsoDateTimeFilter(field_name="starts_at", lookup_expr="lte", label=_("starts before"))  # noqa: N815
    q = filters.CharFilter(method="filter_text", label=_("search"))

    def filter_language(self, queryset, name, value):  # type: ignore[no-untyped-def]
        code, _sep, variant = value.partition("-")
        qs = queryset.filter(language__code=code)
        return qs.filter(language__variant=variant) if variant else qs

    def filter_text(self, queryset, name, value):  # type: ignore[no-untyped-def]
        from django.db.models import Q

        return queryset.filter(Q(title__icontains=value) | Q(place__icontains=value))


class AssignmentFilter(filters.FilterSet):
    """Filters for assignment lists."""

    status = filters.MultipleChoiceFilter(choices=AssignmentStatus.choices, label=_("status"))
    request = filters.UUIDFilter(field_name="request__uuid", label=_("request"))
    keyPerson = filters.UUIDFilter(field_name="key_person__uuid", label=_("key person"))  # noqa: N815
