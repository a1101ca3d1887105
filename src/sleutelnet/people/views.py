"""Pages for key persons and newcomers (coordinator) and the key person's own profile."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sleutelnet.accounts.middleware import set_language_cookie
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Municipality, Region, Role
from sleutelnet.core.selectors import municipalities_for, region_ids, regions_for
from sleutelnet.deployments.models import CURRENT_ASSIGNMENT_STATES
from sleutelnet.deployments.selectors import assignment_count, assignments_for, requests_for
from sleutelnet.people import services
from sleutelnet.people.filters import KeyPersonFilter, NewcomerFilter
from sleutelnet.people.forms import (
    ConsentForm,
    DayOffForm,
    KeyPersonForm,
    NewcomerForm,
    PauseForm,
    ProfileForm,
    WithdrawConsentForm,
    availability_formset,
    language_formset,
    language_tag_choices,
)
from sleutelnet.people.models import (
    DutchLevel,
    KeyPerson,
    KeyPersonRole,
    KeyPersonStatus,
    LearningRoute,
    Newcomer,
)
from sleutelnet.people.selectors import consents_for, key_persons_for, newcomers_for
from sleutelnet.web.decorators import own_key_person
from sleutelnet.web.forms import attach_domain_error
from sleutelnet.web.pagination import paginate

#: A VOG that ends within this many days gets a warning.
VOG_WARNING_DAYS = 60



def _coordinator_regions(request: HttpRequest) -> QuerySet[Region]:
    return regions_for(request.user).filter(id__in=region_ids(request.user, Role.COORDINATOR))  # type: ignore[arg-type]


def _coordinator_municipalities(request: HttpRequest) -> QuerySet[Municipality]:
    return municipalities_for(request.user).filter(region_id__in=region_ids(request.user, Role.COORDINATOR))  # type: ignore[arg-type]


def _region_key_persons(request: HttpRequest) -> QuerySet[KeyPerson]:
    return key_persons_for(request.user).filter(region_id__in=region_ids(request.user, Role.COORDINATOR))  # type: ignore[arg-type]


def _adapt_filter_form(form: Any, request: HttpRequest, *, with_role: bool = False) -> None:
    """Selects with names instead of codes for the shared filters."""
    from django import forms
    from django.utils.translation import gettext_lazy

    municipalities = _coordinator_municipalities(request)
    form.fields["municipality"] = forms.ChoiceField(
        label=gettext_lazy("Municipality"),
        required=False,
        choices=[("", _("All municipalities"))] + [(m.cbs_code, m.name) for m in municipalities],
    )
    if "q" in form.fields:
        form.fields["q"] = forms.CharField(
            label=gettext_lazy("Search"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
        )
    if "language" in form.fields:
        form.fields["language"] = forms.ChoiceField(
            label=gettext_lazy("Language"), required=False, choices=language_tag_choices(_("All languages"))
        )
    if with_role:
        form.fields["role"] = forms.ChoiceField(
            label=gettext_lazy("Role"),
            required=False,
            choices=[("", _("All roles"))] + [(r.code, _(r.label)) for r in KeyPersonRole.objects.all()],
        )
    if "status" in form.fields:
        form.fields["status"].widget = forms.CheckboxSelectMultiple(choices=KeyPersonStatus.choices)
        form.fields["status"].label = gettext_lazy("Status")
        form.fields["status"].help_text = ""
    if "dutchLevel" in form.fields:
        form.fields["dutchLevel"] = forms.ChoiceField(
            label=gettext_lazy("Dutch level"), required=False, choices=[("", _("Any level"))] + list(DutchLevel.choices)
        )
    if "learningRoute" in form.fields:
        form.fields["learningRoute"] = forms.ChoiceField(
            label=gettext_lazy("Learning route"), required=False, choices=[("", _("Any route"))] + list(LearningRoute.choices)
        )


def vog_state(kp: KeyPerson, today: dt.date | None = None) -> str:
    """'missing', 'expired', 'expiring' (within 60 days) or 'valid'."""
    today = today or timezone.localdate()
    if kp.vog_valid_until is None:
        return "missing"
    if kp.vog_valid_until < today:
        return "expired"
    if kp.vog_valid_until <= today + dt.timedelta(days=VOG_WARNING_DAYS):
        return "expiring"
    return "valid"


# --- key persons (coordinator) --------------------------------------------------------------


def key_person_list(request: HttpRequest) -> HttpResponse:
    """The region's key persons, with filters; one query per related list, whatever the length."""
    filterset = KeyPersonFilter(request.GET or None, queryset=_region_key_persons(request), request=request)
    _adapt_filter_form(filterset.form, request, with_role=True)
    qs = filterset.qs.annotate(
        current_count=assignment_count("key_person", Q(status__in=CURRENT_ASSIGNMENT_STATES))
    ).order_by("full_name", "id")
    page = paginate(request, qs)
    today = timezone.localdate()
    rows = [(kp, vog_state(kp, today)) for kp in page.object_list]
    return render(request, "people/key_person_list.html", {"filter": filterset, "page": page, "rows": rows})


