"""Forms for key persons, newcomers and the key person's own profile.

Forms only check the shape of the input (required, length, type, choice); the rules of the
domain stay in `services.py`, whose DomainError the views show on the named field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Municipality, Region
from sleutelnet.people.models import (
    ConsentMethod,
    ConsentPurpose,
    DutchLevel,
    Gender,
    KeyPerson,
    KeyPersonRole,
    KeyPersonStatus,
    Language,
    LearningRoute,
    LifeDomain,
    Newcomer,
    Weekday,
)
from sleutelnet.people.services import ConsentData, KeyPersonData, NewcomerData
from sleutelnet.web.forms import DateInput, SensitiveTextMixin, TimeInput

LEVELS = [
    (1, _("1 – a little")),
    (2, _("2 – basic")),
    (3, _("3 – good")),
    (4, _("4 – very good")),
    (5, _("5 – native")),
]


def current_terms(model: type[KeyPersonRole] | type[LifeDomain]) -> QuerySet[Any]:
    """Vocabulary terms that are valid today (roles, life domains)."""
    today = timezone.localdate()
    return model.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today), valid_from__lte=today)


class LanguageChoiceField(forms.ModelChoiceField):
    """A language shown by its name in the interface language plus its own name."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Language.objects.all())
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Language) -> str:  # type: ignore[override]
        name = gettext(obj.name)
        return name if name == obj.native_name else f"{name} – {obj.native_name}"


class LanguageMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Language) -> str:  # type: ignore[override]
        name = gettext(obj.name)
        return name if name == obj.native_name else f"{name} – {obj.native_name}"


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Roles or life domains as checkboxes, labels through gettext."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return gettext(obj.label)


def language_tag_choices(empty_label: str) -> list[tuple[str, str]]:
    """Languages as (tag, name) for filter selects."""
    return [("", empty_label)] + [
        (lang.tag, gettext(lang.name)) for lang in Language.objects.all()
    ]


def _region_field(form: forms.Form, regions: QuerySet[Region] | None) -> Region | None:
    """Keep the region choice only for coordinators of several regions (and when adding)."""
    options = list(regions) if regions is not None else []
    if len(options) > 1:
        form.fields["region"].queryset = regions  # type: ignore[attr-defined]
        return None
    del form.fields["region"]
    return options[0] if options else None


# --- weekly availability --------------------------------------------------------------------


