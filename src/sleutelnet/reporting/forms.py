"""The period and municipality of the reach figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Municipality
from sleutelnet.web.forms import DateInput

#: The default period: the last 90 days.
DEFAULT_DAYS = 90


class ReachForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until"), widget=DateInput)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False, empty_label=_("All municipalities")
    )

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]

    @staticmethod
    def defaults() -> dict[str, dt.date]:
        today = timezone.localdate()
        return {"start": today - dt.timedelta(days=DEFAULT_DAYS), "end": today}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date must be on or after the start date."))
            elif (end - start).days > 3 * 366:
                self.add_error("start", _("Choose a period of at most three years."))
        return data
