"""Forms for requests, offers and activity reports.

Forms check the shape of the input; the rules of the domain stay in `services.py`. A form's
`to_data()` builds the service's dataclass.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sleutelnet.core import clock
from sleutelnet.core.models import Municipality, Organisation, Region, User
from sleutelnet.deployments.models import (
    ChainLink,
    DeclineReason,
    ReportFollowUp,
    ReportOutcome,
    Request,
    RequestKind,
    RequestStatus,
    Urgency,
)
from sleutelnet.deployments.services import ReportData, RequestData
from sleutelnet.people.forms import (
    LanguageChoiceField,
    LanguageMultipleChoiceField,
    TermMultipleChoiceField,
    current_terms,
    language_tag_choices,
)
from sleutelnet.people.models import Gender, KeyPersonRole, Language, LifeDomain
from sleutelnet.people.selectors import newcomer_by_reference
from sleutelnet.web.forms import NOTE_HINT, DateInput, LongSelect, SensitiveTextMixin, TimeInput

#: Requests are planned in Dutch local time, whatever the browser says.
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")

INTERPRETER_WARNING = _(
    "Key persons are not certified interpreters. Medical, legal and child-protection conversations "
    "need a certified interpreter. Book one through your organisation."
)

#: Service field names that the request form shows under another name.
REQUEST_FIELD_MAP = {"starts_at": "date", "ends_at": "end_time", "newcomer": "newcomer_reference"}


class RequestForm(SensitiveTextMixin, forms.Form):
    """What a requester fills in to ask for key persons."""

    sensitive_fields = ("title", "description")

    organisation = forms.ModelChoiceField(label=_("For organisation"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("A short name, e.g. 'Parents' evening at primary school'."))
    kind = forms.ChoiceField(label=_("Kind of request"), choices=[("", "–")] + list(RequestKind.choices))
    description = forms.CharField(
        label=_("What is needed"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What should the key person do? No contact details, and nothing about health, religion or origin."),
    )
    language = LanguageChoiceField(label=_("Language"), empty_label="–")
    roles = TermMultipleChoiceField(
        label=_("Roles needed"), queryset=KeyPersonRole.objects.none(),
        error_messages={"required": _("Choose at least one role.")},
    )
    life_domains = TermMultipleChoiceField(label=_("Life domains"), queryset=LifeDomain.objects.none(), required=False)
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none(), empty_label="–")
    place = forms.CharField(label=_("Place"), max_length=200, help_text=_("Address or name of the location."))
    date = forms.DateField(label=_("Date"), widget=DateInput)
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput)
    end_time = forms.TimeField(label=_("End time"), widget=TimeInput)
    chain_link = forms.ChoiceField(label=_("Link in the integration chain"), choices=[("", "–")] + list(ChainLink.choices))
    key_persons_needed = forms.IntegerField(
        label=_("Number of key persons"), min_value=1, max_value=10, initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    gender_preference = forms.ChoiceField(
        label=_("Preferred gender of the key person"), choices=[("", _("No preference"))] + list(Gender.choices), required=False
    )
    gender_required = forms.BooleanField(label=_("This gender is required"), required=False)
    requires_vog = forms.BooleanField(
        label=_("A VOG (certificate of conduct) is required"), required=False,
    )
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL)
    participants_expected = forms.IntegerField(
        label=_("Expected participants"), min_value=0, max_value=10000, required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    newcomer_reference = forms.CharField(
        label=_("Reference of the newcomer"), max_length=40, required=False,
        help_text=_("Only for support of one newcomer: the municipality's reference. Never a BSN."),
    )
    needs_certified_interpreter = forms.BooleanField(
        label=_("A certified interpreter is needed"), required=False, help_text=INTERPRETER_WARNING
    )

    def __init__(self, *args: Any, user: User, organisations: QuerySet[Organisation] | None, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["roles"].queryset = current_terms(KeyPersonRole)  # type: ignore[attr-defined]
        self.fields["life_domains"].queryset = current_terms(LifeDomain)  # type: ignore[attr-defined]
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        options = list(organisations) if organisations is not None else []
        if len(options) > 1:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
            self.only_organisation = None
        else:
            del self.fields["organisation"]
            self.only_organisation = options[0] if options else None

    @staticmethod
    def initial_from(req: Request) -> dict[str, Any]:
        start = req.starts_at.astimezone(LOCAL_TZ)
        end = req.ends_at.astimezone(LOCAL_TZ)
        return {
            "title": req.title,
            "kind": req.kind,
            "description": req.description,
            "language": req.language,
            "roles": list(req.roles.all()),
            "life_domains": list(req.life_domains.all()),
            "municipality": req.municipality,
            "place": req.place,
            "date": start.date(),
            "start_time": start.time().replace(tzinfo=None),
            "end_time": end.time().replace(tzinfo=None),
            "chain_link": req.chain_link,
            "key_persons_needed": req.key_persons_needed,
            "gender_preference": req.gender_preference,
            "gender_required": req.gender_required,
            "requires_vog": req.requires_vog,
            "urgency": req.urgency,
            "participants_expected": req.participants_expected,
            "newcomer_reference": req.newcomer.reference if req.newcomer_id else "",
            "needs_certified_interpreter": req.needs_certified_interpreter,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"] = dt.datetime.combine(day, start, tzinfo=LOCAL_TZ)
            data["ends_at"] = dt.datetime.combine(day, end, tzinfo=LOCAL_TZ)
            if end <= start:
                self.add_error("end_time", _("The end time must be after the start time."))
        reference = (data.get("newcomer_reference") or "").strip()
        data["newcomer"] = None
        if reference:
            newcomer = newcomer_by_reference(self.user, reference)
            if newcomer is None:
                self.add_error(
                    "newcomer_reference",
                    _("We do not know a newcomer with this reference in your region. Check the reference, or leave the field empty."),
                )
            data["newcomer"] = newcomer
        return data

    def chosen_organisation(self) -> Organisation | None:
        return self.cleaned_data.get("organisation") or self.only_organisation

    def to_data(self) -> RequestData:
        d = self.cleaned_data
        return RequestData(
            title=d["title"],
            kind=d["kind"],
            language=d["language"],
            roles=list(d["roles"]),
            municipality=d["municipality"],
            place=d["place"],
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            chain_link=d["chain_link"],
            description=d.get("description") or "",
            life_domains=list(d.get("life_domains") or []),
            key_persons_needed=d["key_persons_needed"],
            gender_preference=d.get("gender_preference") or "",
            gender_required=bool(d.get("gender_required")),
            requires_vog=bool(d.get("requires_vog")),
            urgency=d["urgency"],
            newcomer=d.get("newcomer"),
            needs_certified_interpreter=bool(d.get("needs_certified_interpreter")),
            participants_expected=d.get("participants_expected"),
        )


class OfferForm(forms.Form):
    """The coordinator ticks one or more suitable key persons to offer the request to."""

    key_persons = forms.MultipleChoiceField(
        label=_("Offer to"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one key person."),
            "invalid_choice": _("%(value)s is not one of the suitable key persons. Reload the page and choose again."),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key_persons"].choices = choices  # type: ignore[attr-defined]


class CommentForm(SensitiveTextMixin, forms.Form):
    """The coordinator's comment when sending a report back."""

    sensitive_fields = ("comment",)

    comment = forms.CharField(
        label=_("What should the key person change?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NOTE_HINT,
    )


class DeclineForm(SensitiveTextMixin, forms.Form):
    """Saying no in one tap: a reason from the short list; own words only for "something else"."""

    sensitive_fields = ("reason",)

    code = forms.ChoiceField(
        label=_("Why can't you come?"), choices=DeclineReason.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    reason = forms.CharField(
        label=_("Explain (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed for 'Something else'. No contact details, nothing about health, religion or origin."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("code") == DeclineReason.OTHER and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say in a few words why you cannot come."))
        return data


class StepperInput(forms.NumberInput):
    """A number field that the portal script turns into − and + buttons (it works without them)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "class": "stepper__input", "data-stepper": "", **(attrs or {})})


class ReportForm(SensitiveTextMixin, forms.Form):
    """A key person's activity report: short, so it takes under a minute on a phone."""

    sensitive_fields = ("outcome", "follow_up")

    date = forms.DateField(label=_("Date"), widget=DateInput)
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.1"),
        max_value=Decimal("24"),
        decimal_places=1,
        max_digits=3,
        localize=True,
        help_text=_("Including travel time. For example 2.5."),
        error_messages={
            "invalid": _("Give the hours as a number, e.g. 2.5."),
            "max_decimal_places": _("Give the hours with at most one decimal, e.g. 2.5."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    roles_used = TermMultipleChoiceField(
        label=_("Roles you used"), queryset=KeyPersonRole.objects.none(),
        error_messages={"required": _("Choose at least one role you used.")},
    )
    participants = forms.IntegerField(
        label=_("Number of participants"), min_value=0, max_value=10000,
        widget=StepperInput(),
        error_messages={"invalid": _("Give a whole number.")},
    )
    participants_little_dutch = forms.IntegerField(
        label=_("Of whom speak little Dutch"), min_value=0, max_value=10000, initial=0,
        widget=StepperInput(),
        error_messages={"invalid": _("Give a whole number.")},
    )
    participants_first_contact = forms.IntegerField(
        label=_("Of whom reached for the first time, or far from institutions"), min_value=0, max_value=10000, initial=0,
        widget=StepperInput(),
        error_messages={"invalid": _("Give a whole number.")},
    )
    life_domains = TermMultipleChoiceField(label=_("Life domains"), queryset=LifeDomain.objects.none(), required=False)
    languages_used = LanguageMultipleChoiceField(
        label=_("Languages used"), queryset=Language.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    outcome_code = forms.ChoiceField(
        label=_("How did it go?"), choices=ReportOutcome.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose how it went.")},
    )
    follow_up_code = forms.ChoiceField(
        label=_("Is follow-up needed?"), choices=ReportFollowUp.choices, widget=forms.RadioSelect,
        initial=ReportFollowUp.NONE, error_messages={"required": _("Choose whether follow-up is needed.")},
    )
    outcome = forms.CharField(
        label=_("Note (optional)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In a few words. No names, no contact details, nothing about health, religion or origin."),
    )
    follow_up = forms.CharField(
        label=_("What follow-up? (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NOTE_HINT,
    )

    def __init__(self, *args: Any, languages: QuerySet[Language], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles_used"].queryset = current_terms(KeyPersonRole)  # type: ignore[attr-defined]
        self.fields["life_domains"].queryset = current_terms(LifeDomain)  # type: ignore[attr-defined]
        self.fields["languages_used"].queryset = languages  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        total = data.get("participants")
        if total is not None:
            for name in ("participants_little_dutch", "participants_first_contact"):
                value = data.get(name)
                if value is not None and value > total:
                    self.add_error(name, _("This cannot be more than the number of participants."))
        return data

    def to_data(self) -> ReportData:
        d = self.cleaned_data
        return ReportData(
            date=d["date"],
            hours=d["hours"],
            roles_used=list(d["roles_used"]),
            participants=d["participants"],
            participants_little_dutch=d.get("participants_little_dutch") or 0,
            participants_first_contact=d.get("participants_first_contact") or 0,
            life_domains=list(d.get("life_domains") or []),
            languages_used=list(d.get("languages_used") or []),
            outcome=d.get("outcome") or "",
            follow_up=d.get("follow_up") or "",
            outcome_code=d.get("outcome_code") or "",
            follow_up_code=d.get("follow_up_code") or "",
        )


def report_languages(request: Request, key_person_language_ids: list[int]) -> QuerySet[Language]:
    """Languages to tick in a report: the request's language, Dutch and the key person's own."""
    return Language.objects.filter(
        Q(id=request.language_id) | Q(id__in=key_person_language_ids) | Q(code="nl", variant="")
    )


def adapt_request_filter_form(form: forms.Form, *, municipalities: QuerySet[Municipality], keep: tuple[str, ...]) -> None:
    """Make the shared RequestFilter's form friendly for people: selects instead of codes."""
    for name in list(form.fields):
        if name not in keep:
            del form.fields[name]
    if "status" in form.fields:
        form.fields["status"].widget = forms.CheckboxSelectMultiple(choices=RequestStatus.choices)
        form.fields["status"].help_text = ""
        form.fields["status"].label = _("Status")
    if "municipality" in form.fields:
        form.fields["municipality"] = forms.ChoiceField(
            label=_("Municipality"),
            required=False,
            choices=[("", _("All municipalities"))] + [(m.cbs_code, m.name) for m in municipalities],
        )
    if "language" in form.fields:
        form.fields["language"] = forms.ChoiceField(
            label=_("Language"), required=False, choices=language_tag_choices(str(_("All languages")))
        )
    if "kind" in form.fields:
        form.fields["kind"] = forms.ChoiceField(
            label=_("Kind"), required=False, choices=[("", _("All kinds"))] + list(RequestKind.choices)
        )
    if "urgency" in form.fields:
        form.fields["urgency"] = forms.TypedChoiceField(
            label=_("Urgency"), required=False, coerce=int, empty_value=None,
            choices=[("", _("Any urgency"))] + list(Urgency.choices),
        )
    if "q" in form.fields:
        form.fields["q"] = forms.CharField(
            label=_("Search in title or place"), required=False, max_length=100,
            widget=forms.TextInput(attrs={"type": "search"}),
        )


def local_day(moment: dt.datetime) -> dt.date:
    """The date of `moment` in Dutch local time."""
    return timezone.localtime(moment, LOCAL_TZ).date()


class WhyNotForm(forms.Form):
    """"Why not …?": choose any key person of the region to see every hard constraint they fail."""

    why_not = forms.ChoiceField(
        label=_("Key person"),
        widget=LongSelect,
        error_messages={
            "required": _("Choose a key person."),
            "invalid_choice": _("This is not a key person of this region. Choose one from the list."),
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["why_not"].choices = [("", "–")] + choices  # type: ignore[attr-defined]


class PlanPeriodForm(forms.Form):
    """The period a coordinator plans: from a day (today or later) to at most 31 days after it."""

    MAX_DAYS = 31
    DEFAULT_DAYS = 7

    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), to_field_name="uuid", empty_label=None
    )
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until"), widget=DateInput, help_text=_("At most 31 days after the start."))

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = list(regions)
        if len(options) > 1:
            self.fields["region"].queryset = regions  # type: ignore[attr-defined]
            self.only_region = None
        else:
            del self.fields["region"]
            self.only_region = options[0] if options else None

    @classmethod
    def defaults(cls, today: dt.date) -> dict[str, str]:
        return {"start": today.isoformat(), "end": (today + dt.timedelta(days=cls.DEFAULT_DAYS)).isoformat()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and start < clock.today():
            self.add_error("start", _("Start today or later."))
        if start is not None and end is not None:
            if end < start:
                self.add_error("end", _("The end must not be before the start."))
            elif (end - start).days > self.MAX_DAYS:
                self.add_error("end", _("Plan at most 31 days at once."))
        return data

    def chosen_region(self) -> Region | None:
        return self.cleaned_data.get("region") or self.only_region

    def horizon(self) -> tuple[dt.datetime, dt.datetime]:
        """From the start of the first day (not before now) to the end of the last day, Dutch time."""
        start = dt.datetime.combine(self.cleaned_data["start"], dt.time(0), tzinfo=LOCAL_TZ)
        end = dt.datetime.combine(self.cleaned_data["end"] + dt.timedelta(days=1), dt.time(0), tzinfo=LOCAL_TZ)
        return max(start, clock.now().astimezone(LOCAL_TZ)), end


class PlanImportForm(forms.Form):
    """A plan file (plan.schema.json) to review; the shape is checked here, the ids by the view."""

    MAX_BYTES = 5 * 1024 * 1024

    plan = forms.FileField(
        label=_("Plan file (JSON)"),
        help_text=_("A plan in the format of docs/matching/plan.schema.json, at most 5 MB."),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty.")},
    )

    def clean_plan(self) -> dict[str, Any]:
        from sleutelnet.matching import io as matching_io
        from sleutelnet.web.uploads import read_upload

        _kind, raw = read_upload(self.cleaned_data["plan"], kinds=("json",), max_bytes=self.MAX_BYTES)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not text in UTF-8; export the plan as JSON.")) from None
        try:
            document = matching_io.plan_from_dict(matching_io.parse_json(text, "plan"))
        except matching_io.InstanceError as exc:
            shown = exc.messages[:10]
            errors = [
                forms.ValidationError(_("The file is not a valid plan: %(problem)s"), params={"problem": m})
                for m in shown
            ]
            if len(exc.messages) > len(shown):
                errors.append(
                    forms.ValidationError(_("… and %(n)d more problems."), params={"n": len(exc.messages) - len(shown)})
                )
            raise forms.ValidationError(errors) from None
        except RecursionError:
            raise forms.ValidationError(
                _("The file is not a valid plan: %(problem)s"), params={"problem": "nested too deeply"}
            ) from None
        return document