class AvailabilityRowForm(forms.Form):
    """One weekly time slot; an empty row is ignored."""

    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=[("", "–")] + list(Weekday.choices), coerce=int, required=False, empty_value=None
    )
    start_time = forms.TimeField(label=_("From"), required=False, widget=TimeInput)
    end_time = forms.TimeField(label=_("Until"), required=False, widget=TimeInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, start, end = data.get("weekday"), data.get("start_time"), data.get("end_time")
        if self.errors:
            return data
        if day is None and start is None and end is None:
            return data
        if day is None:
            self.add_error("weekday", _("Choose a day."))
        if start is None:
            self.add_error("start_time", _("Give a start time."))
        if end is None:
            self.add_error("end_time", _("Give an end time."))
        if start is not None and end is not None and end <= start:
            self.add_error("end_time", _("The end of a time slot must be after its start."))
        return data


class BaseRowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows of optional fields; an empty row means "none".

    Every row is cleaned (also rows equal to their initial value), so a bound formset never
    silently drops an unchanged row.
    """

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "empty_permitted": False}

    def row_errors(self) -> list[str]:
        """All messages of this formset, for the error summary at the top of the page."""
        out = [str(e) for e in self.non_form_errors()]
        for i, form in enumerate(self.forms, start=1):
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                out += [f"{self.row_label} {i}, {label}: {e}" for e in errors]
        return out

    row_label = ""


class AvailabilityFormSet(BaseRowFormSet):
    row_label = _("Time slot")

    def slots(self) -> list[tuple[int, dt.time, dt.time]]:
        return [
            (f.cleaned_data["weekday"], f.cleaned_data["start_time"], f.cleaned_data["end_time"])
            for f in self.forms
            if f.cleaned_data.get("weekday") is not None
        ]


AvailabilityFormSetFactory = forms.formset_factory(
    AvailabilityRowForm, formset=AvailabilityFormSet, extra=2, max_num=21, validate_max=True
)


def availability_formset(data: Any = None, key_person: KeyPerson | None = None) -> AvailabilityFormSet:
    initial = (
        [{"weekday": s.weekday, "start_time": s.start_time, "end_time": s.end_time} for s in key_person.availability.all()]
        if key_person is not None
        else []
    )
    return AvailabilityFormSetFactory(data, initial=initial, prefix="availability")  # type: ignore[return-value]


# --- languages with levels ------------------------------------------------------------------


class LanguageRowForm(forms.Form):
    """One language with a level; an empty row is ignored."""

    language = LanguageChoiceField(label=_("Language"), required=False, empty_label="–")
    level = forms.TypedChoiceField(label=_("Level"), choices=[("", "–")] + LEVELS, coerce=int, required=False, empty_value=None)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        if data.get("language") and data.get("level") is None:
            self.add_error("level", _("Choose a level from 1 to 5."))
        if data.get("level") is not None and not data.get("language"):
            self.add_error("language", _("Choose a language."))
        return data


class LanguageFormSet(BaseRowFormSet):
    row_label = _("Language")

    def clean(self) -> None:
        seen = set()
        for form in self.forms:
            lang = form.cleaned_data.get("language") if hasattr(form, "cleaned_data") else None
            if lang is None:
                continue
            if lang.id in seen:
                raise forms.ValidationError(_("Each language once, please."))
            seen.add(lang.id)

    def languages(self) -> list[tuple[Language, int]]:
        return [
            (f.cleaned_data["language"], f.cleaned_data["level"]) for f in self.forms if f.cleaned_data.get("language")
        ]


LanguageFormSetFactory = forms.formset_factory(
    LanguageRowForm, formset=LanguageFormSet, extra=2, max_num=20, validate_max=True
)


def language_formset(data: Any = None, key_person: KeyPerson | None = None) -> LanguageFormSet:
    initial = (
        [{"language": kl.language, "level": kl.level} for kl in key_person.languages.all()]
        if key_person is not None
        else []
    )
    return LanguageFormSetFactory(data, initial=initial, prefix="languages")  # type: ignore[return-value]


# --- key person -----------------------------------------------------------------------------


class KeyPersonForm(forms.Form):
    """A key person's profile as the coordinator keeps it (languages and slots are formsets)."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    full_name = forms.CharField(label=_("Name"), max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=KeyPersonStatus.choices, initial=KeyPersonStatus.CANDIDATE)
    email = forms.EmailField(label=_("E-mail address"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=32)
    ui_language = forms.ChoiceField(label=_("Interface language"), choices=settings.LANGUAGES, initial="nl")
    communication_language = LanguageChoiceField(label=_("Preferred language for contact"), required=False)
    roles = TermMultipleChoiceField(label=_("Roles"), queryset=KeyPersonRole.objects.none(), required=False)
    life_domains = TermMultipleChoiceField(label=_("Life domains"), queryset=LifeDomain.objects.none(), required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities served"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity_hours_per_month = forms.DecimalField(
        label=_("Capacity (hours per month)"), min_value=0, max_value=200, decimal_places=1, initial=16, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    vog_valid_until = forms.DateField(label=_("VOG valid until"), required=False, widget=DateInput)
    gender = forms.ChoiceField(
        label=_("Gender (self-described)"), choices=[("", _("Not given"))] + list(Gender.choices), required=False
    )

    def __init__(
        self, *args: Any, regions: QuerySet[Region] | None = None, municipalities: QuerySet[Municipality], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = current_terms(KeyPersonRole)  # type: ignore[attr-defined]
        self.fields["life_domains"].queryset = current_terms(LifeDomain)  # type: ignore[attr-defined]
        self.fields["municipalities"].queryset = municipalities  # type: ignore[attr-defined]
        self.only_region = _region_field(self, regions)

    @staticmethod
    def initial_from(kp: KeyPerson) -> dict[str, Any]:
        return {
            "full_name": kp.full_name,
            "status": kp.status,
            "email": kp.email,
            "phone": kp.phone,
            "ui_language": kp.ui_language,
            "communication_language": kp.communication_language,
            "roles": list(kp.roles.all()),
            "life_domains": list(kp.life_domains.all()),
            "municipalities": list(kp.municipalities.all()),
            "capacity_hours_per_month": kp.capacity_hours_per_month,
            "vog_valid_until": kp.vog_valid_until,
            "gender": kp.gender,
        }

    def chosen_region(self) -> Region | None:
        return self.cleaned_data.get("region") or self.only_region

    def to_data(self, languages: list[tuple[Language, int]], availability: list[tuple[int, dt.time, dt.time]]) -> KeyPersonData:
        d = self.cleaned_data
        return KeyPersonData(
            full_name=d["full_name"],
            status=d["status"],
            email=d.get("email") or "",
            phone=d.get("phone") or "",
            ui_language=d["ui_language"],
            communication_language=d.get("communication_language"),
            languages=languages,
            roles=list(d.get("roles") or []),
            life_domains=list(d.get("life_domains") or []),
            municipalities=list(d.get("municipalities") or []),
            availability=availability,
            capacity_hours_per_month=d["capacity_hours_per_month"],
            vog_valid_until=d.get("vog_valid_until"),
            gender=d.get("gender") or "",
        )


class ProfileForm(forms.Form):
    """What a key person keeps up to date themselves."""

    phone = forms.CharField(
        label=_("Phone number"), required=False, max_length=32, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )
    email = forms.EmailField(
        label=_("E-mail address"), required=False, max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    ui_language = forms.ChoiceField(
        label=_("Language of this website"), choices=settings.LANGUAGES,
        help_text=_("Only for these pages and your e-mails. The languages you speak with newcomers are below."),
    )
    roles = TermMultipleChoiceField(
        label=_("What I do"), queryset=KeyPersonRole.objects.none(),
        error_messages={"required": _("Choose at least one role.")},
    )
    life_domains = TermMultipleChoiceField(label=_("Topics I know about"), queryset=LifeDomain.objects.none(), required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Where I help"), queryset=Municipality.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one municipality.")},
    )
    languages = LanguageMultipleChoiceField(
        label=_("Languages I speak with newcomers"), queryset=Language.objects.all(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )

    def __init__(self, *args: Any, key_person: KeyPerson, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = current_terms(KeyPersonRole)  # type: ignore[attr-defined]
        self.fields["life_domains"].queryset = current_terms(LifeDomain)  # type: ignore[attr-defined]
        self.fields["municipalities"].queryset = Municipality.objects.filter(region_id=key_person.region_id)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(kp: KeyPerson) -> dict[str, Any]:
        return {
            "phone": kp.phone,
            "email": kp.email,
            "ui_language": kp.ui_language,
            "roles": list(kp.roles.all()),
            "life_domains": list(kp.life_domains.all()),
            "municipalities": list(kp.municipalities.all()),
            "languages": [kl.language for kl in kp.languages.select_related("language")],
        }


class DayOffForm(forms.Form):
    """Days the key person cannot help."""

    starts_on = forms.DateField(label=_("First day"), widget=DateInput)
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput)
    reason = forms.CharField(
        label=_("Note (optional)"), max_length=200, required=False,
        help_text=_("For example 'holiday'. Nothing about health."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day must be on or after the first day."))
        return data


class PauseForm(forms.Form):
    """A break from new offers, open-ended or until a day."""

    until = forms.DateField(
        label=_("Until (optional)"), required=False, widget=DateInput,
        help_text=_("Leave empty to pause until you end it yourself."),
    )


# --- newcomer -------------------------------------------------------------------------------


class NewcomerForm(forms.Form):
    """A newcomer's pseudonymous record: a reference and a first name, never a BSN."""

    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    reference = forms.CharField(
        label=_("Reference"), max_length=40, help_text=_("A reference chosen by the municipality. Never a BSN.")
    )
    display_name = forms.CharField(label=_("First name or initials"), max_length=80)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())
    languages = LanguageMultipleChoiceField(
        label=_("Languages"), queryset=Language.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    dutch_level = forms.ChoiceField(label=_("Dutch level"), choices=DutchLevel.choices, initial=DutchLevel.NONE)
    learning_route = forms.ChoiceField(label=_("Learning route"), choices=LearningRoute.choices, initial=LearningRoute.UNKNOWN)
    phone = forms.CharField(
        label=_("Phone number"), required=False, max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Only when the newcomer gave it. A key person sees it only with consent to share it."),
    )
    email = forms.EmailField(
        label=_("E-mail address"), required=False, max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("Only when the newcomer gave it. A key person sees it only with consent to share it."),
    )
    consent_given_on = forms.DateField(
        label=_("Consent given on"),
        required=False,
        widget=DateInput,
        help_text=_("The date the newcomer agreed to support by a key person. Leave empty if there is no consent yet."),
    )
    consent_scope = forms.CharField(
        label=_("Consent covers"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: support by a key person at appointments about health and school."),
    )
    consent_method = forms.ChoiceField(
        label=_("Consent given as"), choices=[("", "–")] + list(ConsentMethod.choices), required=False
    )
    excluded_key_persons = forms.ModelMultipleChoiceField(
        label=_("Key persons never to offer for this newcomer"),
        queryset=KeyPerson.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Family, neighbours or a conflict: matching never proposes these key persons for this newcomer."),
        error_messages={"invalid_choice": _("%(value)s is not a key person of your region. Reload the page and choose again.")},
    )

    def __init__(
        self,
        *args: Any,
        regions: QuerySet[Region] | None = None,
        municipalities: QuerySet[Municipality],
        key_persons: QuerySet[KeyPerson] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        if key_persons is not None:
            self.fields["excluded_key_persons"].queryset = key_persons  # type: ignore[attr-defined]
        self.only_region = _region_field(self, regions)
        if kwargs.get("initial"):  # changing a record: consents are recorded and withdrawn on the record's page
            for name in ("consent_given_on", "consent_scope", "consent_method"):
                del self.fields[name]

    def clean_reference(self) -> str:
        value = self.cleaned_data["reference"].strip()
        if not value:
            raise forms.ValidationError(_("This field is required."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("consent_given_on"):
            if not data.get("consent_method"):
                self.add_error("consent_method", _("Say how the consent was given."))
            if not (data.get("consent_scope") or "").strip():
                self.add_error("consent_scope", _("Say what the consent covers."))
        return data

    @staticmethod
    def initial_from(nc: Newcomer) -> dict[str, Any]:
        return {
            "reference": nc.reference,
            "display_name": nc.display_name,
            "municipality": nc.municipality,
            "languages": list(nc.languages.all()),
            "dutch_level": nc.dutch_level,
            "learning_route": nc.learning_route,
            "phone": nc.phone,
            "email": nc.email,
            "excluded_key_persons": list(nc.excluded_key_persons.all()),
        }

    def chosen_region(self) -> Region | None:
        return self.cleaned_data.get("region") or self.only_region

    def to_data(self) -> NewcomerData:
        d = self.cleaned_data
        return NewcomerData(
            reference=d["reference"],
            display_name=d["display_name"],
            municipality=d["municipality"],
            languages=list(d.get("languages") or []),
            dutch_level=d["dutch_level"],
            learning_route=d["learning_route"],
            phone=d.get("phone") or "",
            email=d.get("email") or "",
            excluded_key_persons=list(d.get("excluded_key_persons") or []),
            consent=ConsentData(
                purpose=ConsentPurpose.KEY_PERSON_SUPPORT,
                given_on=d["consent_given_on"],
                method=d.get("consent_method") or "",
                scope=d.get("consent_scope") or "",
            )
            if d.get("consent_given_on")
            else None,
        )


class ConsentForm(SensitiveTextMixin, forms.Form):
    """Record a consent the newcomer gave."""

    sensitive_fields = ("scope",)

    purpose = forms.ChoiceField(label=_("Consent for"), choices=ConsentPurpose.choices, widget=forms.RadioSelect)
    request = forms.ModelChoiceField(
        label=_("Only for this request"),
        queryset=Newcomer.objects.none(),
        required=False,
        to_field_name="uuid",
        empty_label=_("Every request of this newcomer"),
        help_text=_("Only for sharing contact details: for one request, or for all."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)
    method = forms.ChoiceField(label=_("Given as"), choices=ConsentMethod.choices)
    scope = forms.CharField(
        label=_("What it covers"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("In the newcomer's words, as far as possible. At most 300 characters."),
    )
    text_version = forms.CharField(
        label=_("Version of the consent text"), max_length=40, required=False,
        help_text=_("The form or text the newcomer agreed to, e.g. 'toestemming 2026-01'."),
    )

    def __init__(self, *args: Any, requests: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = requests  # type: ignore[attr-defined]

    def to_data(self) -> ConsentData:
        d = self.cleaned_data
        return ConsentData(
            purpose=d["purpose"], given_on=d["given_on"], method=d["method"], scope=d["scope"],
            text_version=d.get("text_version") or "", request=d.get("request"),
        )


class WithdrawConsentForm(SensitiveTextMixin, forms.Form):
    """Record that the newcomer withdrew a consent."""

    sensitive_fields = ("note",)

    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example how and when the newcomer said it. At most 500 characters."),
    )
