"""The period picker and the municipality filter of the dashboards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Municipality
from sleutelnet.reporting.periods import Period

FIRST_YEAR = 2015


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Period"), choices=[("quarter", _("Quarter")), ("month", _("Month")), ("year", _("Year"))]
    )
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100)
    number = forms.IntegerField(
        label=_("Quarter or month"), min_value=1, max_value=12, required=False,
        help_text=_("1 to 4 for a quarter, 1 to 12 for a month."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False, empty_label=_("All municipalities")
    )

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(today: dt.date) -> dict[str, Any]:
        p = Period.containing("quarter", today)
        return {"kind": "quarter", "year": p.start.year, "number": p.number}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, number = data.get("kind"), data.get("number")
        if kind == "quarter" and number is not None and number > 4:
            self.add_error("number", _("A quarter is 1, 2, 3 or 4."))
        elif kind in ("quarter", "month") and number is None:
            self.add_error("number", _("Choose which quarter or month."))
        return data

    def period(self) -> Period:
        """The chosen period (call after is_valid)."""
        d = self.cleaned_data
        if d["kind"] == "year":
            return Period("year", dt.date(d["year"], 1, 1))
        if d["kind"] == "quarter":
            return Period("quarter", dt.date(d["year"], 3 * (d["number"] - 1) + 1, 1))
        return Period("month", dt.date(d["year"], d["number"], 1))
