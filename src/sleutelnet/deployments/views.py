"""Pages for requests, offers and reports: the coordinator's queue, the requester's requests,
the key person's offers and agenda.

Reads go through `selectors`, every change through `services`; a DomainError from a service
is shown on the field it names and the user's input is kept.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from sleutelnet.allowances.selectors import Extra, LimitWarning, hours_summary, limit_checks
from sleutelnet.core import clock
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Region, Role
from sleutelnet.core.selectors import (
    municipalities_for,
    organisation_ids,
    organisations_for,
    region_ids,
    regions_for,
)
from sleutelnet.deployments import planning, services
from sleutelnet.deployments.explain import Explainer
from sleutelnet.deployments.filters import RequestFilter
from sleutelnet.deployments.forms import (
    INTERPRETER_WARNING,
    REQUEST_FIELD_MAP,
    CommentForm,
    DeclineForm,
    OfferForm,
    PlanImportForm,
    PlanPeriodForm,
    ReportForm,
    RequestForm,
    WhyNotForm,
    adapt_request_filter_form,
    local_day,
    report_languages,
)
from sleutelnet.deployments.matching import candidates_for, region_instance
from sleutelnet.deployments.models import (
    ACTIVE_ASSIGNMENT_STATES,
    CONFIRMED_ASSIGNMENT_STATES,
    ActivityReport,
    Assignment,
    AssignmentStatus,
    Request,
    RequestStatus,
)
from sleutelnet.deployments.selectors import (
    assignment_count,
    assignments_for,
    reports_awaiting_approval,
    requests_for,
)
from sleutelnet.deployments.selectors import (
    coordinator_queue as queue_selector,
)
from sleutelnet.matching import io as matching_io
from sleutelnet.notifications.selectors import active_feed_for
from sleutelnet.notifications.views import assignment_ics
from sleutelnet.people.models import KeyPerson
from sleutelnet.people.selectors import key_persons_for
from sleutelnet.web.decorators import own_key_person
from sleutelnet.web.forms import (
    OFFER_PLACEHOLDER,
    ReasonForm,
    attach_domain_error,
    card_auto_id,
    card_blank,
)
from sleutelnet.web.pagination import paginate


def _with_counts(qs: QuerySet[Request]) -> QuerySet[Request]:
    """Add how many key persons are offered and confirmed, in the same query (no N+1): correlated
    counts, evaluated for the page's rows only (a join with GROUP BY read every assignment of the
    region before the LIMIT)."""
    return qs.annotate(
        confirmed_count=assignment_count("request", Q(status__in=CONFIRMED_ASSIGNMENT_STATES)),
        offered_count=assignment_count("request", Q(status=AssignmentStatus.OFFERED)),
    )


def _reason_form(assignment: Assignment, data: Any = None) -> ReasonForm:
    """A reason form with ids unique to one assignment (several sit on one page)."""
    return ReasonForm(data, auto_id=card_auto_id(assignment.uuid))


# --- coordinator: the queue -----------------------------------------------------------------


def _coordinator_requests(request: HttpRequest) -> QuerySet[Request]:
    return requests_for(request.user).filter(region_id__in=region_ids(request.user, Role.COORDINATOR))  # type: ignore[arg-type]


def coordinator_queue(request: HttpRequest) -> HttpResponse:
    """Open requests, soonest and most urgent first, with filters that refresh in place (htmx)."""
    user = request.user
    if request.GET.getlist("status"):
        base = _coordinator_requests(request).order_by("starts_at", "-urgency", "id")
    else:
        base = queue_selector(user)  # type: ignore[arg-type]
    filterset = RequestFilter(request.GET or None, queryset=base, request=request)
    adapt_request_filter_form(
        filterset.form,
        municipalities=municipalities_for(user).filter(region_id__in=region_ids(user, Role.COORDINATOR)),  # type: ignore[arg-type]
        keep=("status", "municipality", "language", "kind", "urgency", "q"),
    )
    page = paginate(request, _with_counts(filterset.qs))
    context = {"filter": filterset, "page": page}
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "deployments/_queue_results.html", context)
    else:
        response = render(request, "deployments/coordinator_queue.html", context)
    patch_vary_headers(response, ("HX-Request",))  # the same URL answers with a fragment or a page
    return response


def coordinator_requests_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The region's requests with the queue's filters (every status unless filtered), as CSV or XLSX."""
    from sleutelnet.tasks.views import list_download

    return list_download(request, "region_requests", fmt)


def request_list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The organisation's requests with the page's filters, as CSV or XLSX."""
    from sleutelnet.tasks.views import list_download

    return list_download(request, "own_requests", fmt)


# --- coordinator: one request ---------------------------------------------------------------


@dataclass
class CandidateRow:
    """A ranked key person with the reasons in the user's language."""

    key_person: KeyPerson
    weight: float
    reasons: list[str]
    violations: list[str] = field(default_factory=list)
    #: The tax-free limits this offer would push the key person past (they inform, never block).
    limit_warnings: list[LimitWarning] = field(default_factory=list)


def _with_limit_warnings(req: Request, rows: list[CandidateRow]) -> None:
    """Warn before an offer that would take a volunteer over an allowance limit, counting the
    approved, filed and accepted work of that month: all candidates in one go (no query each)."""
    day = local_day(req.starts_at)
    checks = limit_checks([Extra(row.key_person, day, req.hours, req.region_id) for row in rows], planned=True)
    for row, warnings in zip(rows, checks, strict=True):
        row.limit_warnings = warnings


