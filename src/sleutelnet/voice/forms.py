"""Forms of the voice pages; the rules stay in voice/services.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Municipality, Organisation, User
from sleutelnet.people.forms import (
    LanguageChoiceField,
    LanguageMultipleChoiceField,
    TermMultipleChoiceField,
    current_terms,
)
from sleutelnet.people.models import KeyPerson, KeyPersonRole, Language, LifeDomain
from sleutelnet.voice.models import (
    Adoption,
    ConsultationKind,
    PeopleAffected,
    Signal,
    SignalUrgency,
)
from sleutelnet.voice.services import AdvicePointData, ConsultationData, SignalData
from sleutelnet.web.forms import DateInput, SensitiveTextMixin

GROUP_HINT = _("About a group, never about a named person. No names, no contact details, nothing about one person's health.")


class SignalForm(SensitiveTextMixin, forms.Form):
    """What someone noticed in a community."""

    # The community field names a group by origin or language on purpose: no warning there.
    sensitive_fields = ("theme", "description")

    theme = forms.CharField(label=_("What is it about?"), max_length=200, help_text=_("A few words, e.g. 'Parents do not understand the school app'."))
    description = forms.CharField(label=_("What did you notice?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), help_text=GROUP_HINT)
    community = forms.CharField(label=_("Which community or language group?"), max_length=200, help_text=_("For example 'Eritrean parents in Doetinchem'."))
    language = LanguageChoiceField(label=_("Language group (optional)"), required=False, empty_label="–")
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none())
    life_domains = TermMultipleChoiceField(label=_("Life domains"), queryset=LifeDomain.objects.none(), required=False)
    people_affected = forms.ChoiceField(label=_("Roughly how many people?"), choices=PeopleAffected.choices, widget=forms.RadioSelect)
    urgency = forms.ChoiceField(label=_("How urgent?"), choices=SignalUrgency.choices, initial=SignalUrgency.NORMAL, widget=forms.RadioSelect)
    distressing = forms.BooleanField(label=_("This weighs on me: I would like the coordinator to call me"), required=False)

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["life_domains"].queryset = current_terms(LifeDomain)  # type: ignore[attr-defined]

    def to_data(self) -> SignalData:
        d = self.cleaned_data
        return SignalData(
            theme=d["theme"], description=d["description"], community=d["community"], municipality=d["municipality"],
            people_affected=d["people_affected"], urgency=d["urgency"], life_domains=list(d["life_domains"]),
            language=d.get("language"), distressing=d.get("distressing", False),
        )


class RouteForm(forms.Form):
    """The coordinator gives the signal to an owner, with a deadline."""

    owner = forms.ChoiceField(label=_("Who answers?"))
    deadline = forms.DateField(label=_("Answer before"), widget=DateInput)

    def clean_deadline(self) -> dt.date:
        value = self.cleaned_data["deadline"]
        if not 1900 <= value.year <= 2200:
            raise forms.ValidationError(_("Give a date between the years 1900 and 2200."))
        return value

    def __init__(self, *args: Any, officers: list[User], organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {f"user:{u.uuid}": u for u in officers}
        self.orgs = {f"org:{o.uuid}": o for o in organisations}
        self.fields["owner"].choices = [("", "–")] + [
            (_("Policy officers"), [(k, u.get_full_name() or u.username) for k, u in self.people.items()]),
            (_("Organisations"), [(k, o.name) for k, o in self.orgs.items()]),
        ]
        if not self.is_bound:
            self.initial.setdefault("deadline", dt.date.today() + dt.timedelta(days=28))

    def owner_kwargs(self) -> dict[str, Any]:
        key = self.cleaned_data["owner"]
        return {"owner_user": self.people.get(key), "owner_organisation": self.orgs.get(key)}


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Signal.objects.none(), to_field_name="uuid", empty_label="–")

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates  # type: ignore[attr-defined]


class AnswerForm(SensitiveTextMixin, forms.Form):
    sensitive_fields = ("answer",)

    answer = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In plain words: what was done or will be done, or why not."),
    )
    publish = forms.BooleanField(label=_("Show this answer on 'You said, we did' for the key persons of the region"), required=False)


class ReopenForm(SensitiveTextMixin, forms.Form):
    sensitive_fields = ("reason",)

    reason = forms.CharField(label=_("Why does this not answer the signal?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ConsultationForm(SensitiveTextMixin, forms.Form):
    """A question or a draft text, and whom it asks."""

    sensitive_fields = ("title", "question", "draft_text")

    kind = forms.ChoiceField(label=_("Kind"), choices=ConsultationKind.choices, initial=ConsultationKind.WRITTEN, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(label=_("Your question"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    draft_text = forms.CharField(
        label=_("Draft text (optional)"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("For example a letter. Key persons can answer per paragraph; leave an empty line between paragraphs."),
    )
    deadline = forms.DateField(label=_("Answers before"), widget=DateInput)
    languages = LanguageMultipleChoiceField(label=_("Ask key persons who speak"), queryset=Language.objects.all(), required=False, widget=forms.CheckboxSelectMultiple)
    roles = TermMultipleChoiceField(label=_("Ask key persons with the role"), queryset=KeyPersonRole.objects.none(), required=False)
    key_persons = forms.ModelMultipleChoiceField(
        label=_("Ask by name"), queryset=KeyPerson.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, to_field_name="uuid"
    )
    meeting_at = forms.DateTimeField(
        label=_("Meeting: date and time"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    meeting_place = forms.CharField(label=_("Meeting: place"), max_length=200, required=False)

    def __init__(self, *args: Any, key_persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = current_terms(KeyPersonRole)  # type: ignore[attr-defined]
        self.fields["key_persons"].queryset = key_persons  # type: ignore[attr-defined]

    def clean_meeting_at(self) -> dt.datetime | None:
        value = self.cleaned_data.get("meeting_at")
        if value is not None and not 1900 <= value.year <= 2200:
            raise forms.ValidationError(_("Give a date between the years 1900 and 2200."))
        return value

    def clean_deadline(self) -> dt.date:
        value = self.cleaned_data["deadline"]
        if not 1900 <= value.year <= 2200:
            raise forms.ValidationError(_("Give a date between the years 1900 and 2200."))
        return value

    def to_data(self, organisation: Organisation | None = None) -> ConsultationData:
        d = self.cleaned_data
        return ConsultationData(
            title=d["title"], question=d["question"], deadline=d["deadline"], kind=d["kind"], draft_text=d["draft_text"],
            languages=list(d["languages"]), roles=list(d["roles"]), key_persons=list(d["key_persons"]),
            meeting_at=d.get("meeting_at"), meeting_place=d.get("meeting_place") or "", organisation=organisation,
        )


class ConsultationAnswerForm(SensitiveTextMixin, forms.Form):
    """Advice on the whole and, for a draft, per paragraph (fields `paragraph_0`, `paragraph_1`, ...)."""

    general = forms.CharField(label=_("Your advice"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text=GROUP_HINT)
    hours = forms.DecimalField(
        label=_("Time spent (hours)"), min_value=0, max_value=12, decimal_places=1, initial=0, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}), help_text=_("Counts as your work as an advisor."),
    )

    def __init__(self, *args: Any, paragraphs: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paragraphs = paragraphs
        for i, _text in enumerate(paragraphs):
            self.fields[f"paragraph_{i}"] = forms.CharField(
                label=_("Your advice on paragraph %(n)d") % {"n": i + 1}, max_length=4000, required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.sensitive_fields = ("general", *(f"paragraph_{i}" for i in range(len(paragraphs))))

    def paragraph_fields(self) -> list[tuple[str, forms.BoundField]]:
        return [(text, self[f"paragraph_{i}"]) for i, text in enumerate(self.paragraphs)]

    def answers(self) -> list[tuple[int | None, str]]:
        d = self.cleaned_data
        rows: list[tuple[int | None, str]] = [(None, d.get("general") or "")]
        rows += [(i, d.get(f"paragraph_{i}") or "") for i in range(len(self.paragraphs))]
        return [(p, t) for p, t in rows if t.strip()]


class MeetingForm(SensitiveTextMixin, forms.Form):
    sensitive_fields = ("minutes",)

    attendees = forms.ModelMultipleChoiceField(
        label=_("Who came"), queryset=KeyPerson.objects.none(), widget=forms.CheckboxSelectMultiple, to_field_name="uuid", required=False,
    )
    minutes = forms.CharField(label=_("Minutes"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    hours = forms.DecimalField(label=_("How long (hours)"), min_value=0, max_value=12, decimal_places=1, localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args: Any, key_persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = key_persons  # type: ignore[attr-defined]


class OutcomeForm(SensitiveTextMixin, forms.Form):
    """The summary, and per advice point (one per line pair in the rows) what was done with it."""

    sensitive_fields = ("summary", "revised_text")
    ROWS = 6

    summary = forms.CharField(label=_("Summary of the advice"), max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))
    revised_text = forms.CharField(label=_("The new text (optional)"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(self.ROWS):
            self.fields[f"point_{i}"] = forms.CharField(label=_("Advice point %(n)d") % {"n": i + 1}, max_length=1000, required=False)
            self.fields[f"adoption_{i}"] = forms.ChoiceField(label=_("What was done with it"), choices=[("", "–"), *Adoption.choices], required=False)
            self.fields[f"change_{i}"] = forms.CharField(label=_("What changed, or why not"), max_length=2000, required=False)

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(self[f"point_{i}"], self[f"adoption_{i}"], self[f"change_{i}"]) for i in range(self.ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for i in range(self.ROWS):
            if data.get(f"point_{i}") and not data.get(f"adoption_{i}"):
                self.add_error(f"adoption_{i}", _("Choose what was done with this point."))
        return data

    def points(self) -> list[AdvicePointData]:
        d = self.cleaned_data
        return [
            AdvicePointData(text=d[f"point_{i}"], adoption=d[f"adoption_{i}"], change=d.get(f"change_{i}") or "")
            for i in range(self.ROWS) if d.get(f"point_{i}")
        ]
