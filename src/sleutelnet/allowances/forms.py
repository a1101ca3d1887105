"""Forms of the allowance pages. They check the shape of the input; the rules are the services'."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sleutelnet.allowances.models import ClaimKind
from sleutelnet.allowances.services import MAX_RECEIPT_BYTES, RECEIPT_EXTENSIONS, ClaimData
from sleutelnet.web.forms import DateInput, SensitiveTextMixin
from sleutelnet.web.uploads import read_upload

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str | None) -> dt.date | None:
    """'2025-01' as the first of that month; None for anything else."""
    match = _MONTH.match((value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1900 <= year <= 2200 and 1 <= month <= 12):
        return None
    return dt.date(year, month, 1)


class MonthInput(forms.TextInput):
    """A native month picker (yyyy-mm)."""

    input_type = "month"


class MonthField(forms.CharField):
    """A month as yyyy-mm; cleaned to the first day of that month."""

    widget = MonthInput

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        if isinstance(value, dt.date):
            return value.replace(day=1)
        text = super().to_python(value)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            raise forms.ValidationError(_("Give the month as year and month, e.g. 2025-03."))
        return month

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else value


def _money_input(**attrs: str) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})


class ClaimForm(forms.Form):
    """A key person's claim, on a phone: what kind, when, how much, and the receipt."""

    kind = forms.ChoiceField(label=_("What did you pay for?"), choices=ClaimKind.choices, widget=forms.RadioSelect)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kilometres = forms.CharField(
        label=_("Kilometres"), required=False, max_length=10, widget=_money_input(),
        help_text=_("Only for travel by own car or bicycle: there and back together."),
    )
    amount = forms.CharField(
        label=_("Amount in euros"), required=False, max_length=12, widget=_money_input(),
        help_text=_("For public transport and other costs, e.g. 7,40."),
    )
    description = forms.CharField(
        label=_("What was it for?"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for other costs. For example: from where to where, or what you bought."),
    )
    receipt = forms.FileField(
        label=_("Receipt"), required=False,
        help_text=_("A photo (JPG, PNG) or a PDF, at most 5 MB. Needed for public transport."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
    )

    def clean_receipt(self) -> tuple[str, bytes] | None:
        upload = self.cleaned_data.get("receipt")
        if not upload:
            return None
        kind, raw = read_upload(upload, kinds=tuple(RECEIPT_EXTENSIONS), max_bytes=MAX_RECEIPT_BYTES)
        return kind, raw

    def to_data(self) -> ClaimData:
        d = self.cleaned_data
        return ClaimData(
            date=d["date"], kind=d["kind"], kilometres=d.get("kilometres") or None, amount=d.get("amount") or None,
            description=d.get("description", ""), receipt=d.get("receipt"),
        )


class DeclineClaimForm(SensitiveTextMixin, forms.Form):
    """Why a claim is declined: the key person reads it."""

    sensitive_fields = ("reason",)

    reason = forms.CharField(
        label=_("Reason for declining"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The key person reads this. At most 500 characters."),
    )


class DeclareForm(forms.Form):
    """An allowance the key person gets from another organisation."""

    month = MonthField(label=_("Month"))
    amount = forms.CharField(label=_("Amount in euros"), max_length=12, widget=_money_input())
    organisation = forms.CharField(label=_("Organisation"), max_length=200)


class PaymentDetailsForm(forms.Form):
    """Where the allowance is paid to."""

    iban = forms.CharField(label=_("IBAN"), max_length=42, widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    account_holder = forms.CharField(label=_("Name of the account holder"), max_length=70)


class StatementMonthForm(forms.Form):
    """The month of a statement to approve."""

    month = MonthField(label=_("Month"))