#: The infeasible key persons shown by name: the nearest ones (fewest conditions failed). A region
#: has hundreds of key persons; the page counts all of them by reason, and "Why not …?" checks anyone.
INFEASIBLE_SHOWN = 30


def _why_not_summary(infeasible: list[CandidateRow]) -> list[tuple[str, int]]:
    """How many infeasible key persons fail each condition, the most common first."""
    counts: dict[str, int] = {}
    for row in infeasible:
        for v in row.violations:
            counts[v] = counts.get(v, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _candidates(req: Request, assignments: list[Assignment]) -> tuple[list[CandidateRow], list[CandidateRow]]:
    """Feasible and infeasible key persons for an open request, without those already on it;
    the infeasible ones nearest first (fewest conditions failed, then the best score)."""
    if req.status != RequestStatus.OPEN:
        return [], []
    live = {a.key_person_id for a in assignments if a.status in ACTIVE_ASSIGNMENT_STATES}
    explain = Explainer()
    feasible: list[CandidateRow] = []
    infeasible: list[CandidateRow] = []
    for kp, cand in candidates_for(req):
        if kp.id in live:
            continue
        row = CandidateRow(
            key_person=kp,
            weight=cand.weight,
            reasons=[explain(r) for r in cand.reasons],
            violations=[explain(r) for r in cand.violations],
        )
        (feasible if cand.feasible else infeasible).append(row)
    infeasible.sort(key=lambda row: (len(row.violations), -row.weight))
    return feasible, infeasible


def _offer_choices(feasible: list[CandidateRow]) -> list[tuple[str, str]]:
    return [(str(row.key_person.uuid), row.key_person.full_name) for row in feasible]


def _render_coordinator_request(
    request: HttpRequest,
    req: Request,
    *,
    offer_form: OfferForm | None = None,
    cancel_form: ReasonForm | None = None,
    bound_assignment: tuple[int, ReasonForm] | None = None,
    candidates: tuple[list[CandidateRow], list[CandidateRow]] | None = None,
) -> HttpResponse:
    assignments = list(
        assignments_for(request.user).filter(request=req).order_by("offered_at", "id")  # type: ignore[arg-type]
    )
    feasible, infeasible = candidates if candidates is not None else _candidates(req, assignments)
    _with_limit_warnings(req, feasible)
    rows = []
    for a in assignments:
        form = None
        if a.status in (AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED):
            form = bound_assignment[1] if bound_assignment and bound_assignment[0] == a.id else _reason_form(a)
        rows.append((a, form))
    why_not_form, why_not = _why_not(request, req)
    context = {
        "req": req,
        "assignment_rows": rows,
        "confirmed": sum(1 for a in assignments if a.status in CONFIRMED_ASSIGNMENT_STATES),
        "feasible": feasible,
        "infeasible": infeasible[:INFEASIBLE_SHOWN],
        "infeasible_count": len(infeasible),
        "infeasible_hidden": max(len(infeasible) - INFEASIBLE_SHOWN, 0),
        "why_not_summary": _why_not_summary(infeasible),
        "offer_form": offer_form or OfferForm(choices=_offer_choices(feasible)),
        "cancel_form": cancel_form or ReasonForm(auto_id="id_cancel_%s"),
        "can_cancel": req.status in (RequestStatus.OPEN, RequestStatus.FILLED),
        "why_not_form": why_not_form,
        "why_not": why_not,
    }
    status = 400 if why_not_form.is_bound and not why_not_form.is_valid() and request.method == "GET" else 200
    return render(request, "deployments/coordinator_request.html", context, status=status)


@dataclass
class WhyNot:
    """One key person checked against one request: every hard constraint failed, or the reasons."""

    key_person: KeyPerson
    weight: float
    reasons: list[str]
    violations: list[str]


def _why_not(request: HttpRequest, req: Request) -> tuple[WhyNotForm, WhyNot | None]:
    """The "Why not …?" search: any key person of the request's region, checked by the engine."""
    region_people = key_persons_for(request.user).filter(region_id=req.region_id)  # type: ignore[arg-type]
    # Instances, not values(): every key person named on the page is a read in the processing log.
    choices = [
        (str(kp.uuid), kp.full_name)
        for kp in region_people.prefetch_related(None).select_related(None).only("id", "uuid", "full_name", "region_id").order_by("full_name", "id")
    ]
    bound = request.method == "GET" and "why_not" in request.GET
    form = WhyNotForm(request.GET if bound else None, choices=choices, auto_id="id_why_%s")
    if not bound or not form.is_valid():
        return form, None
    kp = get_object_or_404(region_people.prefetch_related(None), uuid=form.cleaned_data["why_not"])
    ranked = candidates_for(req, only=kp)
    if not ranked:  # pragma: no cover - the form offers only the request's region
        raise Http404
    cand = ranked[0][1]
    explain = Explainer()
    return form, WhyNot(
        key_person=kp,
        weight=cand.weight,
        reasons=[explain(r) for r in cand.reasons],
        violations=[explain(r) for r in cand.violations],
    )


def _coordinator_request_or_404(request: HttpRequest, uuid: UUID) -> Request:
    return get_object_or_404(_coordinator_requests(request), uuid=uuid)


def coordinator_request(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """A request with its assignments and the ranked candidates (why, and why not)."""
    req = _coordinator_request_or_404(request, uuid)
    if request.htmx and "why_not" in request.GET:  # type: ignore[attr-defined]
        form, why_not = _why_not(request, req)  # only the "Why not …?" section, in place
        response = render(request, "deployments/_why_not.html", {"req": req, "why_not_form": form, "why_not": why_not})
    else:
        response = _render_coordinator_request(request, req)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_POST
def coordinator_offer(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Offer the request to the ticked key persons."""
    req = _coordinator_request_or_404(request, uuid)
    assignments = list(assignments_for(request.user).filter(request=req))  # type: ignore[arg-type]
    feasible, infeasible = _candidates(req, assignments)
    form = OfferForm(request.POST, choices=_offer_choices(feasible))
    if form.is_valid():
        by_uuid = {str(row.key_person.uuid): row.key_person for row in feasible}
        chosen = [by_uuid[u] for u in form.cleaned_data["key_persons"]]
        try:
            created = services.offer(actor=request.user, request=req, key_persons=chosen)  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "The request was offered to %(n)d key person.",
                    "The request was offered to %(n)d key persons.",
                    len(created),
                )
                % {"n": len(created)},
            )
            return redirect("deployments:coordinator_request", uuid=req.uuid)
    return _render_coordinator_request(request, req, offer_form=form, candidates=(feasible, infeasible))


@require_POST
def coordinator_cancel_request(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Cancel a request, with a reason that everyone involved receives."""
    req = _coordinator_request_or_404(request, uuid)
    form = ReasonForm(request.POST, auto_id="id_cancel_%s")
    if form.is_valid():
        try:
            services.cancel_request(actor=request.user, request=req, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("The request was cancelled."))
            return redirect("deployments:coordinator_request", uuid=req.uuid)
    return _render_coordinator_request(request, req, cancel_form=form)


@require_POST
def coordinator_cancel_assignment(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Withdraw an offer, or cancel an accepted assignment, with a reason."""
    assignment = get_object_or_404(
        assignments_for(request.user).filter(  # type: ignore[arg-type]
            request__region_id__in=region_ids(request.user, Role.COORDINATOR)  # type: ignore[arg-type]
        ),
        uuid=uuid,
    )
    req = _coordinator_request_or_404(request, assignment.request.uuid)
    form = _reason_form(assignment, request.POST)
    if form.is_valid():
        try:
            services.cancel_assignment(actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request, _("%(name)s no longer has this request.") % {"name": assignment.key_person.full_name}
            )
            return redirect("deployments:coordinator_request", uuid=req.uuid)
    return _render_coordinator_request(request, req, bound_assignment=(assignment.id, form))


# --- coordinator: planning a period ---------------------------------------------------------

#: At most this many proposal lines are read from one "Send the offers" form.
MAX_PLAN_LINES = 1000


def _coordinator_regions(request: HttpRequest) -> QuerySet[Region]:
    return regions_for(request.user).filter(id__in=region_ids(request.user, Role.COORDINATOR)).order_by("name", "id")  # type: ignore[arg-type]


def _period_form(request: HttpRequest, source: Any) -> PlanPeriodForm:
    """The period from `source` (GET or POST), today to a week ahead for what is missing."""
    data = source.copy()
    for key, value in PlanPeriodForm.defaults(clock.today()).items():
        if key not in data:
            data[key] = value
    regions = _coordinator_regions(request)
    options = list(regions)  # one query: the form reads the same cached rows
    if "region" not in data and options:  # coordinators of several regions start with the first one
        data["region"] = str(options[0].uuid)
    return PlanPeriodForm(data, regions=regions)


def _plan_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("import_form", PlanImportForm())
    context.setdefault("max_lines", MAX_PLAN_LINES)
    return render(request, "deployments/plan.html", context, status=status)


def _period_problem(request: HttpRequest) -> tuple[PlanPeriodForm, Any] | HttpResponse:
    """The period form from the query and, when valid, the region's planning problem for it."""
    form = _period_form(request, request.GET)
    if not form.is_valid():
        return _plan_page(request, {"form": form}, status=400)
    region = form.chosen_region()
    if region is None:  # pragma: no cover - the permission matrix lets only coordinators in
        raise PermissionDenied
    start, end = form.horizon()
    return form, region_instance(region, start, end)


def coordinator_plan(request: HttpRequest) -> HttpResponse:
    """"Plan the week": the engine's proposal for the region's open requests of a period."""
    found = _period_problem(request)
    if isinstance(found, HttpResponse):
        return found
    form, problem = found
    region = form.chosen_region()
    start, _end = form.horizon()
    review = planning.propose(problem)
    fields = _period_fields(form)
    context = {"form": form, "review": review, "start": start, "until": form.cleaned_data["end"], "region": region}
    return _plan_page(request, {**context, "period_fields": fields, "period_query": urlencode(fields)})


def _period_fields(form: PlanPeriodForm) -> list[tuple[str, str]]:
    """A valid period as (name, value) pairs: for the export link and the send form."""
    fields = [("start", form.cleaned_data["start"].isoformat()), ("end", form.cleaned_data["end"].isoformat())]
    if form.cleaned_data.get("region") is not None:
        fields.append(("region", str(form.cleaned_data["region"].uuid)))
    return fields


def coordinator_plan_export(request: HttpRequest) -> HttpResponse:
    """The planning problem of a period as an instance file (docs/matching/instance.schema.json)."""
    found = _period_problem(request)
    if isinstance(found, HttpResponse):
        return found
    form, problem = found
    body = json.dumps(matching_io.instance_to_dict(problem.instance), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"sleutelnet-instance-{form.cleaned_data['start']:%Y-%m-%d}-{form.cleaned_data['end']:%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def coordinator_plan_import(request: HttpRequest) -> HttpResponse:
    """Upload a plan file (plan.schema.json) and review its assignments like the engine's own proposal."""
    if request.method != "POST":
        return render(request, "deployments/plan_import.html", {"import_form": PlanImportForm()})
    form = PlanImportForm(request.POST, request.FILES)
    if form.is_valid():
        document = form.cleaned_data["plan"]
        request_ids, people_ids = planning.plan_ids(document)
        requests = {
            str(r.uuid): r
            for r in _coordinator_requests(request).filter(uuid__in=_uuids(request_ids)).prefetch_related(None)
        }
        people = {
            str(kp.uuid): kp
            for kp in key_persons_for(request.user)  # type: ignore[arg-type]
            .filter(region_id__in=region_ids(request.user, Role.COORDINATOR), uuid__in=_uuids(people_ids))  # type: ignore[arg-type]
            .prefetch_related(None)
        }
        problems = planning.unknown_ids(document, requests, people)
        regions = {r.region_id for r in requests.values()} | {kp.region_id for kp in people.values()}
        if not problems and len(regions) > 1:
            problems.append(_("A plan covers one region; this one names requests or key persons of several regions."))
        if not problems and not document["assignments"]:
            problems.append(_("The plan proposes no assignments."))
        if problems:
            for message in problems[:10]:
                form.add_error("plan", message)
            if len(problems) > 10:
                form.add_error("plan", _("… and %(n)d more problems.") % {"n": len(problems) - 10})
        else:
            region = _coordinator_regions(request).get(id=regions.pop())
            planned = [requests[a["request"]] for a in document["assignments"]]
            start = max(min(r.starts_at for r in planned), clock.now())
            end = max(max(r.starts_at for r in planned) + dt.timedelta(seconds=1), start)
            problem = region_instance(region, start, end)
            review = planning.review_imported(problem, document, requests)
            until = timezone.localtime(max(r.starts_at for r in planned)).date()
            return _plan_page(request, {"review": review, "imported": True, "region": region, "start": start, "until": until})
    return render(request, "deployments/plan_import.html", {"import_form": form}, status=400)


def _uuids(values: set[str]) -> list[UUID]:
    """The values that are UUIDs (the others cannot name a record)."""
    out = []
    for value in values:
        try:
            out.append(UUID(value))
        except (ValueError, TypeError, AttributeError):
            continue
    return out


def _when(req: Request) -> str:
    return date_format(timezone.localtime(req.starts_at), "SHORT_DATETIME_FORMAT")


@require_POST
def coordinator_plan_send(request: HttpRequest) -> HttpResponse:
    """Send the ticked proposals as offers: each request in its own transaction, reported per request."""
    pairs: list[tuple[str, str]] = []
    incomplete = 0
    for line in request.POST.getlist("send")[:MAX_PLAN_LINES]:
        req_id, kp_id = request.POST.get(f"request-{line}", ""), request.POST.get(f"key_person-{line}", "")
        if not _uuids({req_id}) or not _uuids({kp_id}):
            incomplete += 1
            continue
        pairs.append((str(UUID(req_id)), str(UUID(kp_id))))
    requests = {
        str(r.uuid): r
        for r in _coordinator_requests(request).filter(uuid__in=_uuids({p[0] for p in pairs})).prefetch_related(None)
    }
    people = {
        str(kp.uuid): kp
        for kp in key_persons_for(request.user)  # type: ignore[arg-type]
        .filter(region_id__in=region_ids(request.user, Role.COORDINATOR), uuid__in=_uuids({p[1] for p in pairs}))  # type: ignore[arg-type]
        .prefetch_related(None)
    }
    chosen: dict[str, list[KeyPerson]] = {}
    refused: dict[str, str] = {}
    for req_id, kp_id in pairs:
        if req_id not in requests:
            incomplete += 1
            continue
        kp = people.get(kp_id)
        if kp is None or kp.region_id != requests[req_id].region_id:
            refused[req_id] = _("A chosen key person is not known in this region.")
            continue
        people_of_request = chosen.setdefault(req_id, [])
        if kp not in people_of_request:
            people_of_request.append(kp)
    if incomplete:
        messages.error(
            request,
            ngettext(
                "%(n)d line named a request or key person that is unknown to you; it was skipped.",
                "%(n)d lines named a request or key person that is unknown to you; they were skipped.",
                incomplete,
            )
            % {"n": incomplete},
        )
    proposals = [(requests[r], people) for r, people in chosen.items() if r not in refused]
    proposals.sort(key=lambda p: (p[0].starts_at, p[0].id))
    for req_id, why in refused.items():
        req = requests[req_id]
        messages.error(
            request,
            _("%(request)s (%(when)s): nothing was offered. %(why)s") % {"request": req.title, "when": _when(req), "why": why},
        )
    if not proposals and not refused and not incomplete:
        messages.info(request, _("No proposal was ticked; nothing was sent."))
    for outcome in services.offer_plan(actor=request.user, proposals=proposals):  # type: ignore[arg-type]
        values = {"request": outcome.request.title, "when": _when(outcome.request)}
        if outcome.sent:
            names = ", ".join(a.key_person.full_name for a in outcome.assignments)
            messages.success(request, _("%(request)s (%(when)s): offered to %(names)s.") % {**values, "names": names})
        else:
            messages.error(request, _("%(request)s (%(when)s): nothing was offered. %(why)s") % {**values, "why": outcome.error})
    target = reverse("deployments:coordinator_plan")
    period = _period_form(request, request.POST)
    if "start" in request.POST and period.is_valid():
        target += "?" + urlencode(_period_fields(period))
    return redirect(target)


# --- coordinator: approving reports ---------------------------------------------------------


def _approval_page(request: HttpRequest) -> tuple[Page, list[Assignment]]:  # type: ignore[type-arg]
    """The page of waiting reports asked for, oldest filed first, and its assignments loaded whole.

    The page is chosen on the ids alone (the assignment and its report), then only its 25
    assignments are read with what a card shows: a region has hundreds of waiting reports, and
    joining each to its request, organisation, municipality, newcomer and key person before the
    sort cost 13-15 ms of the page (sleutelnet_load, region 1: 923 waiting)."""
    waiting = reports_awaiting_approval(request.user)  # type: ignore[arg-type]
    page = paginate(request, waiting.values_list("id", flat=True), per_page=25)
    ids = list(page.object_list)
    loaded = (
        waiting.select_related("request__newcomer")
        .prefetch_related("report__roles_used", "report__life_domains", "report__languages_used")
        .in_bulk(ids)
    )
    return page, [loaded[i] for i in ids if i in loaded]  # one gone since: left out, not an error


def _comment_form(assignment: Assignment, data: Any = None) -> CommentForm:
    return CommentForm(data, auto_id=card_auto_id(assignment.uuid))


def _comment_blank(items: list[Any]) -> str:
    """The comment fields every card of the page shares; none for a page without cards."""
    return card_blank(CommentForm, "comment") if items else ""


def _limit_warnings(assignments: list[Assignment]) -> list[list[LimitWarning]]:
    """For each filed report: the tax-free limits its approval would take the key person past."""
    known = [a for a in assignments if a.key_person_id is not None]
    checks = limit_checks([Extra(a.key_person, a.report.date, a.report.hours, a.request.region_id) for a in known])  # type: ignore[arg-type]
    by_id = {a.id: w for a, w in zip(known, checks, strict=True)}
    return [by_id.get(a.id, []) for a in assignments]


def approvals(request: HttpRequest) -> HttpResponse:
    """Filed reports waiting for the coordinator: approve, or send back with a comment; with a
    warning where approving would take the key person past an allowance limit."""
    page, assignments = _approval_page(request)
    # The comment fields of each card are rendered once (card_blank); a card gets a form of its own
    # only when it comes back with errors.
    items = [(a, None, w) for a, w in zip(assignments, _limit_warnings(assignments), strict=True)]
    return render(request, "deployments/approvals.html", {"page": page, "items": items, "comment_blank": _comment_blank(items)})


def _approval_assignment(request: HttpRequest, uuid: UUID) -> Assignment:
    return get_object_or_404(
        assignments_for(request.user)  # type: ignore[arg-type]
        .filter(request__region_id__in=region_ids(request.user, Role.COORDINATOR))  # type: ignore[arg-type]
        .select_related("report"),
        uuid=uuid,
    )


def _approval_card(request: HttpRequest, a: Assignment, **extra: Any) -> HttpResponse:
    context = {"a": a, "comment_form": extra.pop("comment_form", None) or _comment_form(a), **extra}
    if "done" not in extra and getattr(a, "report", None) is not None and a.key_person_id:
        context["limit_warnings"] = _limit_warnings([a])[0]
    return render(request, "deployments/_approval_card.html", context)


@require_POST
def approve(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Approve a filed report (in place with htmx)."""
    a = _approval_assignment(request, uuid)
    try:
        services.approve_report(actor=request.user, assignment=a)  # type: ignore[arg-type]
    except DomainError as exc:
        if request.htmx:  # type: ignore[attr-defined]
            return _approval_card(request, a, error=exc.message)
        messages.error(request, exc.message)
    else:
        if request.htmx:  # type: ignore[attr-defined]
            return _approval_card(request, a, done=_("Approved."))
        messages.success(request, _("The report of %(name)s was approved.") % {"name": a.key_person.full_name})
    return redirect("deployments:approvals")


@require_POST
def return_report(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Send a report back to the key person with a comment."""
    a = _approval_assignment(request, uuid)
    form = _comment_form(a, request.POST)
    if form.is_valid():
        try:
            services.return_report(actor=request.user, assignment=a, comment=form.cleaned_data["comment"])  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return _approval_card(request, a, done=_("Sent back to the key person."))
            messages.success(request, _("The report was sent back to %(name)s.") % {"name": a.key_person.full_name})
            return redirect("deployments:approvals")
    if request.htmx:  # type: ignore[attr-defined]
        return _approval_card(request, a, comment_form=form, open_return=True)
    page, assignments = _approval_page(request)
    items = [
        (item, form if item.id == a.id else None, w) for item, w in zip(assignments, _limit_warnings(assignments), strict=True)
    ]
    return render(request, "deployments/approvals.html", {"page": page, "items": items, "comment_blank": _comment_blank(items)})


# --- requester ------------------------------------------------------------------------------


def _own_requests(request: HttpRequest) -> QuerySet[Request]:
    """Requests of the organisations the user files for."""
    return requests_for(request.user).filter(organisation_id__in=organisation_ids(request.user))  # type: ignore[arg-type]


def _request_form(request: HttpRequest, data: Any = None, *, editing: bool = False, **kwargs: Any) -> RequestForm:
    """The request form; the organisation is chosen only when filing (and only when there are several)."""
    user = request.user
    return RequestForm(
        data,
        user=user,  # type: ignore[arg-type]
        organisations=None if editing else organisations_for(user).filter(id__in=organisation_ids(user)),  # type: ignore[arg-type]
        municipalities=municipalities_for(user).filter(region_id__in=region_ids(user, Role.REQUESTER)),  # type: ignore[arg-type]
        **kwargs,
    )


def request_list(request: HttpRequest) -> HttpResponse:
    """The requests of the user's organisation, newest date first, with a status filter."""
    filterset = RequestFilter(request.GET or None, queryset=_own_requests(request).order_by("-starts_at", "-id"), request=request)
    adapt_request_filter_form(filterset.form, municipalities=municipalities_for(request.user), keep=("status", "q"))  # type: ignore[arg-type]
    page = paginate(request, _with_counts(filterset.qs))
    return render(request, "deployments/request_list.html", {"filter": filterset, "page": page})


def request_new(request: HttpRequest) -> HttpResponse:
    """Ask for one or more key persons."""
    form = _request_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        organisation = form.chosen_organisation()
        try:
            if organisation is None:
                raise DomainError(_("You are not linked to an organisation. Ask your coordinator."))
            req = services.file_request(actor=request.user, organisation=organisation, data=form.to_data())  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc, field_map=REQUEST_FIELD_MAP)
        else:
            messages.success(request, _("Your request was sent to the coordinator."))
            if req.needs_certified_interpreter:
                messages.warning(request, INTERPRETER_WARNING)
            return redirect("deployments:request_detail", uuid=req.uuid)
    return render(request, "deployments/request_form.html", {"form": form, "req": None})


def _editable(req: Request) -> bool:
    return req.status == RequestStatus.OPEN and not getattr(req, "confirmed_count", 0)


def request_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Status of one request and who comes (names only)."""
    req = get_object_or_404(_with_counts(_own_requests(request)), uuid=uuid)
    return _render_request_detail(request, req)


def _render_request_detail(request: HttpRequest, req: Request, cancel_form: ReasonForm | None = None) -> HttpResponse:
    coming = (
        assignments_for(request.user)  # type: ignore[arg-type]
        .filter(request=req, status__in=CONFIRMED_ASSIGNMENT_STATES)
        .order_by("key_person__full_name")
    )
    context = {
        "req": req,
        "coming": [a.key_person.full_name for a in coming if a.key_person_id is not None],
        "cancel_form": cancel_form or ReasonForm(),
        "can_cancel": req.status in (RequestStatus.OPEN, RequestStatus.FILLED),
        "can_edit": _editable(req),
        "interpreter_warning": INTERPRETER_WARNING,
    }
    return render(request, "deployments/request_detail.html", context)


def request_edit(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Change a request while nobody has accepted it yet."""
    req = get_object_or_404(_with_counts(_own_requests(request)), uuid=uuid)
    if not _editable(req):
        messages.info(request, _("A request can only be changed while nobody has accepted it yet."))
        return redirect("deployments:request_detail", uuid=req.uuid)
    if request.method == "POST":
        form = _request_form(request, request.POST, editing=True)
        if form.is_valid():
            try:
                services.update_request(actor=request.user, request=req, data=form.to_data())  # type: ignore[arg-type]
            except DomainError as exc:
                attach_domain_error(form, exc, field_map=REQUEST_FIELD_MAP)
            else:
                messages.success(request, _("Your changes were saved."))
                return redirect("deployments:request_detail", uuid=req.uuid)
    else:
        form = _request_form(request, initial=RequestForm.initial_from(req), editing=True)
    return render(request, "deployments/request_form.html", {"form": form, "req": req})


@require_POST
def request_cancel(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Withdraw a request, with a reason."""
    req = get_object_or_404(_with_counts(_own_requests(request)), uuid=uuid)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_request(actor=request.user, request=req, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("Your request was withdrawn."))
            return redirect("deployments:request_detail", uuid=req.uuid)
    return _render_request_detail(request, req, cancel_form=form)


# --- key person -----------------------------------------------------------------------------


def _own_assignments(request: HttpRequest) -> QuerySet[Assignment]:
    kp = own_key_person(request)
    return (
        assignments_for(request.user)  # type: ignore[arg-type]
        .filter(key_person_id=kp.id)
        .select_related("request__newcomer", "request__requested_by")
        .prefetch_related("request__newcomer__consents")
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the portal page the answer came from (start page or offers)."""
    target = request.POST.get("next", "")
    return redirect(target if target in (reverse("deployments:portal"), reverse("deployments:offers")) else "deployments:offers")


def _decline_form(a: Assignment, data: Any = None) -> DeclineForm:
    return DeclineForm(data, prefix=f"decline-{a.uuid}")


def _decline_blank() -> str:
    """The fields of an empty "No, I cannot" form, rendered once for all the offer cards of a page
    (a key person may have a dozen offers; the form is the same but for its prefix, which the
    `for_offer` filter fills in per card)."""
    return render_to_string("deployments/_decline_fields.html", {"decline_form": DeclineForm(prefix=f"decline-{OFFER_PLACEHOLDER}")})


def _offer_card(request: HttpRequest, a: Assignment, **extra: Any) -> HttpResponse:
    context = {"a": a, "decline_form": extra.pop("decline_form", None) or _decline_form(a), **extra}
    return render(request, "deployments/_offer_card.html", context)


def _open_offers(request: HttpRequest) -> QuerySet[Assignment]:
    return (
        _own_assignments(request)
        .filter(status=AssignmentStatus.OFFERED, request__starts_at__gt=timezone.now())
        .select_related("request__organisation", "request__requested_by", "request__language", "request__municipality")
        .prefetch_related("request__roles")
        .order_by("request__starts_at", "id")
    )


#: The start page shows the soonest offers in full (yes or no in one tap), the offers page all of
#: them: a key person with a dozen open offers gets a short start page on a cheap phone, and the
#: page no longer grows with the offers (each card is the costliest part of the page to render).
PORTAL_OFFERS = 3


def portal(request: HttpRequest) -> HttpResponse:
    """The key person's start page: the soonest new offers on top, then today and the coming week."""
    kp = own_key_person(request)
    now = timezone.localtime()
    today = now.date()
    week_end = today + dt.timedelta(days=7)
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    # Plain bounds on the start (an index on the region's requests by start), not a date cast.
    confirmed = (
        _own_assignments(request)
        .filter(
            status__in=CONFIRMED_ASSIGNMENT_STATES,
            request__region_id=kp.region_id,
            request__starts_at__gte=day_start,
            request__starts_at__lt=timezone.make_aware(dt.datetime.combine(week_end, dt.time())),
        )
        .select_related("request__organisation", "request__language", "request__municipality")
        .order_by("request__starts_at", "id")
    )
    rows = list(confirmed)
    to_report = (
        _own_assignments(request)
        .filter(status=AssignmentStatus.ACCEPTED, request__starts_at__lte=timezone.now())
        .count()
    )
    open_offers = _open_offers(request)
    offer_count = open_offers.count()
    offers = [(a, _decline_form(a)) for a in open_offers[:PORTAL_OFFERS]] if offer_count else []
    context = {
        "offers": offers,
        "offer_count": offer_count,
        "more_offers": offer_count > len(offers),
        "decline_blank": _decline_blank() if offers else "",
        "today": [a for a in rows if timezone.localtime(a.request.starts_at).date() == today],
        "week": [a for a in rows if timezone.localtime(a.request.starts_at).date() != today],
        "to_report": to_report,
        "summary": hours_summary(kp.id, kp.region_id, today),
        "kp": kp,
    }
    return render(request, "deployments/portal.html", context)


def hours(request: HttpRequest) -> HttpResponse:
    """Own hours and allowance this month and this year, next to the tax-free limits."""
    kp = own_key_person(request)
    today = timezone.localdate()
    summary = hours_summary(kp.id, kp.region_id, today)
    periods = [(_("This month"), summary.month), (_("This year"), summary.year)]
    return render(request, "deployments/hours.html", {"summary": summary, "periods": periods, "today": today, "kp": kp})


def offers(request: HttpRequest) -> HttpResponse:
    """Open offers: yes or no, in place."""
    items = [(a, _decline_form(a)) for a in _open_offers(request)]
    return render(request, "deployments/offers.html", {"items": items, "decline_blank": _decline_blank() if items else ""})


@require_POST
def offer_accept(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Say yes to an offer."""
    a = get_object_or_404(_own_assignments(request), uuid=uuid)
    try:
        services.accept(actor=request.user, assignment=a)  # type: ignore[arg-type]
    except DomainError as exc:
        if request.htmx:  # type: ignore[attr-defined]
            return _offer_card(request, a, error=exc.message)
        messages.error(request, exc.message)
        return _back(request)
    if request.htmx:  # type: ignore[attr-defined]
        return _offer_card(request, a, state="accepted")
    messages.success(request, _("Thank you! The assignment is in your agenda."))
    return _back(request)


@require_POST
def offer_decline(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Say no to an offer, with a short reason for the coordinator."""
    a = get_object_or_404(_own_assignments(request), uuid=uuid)
    form = _decline_form(a, request.POST)
    if form.is_valid():
        try:
            services.decline(  # type: ignore[misc]
                actor=request.user, assignment=a, reason=form.cleaned_data["reason"], code=form.cleaned_data["code"]  # type: ignore[arg-type]
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return _offer_card(request, a, state="declined")
            messages.success(request, _("You said no. The coordinator has been told."))
            return _back(request)
    if request.htmx:  # type: ignore[attr-defined]
        return _offer_card(request, a, decline_form=form, open_decline=True)
    rows = [(item, form if item.id == a.id else _decline_form(item)) for item in _open_offers(request)]
    return render(request, "deployments/offers.html", {"items": rows}, status=400)


@require_POST
def assignment_withdraw(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The key person can no longer come to an accepted assignment; the coordinator looks for someone else."""
    a = get_object_or_404(_own_assignments(request), uuid=uuid)
    form = _reason_form(a, request.POST)
    if form.is_valid():
        try:
            services.cancel_assignment(actor=request.user, assignment=a, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except DomainError as exc:
            if exc.field is None:  # e.g. already started: the card may not be on the page any more
                messages.error(request, str(exc.message))
            else:
                attach_domain_error(form, exc)
        else:
            messages.success(request, _("You said you cannot come. The coordinator has been told."))
            return redirect("deployments:agenda")
    return _render_agenda(request, withdraw=(a.id, form))


#: The hint under the reason of "I cannot come after all" on the agenda.
WITHDRAW_HINT = gettext_lazy("Why can't you come? The coordinator looks for someone else.")


def agenda(request: HttpRequest) -> HttpResponse:
    """Accepted assignments: what is coming, and what still needs a report."""
    return _render_agenda(request)


def _render_agenda(request: HttpRequest, withdraw: tuple[int, ReasonForm] | None = None) -> HttpResponse:
    now = timezone.now()
    kp = own_key_person(request)
    items = _own_assignments(request)
    # A report (and so an approval) comes after the start: what is still coming is accepted or,
    # on a clock that was set back, reported. These states are the few current assignments of a
    # key person (a partial index), not the thousands of a long-serving one.
    upcoming = items.filter(
        status__in=(AssignmentStatus.ACCEPTED, AssignmentStatus.REPORTED), request__starts_at__gt=now
    ).order_by("request__starts_at", "id")
    to_report = list(
        items.filter(status=AssignmentStatus.ACCEPTED, request__starts_at__lte=now).order_by("-request__starts_at", "-id")[:50]
    )
    # Done: the 50 latest reports (by the day of the activity), from the key person's reports.
    latest = list(
        ActivityReport.objects.filter(key_person_id=kp.id).order_by("-date", "-id").values_list("assignment_id", flat=True)[:50]
    )  # the ids first: a join would read every assignment the key person ever had
    done = list(
        items.filter(status__in=(AssignmentStatus.REPORTED, AssignmentStatus.APPROVED), id__in=latest).order_by(
            "-report__date", "-request__starts_at", "-id"
        )
    )
    # The reason fields of each card are rendered once (card_blank); a card gets a form of its own
    # only when it comes back with errors.
    upcoming_rows = [(a, withdraw[1] if withdraw and withdraw[0] == a.id else None) for a in upcoming]
    status = 400 if withdraw else 200
    return render(
        request,
        "deployments/agenda.html",
        {
            "upcoming": upcoming_rows, "to_report": to_report, "done": done,
            "calendar_feed": active_feed_for(request.user),  # type: ignore[arg-type]
            "withdraw_hint": WITHDRAW_HINT,
            "withdraw_blank": card_blank(ReasonForm, "reason", WITHDRAW_HINT) if upcoming_rows else "",
        },  # fmt: skip
        status=status,
    )


def assignment_calendar(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """One own assignment as an .ics file for the phone's calendar."""
    a = get_object_or_404(
        _own_assignments(request).filter(status__in=CONFIRMED_ASSIGNMENT_STATES).select_related("request__organisation"),
        uuid=uuid,
    )
    return assignment_ics(a)


def report(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The short activity report after an assignment."""
    a = get_object_or_404(_own_assignments(request).select_related("report"), uuid=uuid)
    if a.status != AssignmentStatus.ACCEPTED:
        messages.info(request, _("There is no report to file for this assignment (any more)."))
        return redirect("deployments:agenda")
    if a.request.starts_at > timezone.now():
        messages.info(request, _("You can file the report once the assignment has started."))
        return redirect("deployments:agenda")
    languages = report_languages(a.request, list(a.key_person.languages.values_list("language_id", flat=True)))
    if request.method == "POST":
        form = ReportForm(request.POST, languages=languages)
        if form.is_valid():
            try:
                services.submit_report(actor=request.user, assignment=a, data=form.to_data())  # type: ignore[arg-type]
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Thank you! Your report was sent to the coordinator."))
                return redirect("deployments:agenda")
    else:
        form = ReportForm(languages=languages, initial=_report_initial(a))
    return render(request, "deployments/report_form.html", {"form": form, "a": a})


def _report_initial(a: Assignment) -> dict[str, Any]:
    """The planned date and the request's roles; a report that was sent back comes back filled in."""
    existing = getattr(a, "report", None)
    if existing is not None:
        return {
            "date": existing.date,
            "hours": existing.hours,
            "roles_used": list(existing.roles_used.all()),
            "life_domains": list(existing.life_domains.all()),
            "languages_used": list(existing.languages_used.all()),
            "participants": existing.participants,
            "participants_little_dutch": existing.participants_little_dutch,
            "participants_first_contact": existing.participants_first_contact,
            "outcome": existing.outcome,
            "follow_up": existing.follow_up,
        }
    return {
        "date": local_day(a.request.starts_at),
        "hours": a.request.hours,
        "roles_used": list(a.request.roles.all()),
        "life_domains": list(a.request.life_domains.all()),
        "languages_used": [a.request.language],
        "participants_little_dutch": 0,
        "participants_first_contact": 0,
    }
