"""The privacy officer's pages for data-subject requests and retention."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Region
from sleutelnet.privacy import selectors, services
from sleutelnet.privacy.forms import EraseForm, RetentionForm, SubjectSearchForm
from sleutelnet.privacy.models import DataSubjectRequest, RetentionKind, RetentionRun
from sleutelnet.privacy.subject_export import KEY_PERSON_PARTS, key_person_export, newcomer_export
from sleutelnet.web.forms import attach_domain_error


def subjects(request: HttpRequest) -> HttpResponse:
    """Find a newcomer or key person, and see the data-subject requests handled so far."""
    form = SubjectSearchForm(request.GET or None)
    found: list[Any] = []
    if form.is_bound and form.is_valid():
        found = selectors.find_persons(request.user, form.cleaned_data.get("kind", ""), form.cleaned_data["person"])  # type: ignore[arg-type]
        if not found:
            form.add_error("person", _("No newcomer with this reference and no key person with this name in your region."))
    handled = DataSubjectRequest.objects.filter(region_id__in=selectors.privacy_regions(request.user)).select_related("handled_by")[:50]  # type: ignore[arg-type]
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "privacy/subjects.html", {"form": form, "found": found, "handled": handled}, status=status)


def _subject_page(
    request: HttpRequest, subject: Any, data: dict[str, Any], erase_form: EraseForm | None = None, part: str = ""
) -> HttpResponse:
    kind = data["kind"]
    label = subject.reference if kind == "newcomer" else subject.full_name
    context = {
        "subject": subject, "kind": kind, "data": data, "label": label, "erase_form": erase_form or EraseForm(), "part": part,
    }
    return render(request, "privacy/subject.html", context, status=400 if erase_form is not None else 200)


def newcomer_subject(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Everything held about a newcomer, readable; download it or erase it from here."""
    nc = get_object_or_404(selectors.newcomers_of(request.user), uuid=uuid)  # type: ignore[arg-type]
    return _subject_page(request, nc, newcomer_export(nc))


def key_person_subject(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """A key person's data in two readable parts (work; care and money); the download holds both."""
    kp = get_object_or_404(selectors.key_persons_of(request.user), uuid=uuid)  # type: ignore[arg-type]
    part = request.GET.get("part", "work")
    if part not in KEY_PERSON_PARTS:
        part = "work"
    return _subject_page(request, kp, key_person_export(kp, part=part), part=part)


def _download(request: HttpRequest, subject: Any, data: dict[str, Any]) -> HttpResponse:
    try:
        services.record_access(actor=request.user, subject=subject)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("privacy:subjects")
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sleutelnet-{data["kind"]}-{subject.uuid.hex[:8]}.json"'
    return response


@require_POST
def newcomer_subject_export(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The newcomer's data as a JSON file (machine-readable, AVG art. 20); recorded as a request."""
    nc = get_object_or_404(selectors.newcomers_of(request.user), uuid=uuid)  # type: ignore[arg-type]
    return _download(request, nc, newcomer_export(nc))


@require_POST
def key_person_subject_export(request: HttpRequest, uuid: UUID) -> HttpResponse:
    kp = get_object_or_404(selectors.key_persons_of(request.user), uuid=uuid)  # type: ignore[arg-type]
    return _download(request, kp, key_person_export(kp))


def _erase(request: HttpRequest, subject: Any, data: dict[str, Any], erase: Any, done: str) -> HttpResponse:
    """Run `erase` with the typed confirmation; on a refusal show the page again with the reason."""
    form = EraseForm(request.POST)
    if form.is_valid():
        try:
            erase(actor=request.user, confirmation=form.cleaned_data["confirmation"], note=form.cleaned_data["note"])
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("privacy:subjects")
    return _subject_page(request, subject, data, erase_form=form)


@require_POST
def newcomer_subject_erase(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Erase a newcomer (AVG art. 17), after typing the reference."""
    nc = get_object_or_404(selectors.newcomers_of(request.user), uuid=uuid)  # type: ignore[arg-type]
    return _erase(
        request, nc, newcomer_export(nc), lambda **kw: services.erase_newcomer(newcomer=nc, **kw),
        _("The newcomer was erased. Only the pseudonym in the logs and the anonymous figures remain."),
    )


@require_POST
def key_person_subject_erase(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Erase a key person (AVG art. 17), after typing the name."""
    kp = get_object_or_404(selectors.key_persons_of(request.user), uuid=uuid)  # type: ignore[arg-type]
    return _erase(
        request, kp, key_person_export(kp, part="work"), lambda **kw: services.erase_key_person(key_person=kp, **kw),
        _("The key person was erased. The record stays without anything that says who it was."),
    )


def retention(request: HttpRequest) -> HttpResponse:
    """The retention periods of the officer's regions, what is due now, and the last runs."""
    regions = list(Region.objects.filter(id__in=selectors.privacy_regions(request.user)).order_by("name"))  # type: ignore[arg-type]
    bound: tuple[int, str, RetentionForm] | None = None
    if request.method == "POST":
        region = next((r for r in regions if str(r.uuid) == request.POST.get("region")), None)
        form = RetentionForm(request.POST)
        if region is None:
            messages.error(request, _("Choose one of your regions."))
            return redirect("privacy:retention")
        if form.is_valid():
            try:
                services.set_retention(actor=request.user, region=region, kind=form.cleaned_data["kind"], months=form.cleaned_data["months"])  # type: ignore[arg-type]
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("The retention period was saved."))
                return redirect("privacy:retention")
        bound = (region.id, form.data.get("kind", ""), form)
    due = services.due(regions=regions)
    periods = services.retention_periods(regions)
    rows = []
    for region in regions:
        for kind, period in services.RETENTION.items():
            months = periods[(region.id, kind)]
            form = bound[2] if bound and bound[0] == region.id and bound[1] == kind else RetentionForm(initial={"kind": kind, "months": months})
            now_due = next((d.count for d in due if d.region and d.region.id == region.id and d.kind == kind), 0)
            rows.append({"region": region, "kind": kind, "label": RetentionKind(kind).label, "period": period, "months": months, "form": form, "due": now_due})
    context = {"rows": rows, "runs": RetentionRun.objects.all()[:10]}
    return render(request, "privacy/retention.html", context, status=400 if bound else 200)
