"""Pages of the voice loop: raise and follow a signal, triage and route it, answer it; ask for
advice, answer it, share the outcome; the figures. Detail pages take one POST with an `action`."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import Case, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Membership, Organisation, Region, Role
from sleutelnet.core.selectors import has_role, municipalities_for, organisation_ids, region_ids
from sleutelnet.people.models import KeyPerson, KeyPersonStatus
from sleutelnet.voice import selectors, services
from sleutelnet.voice.forms import (
    AnswerForm,
    ConsultationAnswerForm,
    ConsultationForm,
    MeetingForm,
    MergeForm,
    OutcomeForm,
    ReopenForm,
    RouteForm,
    SignalForm,
)
from sleutelnet.voice.models import (
    ConsultationKind,
    ConsultationStatus,
    Signal,
    SignalStatus,
)
from sleutelnet.web.forms import attach_domain_error
from sleutelnet.web.pagination import paginate


def _bad(form: Any, exc: DomainError) -> None:
    if exc.field in getattr(form, "fields", {}):
        attach_domain_error(form, exc)
    else:
        form.add_error(None, str(exc.message))


# --- raising and following a signal (key persons, coordinators) ---------------------------------


def signal_new(request: HttpRequest) -> HttpResponse:
    """Raise a signal: what is noticed in a community, about a group."""
    form = SignalForm(request.POST or None, municipalities=municipalities_for(request.user))  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.raise_signal(actor=request.user, data=form.to_data())  # type: ignore[arg-type]
        except DomainError as exc:
            _bad(form, exc)
        else:
            messages.success(request, _("Thank you! Your signal went to the coordinator."))
            if region_ids(request.user, Role.COORDINATOR) & {signal.region_id}:  # type: ignore[arg-type]
                return redirect("voice:triage_signal", uuid=signal.uuid)
            return redirect("voice:my_signal", uuid=signal.uuid)
    return render(request, "voice/signal_form.html", {"form": form}, status=400 if form.errors else 200)


def my_signals(request: HttpRequest) -> HttpResponse:
    """The signals I raised, with where they are."""
    items = selectors.raised_by(request.user).select_related("municipality", "merged_into").order_by("-created_at")  # type: ignore[arg-type]
    return render(request, "voice/my_signals.html", {"page": paginate(request, items)})


def my_signal(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """One of my signals: its status, the answer, and "this does not answer my signal"."""
    own = get_object_or_404(selectors.raised_by(request.user).select_related("merged_into"), uuid=uuid)  # type: ignore[arg-type]
    signal = own.merged_into or own
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_signal(actor=request.user, signal=signal, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except DomainError as exc:
            _bad(form, exc)
        else:
            messages.success(request, _("Thank you. The signal went back to its owner, with your reason."))
            return redirect("voice:my_signal", uuid=own.uuid)
    signal.refresh_from_db()
    return render(request, "voice/my_signal.html", {"own": own, "signal": signal, "form": form}, status=400 if form.errors else 200)


def you_said_we_did(request: HttpRequest) -> HttpResponse:
    """'You said, we did': answered themes the owners chose to publish, so key persons can tell their community."""
    items = selectors.published_for(request.user).select_related("municipality").prefetch_related("life_domains")  # type: ignore[arg-type]
    return render(request, "voice/you_said_we_did.html", {"page": paginate(request, items)})


# --- triage (coordinators) -------------------------------------------------------------------------


def _coordinated(request: HttpRequest) -> Any:
    return Signal.objects.filter(region_id__in=region_ids(request.user, Role.COORDINATOR))  # type: ignore[arg-type]


def triage(request: HttpRequest) -> HttpResponse:
    """All signals of the region, the ones that need the coordinator first."""
    status = request.GET.get("status", "")
    items = _coordinated(request).filter(merged_into__isnull=True).select_related("municipality")
    if status in SignalStatus.values:
        items = items.filter(status=status)
    # what waits for the coordinator first: new, in triage, answered (to close); then the rest
    waiting = Case(
        When(status=SignalStatus.NEW, then=0), When(status=SignalStatus.TRIAGE, then=1), When(status=SignalStatus.ANSWERED, then=2),
        default=3,
    )
    items = items.order_by(waiting, "-created_at")
    return render(request, "voice/triage.html", {"page": paginate(request, items), "status": status, "statuses": SignalStatus.choices})


def _route_form(request: HttpRequest, signal: Signal, data: Any = None) -> RouteForm:
    officers = [m.user for m in Membership.objects.filter(region_id=signal.region_id, role=Role.POLICY_OFFICER).select_related("user")]
    organisations = list(Organisation.objects.filter(region_id=signal.region_id))
    return RouteForm(data, officers=officers, organisations=organisations, prefix="route")


def triage_signal(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """One signal for the coordinator: take it in triage, merge a duplicate, route it, close it."""
    signal = get_object_or_404(_coordinated(request).select_related("merged_into", "raised_by"), uuid=uuid)
    candidates = _coordinated(request).filter(merged_into__isnull=True).exclude(pk=signal.pk).exclude(status=SignalStatus.CLOSED)
    route, merge = _route_form(request, signal), MergeForm(candidates=candidates, prefix="merge")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action:
        try:
            if action == "triage":
                services.start_triage(actor=request.user, signal=signal)  # type: ignore[arg-type]
            elif action == "merge":
                merge = MergeForm(request.POST, candidates=candidates, prefix="merge")
                if not merge.is_valid():
                    raise DomainError(_("Choose the signal to merge into."), field="into")
                services.merge_signal(actor=request.user, duplicate=signal, into=merge.cleaned_data["into"])  # type: ignore[arg-type]
            elif action == "route":
                route = _route_form(request, signal, request.POST)
                if not route.is_valid():
                    raise DomainError(_("Choose an owner and a deadline."), field="owner")
                services.route_signal(actor=request.user, signal=signal, deadline=route.cleaned_data["deadline"], **route.owner_kwargs())  # type: ignore[arg-type]
            elif action == "close":
                services.close_signal(actor=request.user, signal=signal)  # type: ignore[arg-type]
            else:
                raise DomainError(_("Unknown action."))
        except DomainError as exc:
            target = {"merge": merge, "route": route}.get(action)
            if target is not None and exc.field in target.fields:
                if not target.errors.get(exc.field):
                    attach_domain_error(target, exc)
            else:
                messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved. Everyone concerned has been told."))
            return redirect("voice:triage_signal", uuid=signal.uuid)
    signal.refresh_from_db()
    raiser = signal.raised_by
    kp = getattr(raiser, "key_person", None)
    context = {
        "raiser_name": kp.full_name if kp is not None else (raiser.get_full_name() or raiser.username),
        "raiser_contact": (kp.email if kp is not None and kp.email else raiser.email),
        "signal": signal, "route": route, "merge": merge, "events": signal.events.select_related("actor"),
        "duplicates": signal.duplicates.all(),
    }
    return render(request, "voice/triage_signal.html", context, status=400 if action else 200)


# --- answering (owners) ------------------------------------------------------------------------------


def owned(request: HttpRequest) -> HttpResponse:
    """Signals routed to me or my organisation."""
    items = selectors.owned_by(request.user).select_related("municipality").order_by("deadline", "-created_at")  # type: ignore[arg-type]
    return render(request, "voice/owned.html", {"page": paginate(request, items), "today": timezone.localdate()})


def owned_signal(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Answer a signal: what was done or will be done, or why not."""
    signal = get_object_or_404(selectors.owned_by(request.user), uuid=uuid)  # type: ignore[arg-type]
    form = AnswerForm(request.POST or None, initial={"answer": signal.answer, "publish": signal.published})
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "start":
        try:
            services.start_work(actor=request.user, signal=signal)  # type: ignore[arg-type]
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("voice:owned_signal", uuid=signal.uuid)
    if action == "answer" and form.is_valid():
        try:
            services.answer_signal(actor=request.user, signal=signal, answer=form.cleaned_data["answer"], publish=form.cleaned_data["publish"])  # type: ignore[arg-type]
        except DomainError as exc:
            _bad(form, exc)
        else:
            messages.success(request, _("Your answer was sent to who raised the signal."))
            return redirect("voice:owned_signal", uuid=signal.uuid)
    events = signal.events.filter(kind__in=("reopened", "answered"))
    return render(request, "voice/owned_signal.html", {"signal": signal, "form": form, "events": events}, status=400 if form.errors else 200)


