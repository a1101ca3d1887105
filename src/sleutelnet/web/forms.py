"""Shared helpers for forms: turning a service's DomainError into a message on the right field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.exceptions import DomainError


def attach_domain_error(
    form: forms.BaseForm,
    error: DomainError,
    *,
    field_map: Mapping[str, str] | None = None,
    formsets: Mapping[str, BaseFormSet[Any]] | None = None,
) -> None:
    """Show a service's refusal on the form field it concerns, or on the form as a whole.

    `field_map` translates service field names to form field names where they differ;
    `formsets` maps service field names (e.g. "languages") to a formset that shows the error.
    """
    name = (field_map or {}).get(error.field or "", error.field)
    if formsets and name in formsets:
        formset = formsets[name]
        formset.non_form_errors()  # make sure the formset was cleaned
        formset._non_form_errors.append(str(error.message))  # type: ignore[union-attr]
        return
    if name and name in form.fields:
        form.add_error(name, str(error.message))
    else:
        form.add_error(None, str(error.message))


class ReasonForm(forms.Form):
    """A short reason, e.g. for declining an offer or cancelling a request."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 500 characters."),
    )


class DateInput(forms.DateInput):
    """A native date picker."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """A native time picker."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")