def key_person_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list of key persons as filtered on the page, as CSV or XLSX."""
    from sleutelnet.tasks.views import list_download

    return list_download(request, "key_persons", fmt)


def newcomer_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The list of newcomers as filtered on the page (without contact details), as CSV or XLSX."""
    from sleutelnet.tasks.views import list_download

    return list_download(request, "newcomers", fmt)


def key_person_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """A key person's profile and current assignments."""
    kp = get_object_or_404(_region_key_persons(request), uuid=uuid)
    current = (
        assignments_for(request.user)  # type: ignore[arg-type]
        .filter(key_person=kp, status__in=CURRENT_ASSIGNMENT_STATES)
        .order_by("request__starts_at", "id")
    )
    context = {"kp": kp, "vog": vog_state(kp), "current": current, "vog_days": VOG_WARNING_DAYS}
    return render(request, "people/key_person_detail.html", context)


def _key_person_form_page(request: HttpRequest, kp: KeyPerson | None) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    regions = _coordinator_regions(request) if kp is None else None
    municipalities = _coordinator_municipalities(request)
    if kp is not None:
        municipalities = municipalities.filter(region_id=kp.region_id)
    initial = KeyPersonForm.initial_from(kp) if kp is not None else None
    form = KeyPersonForm(post, initial=initial, regions=regions, municipalities=municipalities)
    languages = language_formset(post, kp)
    availability = availability_formset(post, kp)
    if post is not None:
        valid = [form.is_valid(), languages.is_valid(), availability.is_valid()]
        if all(valid):
            data = form.to_data(languages.languages(), availability.slots())
            try:
                if kp is None:
                    region = form.chosen_region()
                    if region is None:
                        raise DomainError(_("You are not a coordinator of a region."))
                    saved = services.register_key_person(actor=request.user, region=region, data=data)  # type: ignore[arg-type]
                else:
                    saved = services.update_key_person(actor=request.user, key_person=kp, data=data)  # type: ignore[arg-type]
            except DomainError as exc:
                attach_domain_error(form, exc, formsets={"languages": languages, "availability": availability})
            else:
                messages.success(request, _("The profile of %(name)s was saved.") % {"name": saved.full_name})
                return redirect("people:key_person_detail", uuid=saved.uuid)
    formset_errors = languages.row_errors() + availability.row_errors() if post is not None else []
    context = {"form": form, "language_rows": languages, "availability": availability, "kp": kp, "formset_errors": formset_errors}
    return render(request, "people/key_person_form.html", context)


def key_person_new(request: HttpRequest) -> HttpResponse:
    """Register a key person (a candidate until onboarding is done)."""
    return _key_person_form_page(request, None)