# --- consultations -------------------------------------------------------------------------------------


def consultations(request: HttpRequest) -> HttpResponse:
    """The consultations I asked, or (coordinators, policy officers) those of my region."""
    items = selectors.consultations_managed_by(request.user).order_by("-created_at")  # type: ignore[arg-type]
    return render(request, "voice/consultations.html", {"page": paginate(request, items)})


def _asker_region(request: HttpRequest) -> tuple[int | None, Organisation | None]:
    policy = sorted(region_ids(request.user, Role.POLICY_OFFICER))  # type: ignore[arg-type]
    if policy:
        return policy[0], None
    org = Organisation.objects.filter(id__in=organisation_ids(request.user)).first()  # type: ignore[arg-type]
    return (org.region_id, org) if org else (None, None)


def consultation_new(request: HttpRequest) -> HttpResponse:
    """Ask key persons for advice: a question or a draft text."""
    region_id, organisation = _asker_region(request)
    # A partner organisation asks by language or role; only a policy officer asks by name.
    pool = KeyPerson.objects.none() if organisation else KeyPerson.objects.filter(region_id=region_id, status=KeyPersonStatus.ACTIVE).order_by("full_name")
    form = ConsultationForm(request.POST or None, key_persons=pool, initial={"deadline": dt.date.today() + dt.timedelta(days=14)})
    if request.method == "POST" and form.is_valid() and region_id is not None:
        try:
            c = services.ask_consultation(actor=request.user, region_id=region_id, data=form.to_data(organisation))  # type: ignore[arg-type]
        except DomainError as exc:
            _bad(form, exc)
        else:
            messages.success(request, _("Your question went to the key persons you asked."))
            return redirect("voice:consultation", uuid=c.uuid)
    return render(request, "voice/consultation_form.html", {"form": form}, status=400 if form.errors else 200)


