"""Forms of the care pages; the services check again and name the field when they refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sleutelnet.care.models import AgreementKind, CheckInReason, CourseKind, Step
from sleutelnet.core.models import Region
from sleutelnet.web.forms import DateInput

MANUAL_STEPS = [(Step.INTAKE.value, Step.INTAKE.label), (Step.BASIC_TRAINING.value, Step.BASIC_TRAINING.label),
                (Step.CONFIDENTIALITY.value, Step.CONFIDENTIALITY.label)]


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=MANUAL_STEPS)
    done_on = forms.DateField(label=_("Done on"), widget=DateInput)
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class VogForm(forms.Form):
    issued_on = forms.DateField(label=_("VOG issued on"), widget=DateInput)


class BirthDateForm(forms.Form):
    born_on = forms.DateField(
        label=_("Date of birth (optional)"), widget=DateInput, required=False,
        help_text=_("Only for the allowance limit per hour: it is lower below 21."),
    )


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("Until (optional)"), widget=DateInput, required=False)
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)
    confidentiality_signed_on = forms.DateField(label=_("Confidentiality signed on (optional)"), widget=DateInput, required=False)
    hourly_rate = forms.DecimalField(
        label=_("Hourly rate (paid key persons only)"), max_digits=7, decimal_places=2, min_value=0, required=False
    )


class CertificateForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Training"), queryset=None)  # type: ignore[arg-type]
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput)

    def __init__(self, *args: Any, courses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DateInput)
    reason = forms.ChoiceField(label=_("Reason"), choices=CheckInReason.choices)
    note = forms.CharField(label=_("Note (optional, no details of the conversation)"), max_length=300, required=False)


class CourseForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=60, initial=1)
    certificate_months = forms.IntegerField(
        label=_("Certificate valid (months)"), min_value=1, max_value=120, required=False,
        help_text=_("Leave empty when the certificate does not expire."),
    )
    gives_certificate = forms.BooleanField(label=_("Gives a certificate"), required=False, initial=True)

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        """`regions`: where the coordinator may plan; a coordinator of one region is not asked."""
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        if len(regions) == 1:
            self.fields["region"].widget = forms.HiddenInput()
            self.fields["region"].initial = regions[0]


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Who came"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple  # type: ignore[arg-type]
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = people  # type: ignore[attr-defined]