def key_person_edit(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Change a key person's profile."""
    return _key_person_form_page(request, get_object_or_404(_region_key_persons(request), uuid=uuid))


# --- newcomers (coordinator) ----------------------------------------------------------------


def newcomer_list(request: HttpRequest) -> HttpResponse:
    """Newcomers of the region, pseudonymous."""
    filterset = NewcomerFilter(request.GET or None, queryset=newcomers_for(request.user).order_by("reference", "id"), request=request)  # type: ignore[arg-type]
    _adapt_filter_form(filterset.form, request)
    page = paginate(request, filterset.qs)
    return render(request, "people/newcomer_list.html", {"filter": filterset, "page": page})


def newcomer_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """A newcomer's record, consent and the requests about them."""
    nc = get_object_or_404(newcomers_for(request.user), uuid=uuid)  # type: ignore[arg-type]
    return _render_newcomer_detail(request, nc)


def _render_newcomer_detail(
    request: HttpRequest,
    nc: Newcomer,
    *,
    consent_form: ConsentForm | None = None,
    withdraw: tuple[int, WithdrawConsentForm] | None = None,
) -> HttpResponse:
    related = requests_for(request.user).filter(newcomer=nc).order_by("-starts_at")  # type: ignore[arg-type]
    excluded = nc.excluded_key_persons.order_by("full_name", "id")
    consents = list(consents_for(request.user).filter(newcomer=nc))  # type: ignore[arg-type]
    rows = [
        (c, withdraw[1] if withdraw and withdraw[0] == c.id else WithdrawConsentForm(auto_id=f"id_w{c.id}_%s"))
        for c in consents
    ]
    context = {
        "nc": nc,
        "related": related,
        "excluded": excluded,
        "consent_rows": rows,
        "consent_form": consent_form or ConsentForm(requests=related, initial={"given_on": timezone.localdate()}),
    }
    status = 400 if (consent_form is not None and consent_form.errors) or withdraw else 200
    return render(request, "people/newcomer_detail.html", context, status=status)


@require_POST
def newcomer_consent(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Record a consent the newcomer gave (support by a key person, or sharing contact details)."""
    nc = get_object_or_404(newcomers_for(request.user), uuid=uuid)  # type: ignore[arg-type]
    related = requests_for(request.user).filter(newcomer=nc)  # type: ignore[arg-type]
    form = ConsentForm(request.POST, requests=related)
    if form.is_valid():
        try:
            consent = services.record_consent(actor=request.user, newcomer=nc, data=form.to_data())  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("The consent was recorded: %(what)s.") % {"what": consent.get_purpose_display()})
            return redirect("people:newcomer_detail", uuid=nc.uuid)
    return _render_newcomer_detail(request, nc, consent_form=form)


@require_POST
def consent_withdraw(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Record that the newcomer withdrew a consent; open offers stop when it was the support consent."""
    consent = get_object_or_404(consents_for(request.user), uuid=uuid)  # type: ignore[arg-type]
    form = WithdrawConsentForm(request.POST, auto_id=f"id_w{consent.id}_%s")
    if form.is_valid():
        try:
            services.withdraw_consent(actor=request.user, consent=consent, note=form.cleaned_data["note"])  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("The withdrawal was recorded. Key persons no longer see this newcomer's details."))
            return redirect("people:newcomer_detail", uuid=consent.newcomer.uuid)
    nc = get_object_or_404(newcomers_for(request.user), pk=consent.newcomer_id)  # type: ignore[arg-type]
    return _render_newcomer_detail(request, nc, withdraw=(consent.id, form))


def _newcomer_form_page(request: HttpRequest, nc: Newcomer | None) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    municipalities = _coordinator_municipalities(request)
    if nc is not None:
        municipalities = municipalities.filter(region_id=nc.region_id)
    key_persons = _region_key_persons(request).prefetch_related(None).select_related(None).order_by("full_name", "id")
    if nc is not None:
        key_persons = key_persons.filter(region_id=nc.region_id)
    form = NewcomerForm(
        post,
        initial=NewcomerForm.initial_from(nc) if nc is not None else None,
        regions=_coordinator_regions(request) if nc is None else None,
        municipalities=municipalities,
        key_persons=key_persons,
    )
    if post is not None and form.is_valid():
        try:
            if nc is None:
                region = form.chosen_region()
                if region is None:
                    raise DomainError(_("You are not a coordinator of a region."))
                saved = services.register_newcomer(actor=request.user, region=region, data=form.to_data())  # type: ignore[arg-type]
            else:
                saved = services.update_newcomer(actor=request.user, newcomer=nc, data=form.to_data())  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("The record was saved."))
            return redirect("people:newcomer_detail", uuid=saved.uuid)
    return render(request, "people/newcomer_form.html", {"form": form, "nc": nc})


