"""Filters for key person and newcomer lists, shared by pages and API."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sleutelnet.people.models import DutchLevel, KeyPersonStatus, LearningRoute


class KeyPersonFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=KeyPersonStatus.choices, label=_("status"))
    language = filters.CharFilter(method="filter_language", label=_("language"))
    municipality = filters.CharFilter(field_name="municipalities__cbs_code", label=_("municipality (CBS code)"), distinct=True)
    role = filters.CharFilter(field_name="roles__code", label=_("role"), distinct=True)
    q = filters.CharFilter(field_name="full_name", lookup_expr="icontains", label=_("name"))

    def filter_language(self, queryset, name, value):  # type: ignore[no-untyped-def]
        code, _sep, variant = value.partition("-")
        cond = Q(languages__language__code=code)
        if variant:
            cond &= Q(languages__language__variant=variant)
        return queryset.filter(cond).distinct()


class NewcomerFilter(filters.FilterSet):
    municipality = filters.CharFilter(field_name="municipality__cbs_code", label=_("municipality (CBS code)"))
    dutchLevel = filters.ChoiceFilter(field_name="dutch_level", choices=DutchLevel.choices, label=_("Dutch level"))  # noqa: N815
    learningRoute = filters.ChoiceFilter(field_name="learning_route", choices=LearningRoute.choices, label=_("learning route"))  # noqa: N815
    q = filters.CharFilter(method="filter_text", label=_("search"))

    def filter_text(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(reference__icontains=value) | Q(display_name__icontains=value))