def consultation(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """A consultation for the asker: the answers per paragraph, the meeting, the outcome."""
    c = get_object_or_404(selectors.consultations_managed_by(request.user), uuid=uuid)  # type: ignore[arg-type]
    is_asker = c.asked_by_id == request.user.pk
    # Names of advisers for the municipality's own staff; a partner organisation reads the advice without them.
    show_names = c.organisation_id is None and bool(region_ids(request.user, Role.POLICY_OFFICER, Role.COORDINATOR))  # type: ignore[arg-type]
    pool = services.audience(c).order_by("full_name") if show_names else KeyPerson.objects.none()
    meeting = MeetingForm(key_persons=pool, prefix="meeting")
    outcome = OutcomeForm(prefix="outcome")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action:
        try:
            if action == "meeting":
                meeting = MeetingForm(request.POST, key_persons=pool, prefix="meeting")
                if not meeting.is_valid():
                    raise DomainError(_("Please check the form"), field="minutes")
                d = meeting.cleaned_data
                services.record_meeting(actor=request.user, consultation=c, attendees=list(d["attendees"]), minutes=d["minutes"], hours=d["hours"])  # type: ignore[arg-type]
            elif action == "close":
                services.close_consultation(actor=request.user, consultation=c)  # type: ignore[arg-type]
            elif action == "publish":
                outcome = OutcomeForm(request.POST, prefix="outcome")
                if not outcome.is_valid():
                    raise DomainError(_("Please check the form"), field="summary")
                services.publish_outcome(  # type: ignore[misc]
                    actor=request.user, consultation=c, summary=outcome.cleaned_data["summary"],  # type: ignore[arg-type]
                    points=outcome.points(), revised_text=outcome.cleaned_data["revised_text"],
                )
            else:
                raise DomainError(_("Unknown action."))
        except DomainError as exc:
            target = {"meeting": meeting, "publish": outcome}.get(action)
            if target is not None and exc.field in target.fields and not target.errors:
                attach_domain_error(target, exc)
            elif target is None or not target.errors:
                messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("voice:consultation", uuid=c.uuid)
    c.refresh_from_db()
    answers = list(c.answers.select_related("key_person") if show_names else c.answers.all())
    by_paragraph = [(i, text, [a for a in answers if a.paragraph == i]) for i, text in enumerate(c.paragraphs())]
    context = {
        "c": c, "is_asker": is_asker, "general": [a for a in answers if a.paragraph is None], "by_paragraph": by_paragraph,
        "meeting": meeting, "outcome": outcome, "points": c.advice_points.all(), "asked": services.audience(c).count(),
        "answered": len({a.key_person_id for a in answers}), "is_meeting": c.kind == ConsultationKind.MEETING,
        "show_names": show_names,
    }
    return render(request, "voice/consultation.html", context, status=400 if action else 200)


def my_consultations(request: HttpRequest) -> HttpResponse:
    """The questions that ask me for advice."""
    items = selectors.asked_of(request.user).order_by("status", "deadline")  # type: ignore[arg-type]
    return render(request, "voice/my_consultations.html", {"page": paginate(request, items), "today": timezone.localdate()})


def my_consultation(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Answer a consultation, per paragraph if there is a draft; later, read what was done with it."""
    c = get_object_or_404(selectors.asked_of(request.user), uuid=uuid)  # type: ignore[arg-type]
    kp = request.user.key_person  # type: ignore[union-attr]
    mine = list(c.answers.filter(key_person=kp))
    initial: dict[str, Any] = {"hours": sum((a.hours for a in mine), start=0) or 0}
    for a in mine:
        initial["general" if a.paragraph is None else f"paragraph_{a.paragraph}"] = a.text
    form = ConsultationAnswerForm(request.POST or None, paragraphs=c.paragraphs(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_consultation(actor=request.user, consultation=c, answers=form.answers(), hours=form.cleaned_data["hours"])  # type: ignore[arg-type]
        except DomainError as exc:
            _bad(form, exc)
        else:
            messages.success(request, _("Thank you for your advice! You can change it until the deadline."))
            return redirect("voice:my_consultation", uuid=c.uuid)
    open_for_answers = c.status == ConsultationStatus.OPEN and c.deadline >= timezone.localdate()
    context = {"c": c, "form": form, "open": open_for_answers, "answered": bool(mine), "points": c.advice_points.all()}
    return render(request, "voice/my_consultation.html", context, status=400 if form.errors else 200)


# --- figures -------------------------------------------------------------------------------------------


def figures(request: HttpRequest) -> HttpResponse:
    """Signals and consultations per period and municipality, for coordinators and policy officers."""
    regions = region_ids(request.user, Role.COORDINATOR, Role.POLICY_OFFICER)  # type: ignore[arg-type]
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start", "")) if request.GET.get("start") else today - dt.timedelta(days=365)
        end = dt.date.fromisoformat(request.GET.get("end", "")) if request.GET.get("end") else today
    except ValueError:
        messages.error(request, _("Give the dates as day-month-year."))
        start, end = today - dt.timedelta(days=365), today
    municipalities = municipalities_for(request.user).filter(region_id__in=regions)  # type: ignore[arg-type]
    chosen = municipalities.filter(uuid=request.GET.get("municipality")).first() if _is_uuid(request.GET.get("municipality")) else None
    result = selectors.voice_figures(regions, start, end, chosen.id if chosen else None)
    if not has_role(request.user, Role.COORDINATOR):  # type: ignore[arg-type]
        # Aggregates only: a small number of key persons who advised is hidden (docs/indicators.md).
        from dataclasses import replace

        from sleutelnet.reporting.suppression import Suppressed, is_small

        threshold = max(Region.objects.filter(pk__in=regions).values_list("small_count_threshold", flat=True), default=5)
        if is_small(result.answers, threshold):
            result = replace(result, answers=Suppressed(threshold))  # type: ignore[arg-type]
    context = {"f": result, "start": start, "end": end, "municipalities": municipalities, "chosen": chosen}
    return render(request, "voice/figures.html", context)


def _is_uuid(value: str | None) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True