def newcomer_new(request: HttpRequest) -> HttpResponse:
    """Register a newcomer (reference and first name only)."""
    return _newcomer_form_page(request, None)


def newcomer_edit(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Change a newcomer's record, e.g. record consent."""
    return _newcomer_form_page(request, get_object_or_404(newcomers_for(request.user), uuid=uuid))  # type: ignore[arg-type]


# --- the key person's own profile -----------------------------------------------------------


def profile(request: HttpRequest) -> HttpResponse:
    """A key person keeps their contact details, website language and what they offer up to date."""
    own = own_key_person(request)
    kp = get_object_or_404(key_persons_for(request.user), id=own.id)  # type: ignore[arg-type]
    if request.method == "POST":
        form = ProfileForm(request.POST, key_person=kp)
        if form.is_valid():
            d = form.cleaned_data
            try:
                saved = services.update_own_profile(
                    actor=request.user,  # type: ignore[arg-type]
                    phone=d["phone"],
                    email=d["email"],
                    ui_language=d["ui_language"],
                    work={name: list(d[name]) for name in ("roles", "life_domains", "municipalities", "languages")},
                )
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                translation.activate(saved.ui_language)
                messages.success(request, _("Your profile was saved."))
                return set_language_cookie(redirect("people:profile"), saved.ui_language)
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(kp), key_person=kp)
    return render(request, "people/profile.html", {"form": form, "kp": kp}, status=400 if form.errors else 200)


def availability(request: HttpRequest) -> HttpResponse:
    """When a key person can help: weekly slots, days off and a pause, each saved on its own."""
    own = own_key_person(request)
    kp = get_object_or_404(key_persons_for(request.user), id=own.id)  # type: ignore[arg-type]
    slots = availability_formset(None, kp)
    day_off, pause = DayOffForm(prefix="dayoff"), PauseForm(prefix="pause")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    status = 200
    if action:
        try:
            if action == "slots":
                slots = availability_formset(request.POST, kp)
                if slots.is_valid():
                    services.set_own_availability(actor=request.user, slots=slots.slots())  # type: ignore[arg-type]
                    messages.success(request, _("Your weekly times were saved."))
                    return redirect("people:availability")
            elif action == "day_off":
                day_off = DayOffForm(request.POST, prefix="dayoff")
                if day_off.is_valid():
                    services.add_own_day_off(actor=request.user, **day_off.cleaned_data)  # type: ignore[arg-type]
                    messages.success(request, _("Your days off were saved. You get no offers on those days."))
                    return redirect("people:availability")
            elif action == "remove_day_off":
                try:
                    day_off_id = int(request.POST.get("day_off", ""))
                except ValueError:
                    day_off_id = 0
                services.remove_own_day_off(actor=request.user, day_off_id=day_off_id)  # type: ignore[arg-type]
                messages.success(request, _("The days off were removed."))
                return redirect("people:availability")
            elif action == "pause":
                pause = PauseForm(request.POST, prefix="pause")
                if pause.is_valid():
                    services.pause_self(actor=request.user, until=pause.cleaned_data["until"])  # type: ignore[arg-type]
                    messages.success(request, _("You are on a break. You get no new offers."))
                    return redirect("people:availability")
            elif action == "resume":
                services.resume_self(actor=request.user)  # type: ignore[arg-type]
                messages.success(request, _("Welcome back! You can get offers again."))
                return redirect("people:availability")
        except DomainError as exc:
            target = {"slots": None, "day_off": day_off, "pause": pause}.get(action)
            if target is not None:
                attach_domain_error(target, exc)
            else:
                messages.error(request, str(exc.message))
        status = 400
    kp.refresh_from_db()
    context = {
        "kp": kp,
        "slots": slots,
        "formset_errors": slots.row_errors() if slots.is_bound else [],
        "day_off": day_off,
        "pause": pause,
        "days_off": kp.unavailable.filter(ends_on__gte=timezone.localdate()).order_by("starts_on"),
        "paused": kp.status == KeyPersonStatus.PAUSED,
    }
    return render(request, "people/availability.html", context, status=status)
