"""Shared helpers for forms: turning a service's DomainError into a message on the right field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django import forms
from django.forms.formsets import BaseFormSet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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


#: Stands for an offer's uuid in form fields rendered once for several offers (templatetags `for_offer`),
#: and for a card's id part in the blank fields of `card_blank` (templatetags `for_card`).
OFFER_PLACEHOLDER = "offer0000placeholder"


def card_auto_id(uuid: Any) -> str:
    """The ids of a form on one card of a page with several (agenda, approvals): the first 12 hex
    digits of the card's uuid keep them unique on the page."""
    return f"id_{UUID(str(uuid)).hex[:12]}_%s"


def card_blank(form_class: type[forms.Form], field: str, hint: str = "") -> str:
    """The fields of an empty one-field form (a reason, a comment), rendered once for all the cards
    of a page: the same but for the ids, which `for_card` fills in per card. Rendering the field
    per card cost about a millisecond each on the load bench (bench/README.md)."""
    from django.template.loader import render_to_string

    form = form_class(auto_id=f"id_{OFFER_PLACEHOLDER}_%s")
    return render_to_string("web/_card_fields.html", {"form": form, "field": form[field], "hint": hint})

#: The hint under every free-text field where people write notes.
NOTE_HINT = _(
    "No contact details, and nothing about health, religion or origin: everyone who reads this sees it."
)


class SensitiveTextMixin:
    """Warns before saving free text with contact details or special-category words (core.sensitive).

    The form does not save: each field concerned gets the warning, the text is kept, and the
    user either changes it or ticks `confirm_sensitive` and sends again. A BSN is refused by the
    services in any case.
    """

    sensitive_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.fields["confirm_sensitive"] = forms.BooleanField(  # type: ignore[attr-defined]
            label=_("I checked the text: this is needed here, and allowed."), required=False
        )
        self.needs_confirmation = False

    def clean(self) -> dict[str, Any]:
        from sleutelnet.core import sensitive

        data = super().clean()  # type: ignore[misc]
        if data.get("confirm_sensitive"):
            return data
        for name in self.sensitive_fields:
            findings = sensitive.find(str(data.get(name) or ""))
            if findings:
                self.add_error(name, sensitive.summary(findings))  # type: ignore[attr-defined]
                self.needs_confirmation = True
        return data


class ReasonForm(SensitiveTextMixin, forms.Form):
    """A short reason, e.g. for declining an offer or cancelling a request."""

    sensitive_fields = ("reason",)

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At most 500 characters. No contact details, nothing about health, religion or origin."),
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



class LongSelect(forms.Select):
    """A select of hundreds of options (every key person of a region), rendered in one pass.

    Django's Select renders a template per option: for a region's 400 key persons that is tens of
    milliseconds on every page that offers the choice. Same markup, flat options, no groups.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        # The attributes as Django's widget templates write them: in their order, True as a bare name.
        flat = format_html_join(
            "", " {}{}",
            ((k, "" if v is True else format_html('="{}"', v)) for k, v in self.build_attrs(self.attrs, attrs).items()
             if v is not False and v is not None),
        )  # fmt: skip
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "", "<option value=\"{}\"{}>{}</option>",
            ((key, " selected" if str(key) in chosen else "", label) for key, label in self.choices),
        )  # fmt: skip
        return format_html('<select name="{}"{}>{}</select>', name, flat, options)
