"""Search forms of the privacy officer's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sleutelnet.core import processing
from sleutelnet.core.models import AuditLogEntry, ProcessingLogEntry
from sleutelnet.web.forms import DateInput

OPERATION_LABELS = {
    processing.READ: _("read"),
    processing.CREATE: _("created"),
    processing.UPDATE: _("changed"),
    processing.DELETE: _("deleted"),
    processing.EXPORT: _("exported"),
    processing.IMPORT: _("imported"),
    processing.ERASE: _("erased"),
    processing.ANONYMISE: _("anonymised"),
}
CHANNEL_LABELS = {
    "web": _("web"),
    "api": _("API"),
    "worker": _("background worker"),
    "system": _("system"),
    "import": _("import"),
}
KIND_LABELS = {"newcomer": _("Newcomer"), "key_person": _("Key person")}


class _Period(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date must be on or after the start date."))
        return data

    def _period(self, qs: QuerySet[Any], field: str) -> QuerySet[Any]:
        tz = timezone.get_current_timezone()
        if self.cleaned_data.get("start"):
            qs = qs.filter(**{f"{field}__gte": dt.datetime.combine(self.cleaned_data["start"], dt.time(), tzinfo=tz)})
        if self.cleaned_data.get("end"):
            end = dt.datetime.combine(self.cleaned_data["end"] + dt.timedelta(days=1), dt.time(), tzinfo=tz)
            qs = qs.filter(**{f"{field}__lt": end})
        return qs


class LogSearchForm(_Period):
    """Search the processing log: by person, period, operation, activity, channel or who did it."""

    kind = forms.ChoiceField(label=_("Kind of person"), required=False, choices=[("", _("Newcomer or key person"))] + list(KIND_LABELS.items()))
    person = forms.CharField(
        label=_("Person"), required=False, max_length=200,
        help_text=_("A newcomer's reference, or (part of) a key person's name."),
    )
    operation = forms.ChoiceField(label=_("Operation"), required=False, choices=[("", _("All operations"))] + list(OPERATION_LABELS.items()))
    activity = forms.ChoiceField(
        label=_("Processing activity"), required=False,
        choices=[("", _("All activities"))] + [(a.code, a.name) for a in processing.ACTIVITIES.values()],
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All channels"))] + list(CHANNEL_LABELS.items()))
    actor = forms.CharField(label=_("Done by (username)"), required=False, max_length=150)
    operation_id = forms.RegexField(label=_("Operation id"), required=False, regex=r"^[0-9a-f]{1,32}$", max_length=32)

    def filter(self, qs: QuerySet[ProcessingLogEntry], *, subjects: list[str] | None, actor_operations: QuerySet[Any] | None) -> QuerySet[ProcessingLogEntry]:
        data = self.cleaned_data
        qs = self._period(qs, "started_at")
        if subjects is not None:
            qs = qs.filter(subject__in=subjects)
        for name in ("operation", "channel", "operation_id"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("activity"):
            qs = qs.filter(processing_activity=data["activity"])
        if data.get("kind"):
            qs = qs.filter(subject_kind=data["kind"])
        if actor_operations is not None:
            qs = qs.filter(operation_id__in=actor_operations)
        return qs


class AuditSearchForm(_Period):
    """Search the audit log: who did what, where, with which result."""

    actor = forms.CharField(label=_("Who (username)"), required=False, max_length=150)
    view = forms.CharField(label=_("Page or endpoint contains"), required=False, max_length=200)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", _("All")), ("OK", _("OK")), ("ERROR", _("Error or refused"))])
    operation_id = forms.RegexField(label=_("Operation id"), required=False, regex=r"^[0-9a-f]{1,32}$", max_length=32)

    def filter(self, qs: QuerySet[AuditLogEntry]) -> QuerySet[AuditLogEntry]:
        data = self.cleaned_data
        qs = self._period(qs, "at")
        if data.get("actor"):
            qs = qs.filter(actor__iexact=data["actor"].strip())
        if data.get("view"):
            qs = qs.filter(view__icontains=data["view"].strip())
        if data.get("outcome"):
            qs = qs.filter(outcome=data["outcome"])
        if data.get("operation_id"):
            qs = qs.filter(operation_id=data["operation_id"])
        return qs


class SubjectSearchForm(forms.Form):
    """Find the person a data-subject request is about."""

    kind = forms.ChoiceField(label=_("Kind of person"), required=False, choices=[("", _("Newcomer or key person"))] + list(KIND_LABELS.items()))
    person = forms.CharField(
        label=_("Person"), max_length=200, help_text=_("A newcomer's reference, or (part of) a key person's name.")
    )


class EraseForm(forms.Form):
    """Erasing cannot be undone: the privacy officer types the reference or name to confirm."""

    confirmation = forms.CharField(label=_("Type it to confirm"), max_length=200)
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example when and how the person asked. No other personal details."),
    )


class RetentionForm(forms.Form):
    """The region's retention period for one kind of record."""

    kind = forms.CharField(widget=forms.HiddenInput)
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=1200)
