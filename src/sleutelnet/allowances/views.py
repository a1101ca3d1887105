"""Pages of allowances: the coordinator's month of statements, one key person's allowances,
expense claims to decide, the payment export; the key person's own claims on the portal.

Reads go through `selectors`, every change through `services`; a DomainError from a service
is shown on the field it names and the input is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import Case, Count, Q, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sleutelnet.allowances import exports, selectors, services
from sleutelnet.allowances.forms import (
    ClaimForm,
    DeclareForm,
    DeclineClaimForm,
    PaymentDetailsForm,
    StatementMonthForm,
    parse_month,
)
from sleutelnet.allowances.iban import format_iban
from sleutelnet.allowances.models import ClaimStatus, DeclaredAllowance
from sleutelnet.core import clock
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Region, Role
from sleutelnet.core.selectors import region_ids
from sleutelnet.people.models import KeyPerson
from sleutelnet.web.decorators import own_key_person
from sleutelnet.web.forms import attach_domain_error
from sleutelnet.web.pagination import paginate


def _bad(form: Any, exc: DomainError) -> None:
    if exc.field in getattr(form, "fields", {}):
        attach_domain_error(form, exc)
    else:
        form.add_error(None, str(exc.message))


def _month(request: HttpRequest) -> dt.date:
    """The month asked for with ?month=yyyy-mm; by default the previous one (the one to pay)."""
    asked = parse_month(request.GET.get("month"))
    if asked is not None:
        return asked
    this = clock.today().replace(day=1)
    return (this - dt.timedelta(days=1)).replace(day=1)


def _regions(request: HttpRequest) -> list[Region]:
    return list(Region.objects.filter(id__in=region_ids(request.user, Role.COORDINATOR)).order_by("name"))  # type: ignore[arg-type]


def _region(request: HttpRequest, regions: list[Region]) -> Region:
    """The region asked for with ?region=<uuid> among the user's, or the first."""
    if not regions:
        raise Http404
    asked = request.GET.get("region", "")
    return next((r for r in regions if str(r.uuid) == asked), regions[0])


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# --- coordinator: the month ------------------------------------------------------------------


def statements(request: HttpRequest) -> HttpResponse:
    """All key persons with something to pay in a month: approved statements and drafts, with
    totals and the limit warnings; volunteers and paid key persons apart."""
    regions = _regions(request)
    region = _region(request, regions)
    month = _month(request)
    people = list(selectors.key_persons_with_a_month(request.user, region.id, month))  # type: ignore[arg-type]
    rows = selectors.statements_for_month(people, month)
    volunteers = [r for r in rows if not r.is_paid_key_person]
    paid = [r for r in rows if r.is_paid_key_person]
    approved = [r for r in rows if r.approved]
    pending_claims = selectors.claims_for(request.user).filter(  # type: ignore[arg-type]
        key_person__region_id=region.id, status=ClaimStatus.PENDING
    ).count()
    context = {
        "region": region,
        "regions": regions,
        "month": month,
        "previous": _shift(month, -1),
        "next": _shift(month, 1) if _shift(month, 1) <= clock.today().replace(day=1) else None,
        "volunteers": volunteers,
        "paid": paid,
        "totals": {
            "total": sum((r.total for r in rows), selectors.ZERO),
            "approved": sum((r.total for r in approved), selectors.ZERO),
            "flags": sum(1 for r in rows if r.flags),
        },
        "approved_count": len(approved),
        "draft_count": len(rows) - len(approved),
        "pending_claims": pending_claims,
        "query": f"month={month:%Y-%m}&region={region.uuid}",
    }
    return render(request, "allowances/statements.html", context)


# --- coordinator: one key person ---------------------------------------------------------------


def _coordinated(request: HttpRequest, uuid: UUID) -> KeyPerson:
    return get_object_or_404(selectors.coordinated_key_persons(request.user).select_related("region"), uuid=uuid)  # type: ignore[arg-type]


def _render_key_person(
    request: HttpRequest,
    kp: KeyPerson,
    month: dt.date,
    *,
    declare_form: DeclareForm | None = None,
    payment_form: PaymentDetailsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    statement, year = selectors.month_and_year(kp, month)
    details = getattr(kp, "payment_details", None)
    context = {
        "kp": kp,
        "month": month,
        "previous": _shift(month, -1),
        "next": _shift(month, 1) if _shift(month, 1) <= clock.today().replace(day=1) else None,
        "statement": statement,
        "approved_lines": list(statement.approved.lines.all()) if statement.approved else [],
        "approved_claims": list(statement.approved.claims.all()) if statement.approved else [],
        "year": year,
        "declared": list(selectors.declared_for(request.user, kp)[:24]),  # type: ignore[arg-type]
        "claims": list(selectors.claims_for(request.user).filter(key_person=kp).order_by("-date", "-id")[:10]),  # type: ignore[arg-type]
        "declare_form": declare_form or DeclareForm(initial={"month": month}, auto_id="id_declare_%s"),
        "payment_form": payment_form
        or PaymentDetailsForm(
            initial={"iban": format_iban(details.iban), "account_holder": details.account_holder} if details else {"account_holder": kp.full_name},
            auto_id="id_payment_%s",
        ),
        "iban": format_iban(details.iban) if details else "",
        "can_approve": statement.approved is None and not statement.is_empty and month <= clock.today().replace(day=1),
    }
    return render(request, "allowances/key_person.html", context, status=status)


def key_person(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """One key person's month and year: what is paid, the limits, allowances from elsewhere,
    the account number, and the button to approve the month."""
    kp = _coordinated(request, uuid)
    return _render_key_person(request, kp, _month(request))


def _back_to(kp: KeyPerson, month: dt.date) -> HttpResponse:
    return redirect(reverse("allowances:key_person", kwargs={"uuid": kp.uuid}) + f"?month={month:%Y-%m}")


@require_POST
def statement_approve(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Approve a key person's month: its amounts are frozen from now on."""
    kp = _coordinated(request, uuid)
    form = StatementMonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the month to approve."))
        return _back_to(kp, _month(request))
    month = form.cleaned_data["month"]
    try:
        statement = services.approve_statement(actor=request.user, key_person=kp, month=month)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("The statement of %(name)s was approved: € %(total)s.") % {"name": kp.full_name, "total": statement.total}
        )
    return _back_to(kp, month)


@require_POST
def declare(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Record an allowance the key person gets from another organisation."""
    kp = _coordinated(request, uuid)
    form = DeclareForm(request.POST, auto_id="id_declare_%s")
    if form.is_valid():
        try:
            services.declare_allowance(actor=request.user, key_person=kp, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            _bad(form, exc)
        else:
            messages.success(request, _("The allowance from %(organisation)s was recorded.") % {"organisation": form.cleaned_data["organisation"]})
            return _back_to(kp, form.cleaned_data["month"])
    month = form.cleaned_data.get("month") or _month(request)
    return _render_key_person(request, kp, month, declare_form=form, status=400)


@require_POST
def declared_withdraw(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Withdraw an allowance from elsewhere that was entered by mistake."""
    kp = _coordinated(request, uuid)
    declared = DeclaredAllowance.objects.none()
    try:
        declared = selectors.declared_for(request.user, kp).filter(uuid=UUID(request.POST.get("declared", "")))  # type: ignore[arg-type]
    except ValueError:
        pass
    item = declared.first()
    if item is None:
        messages.error(request, _("Choose the allowance to withdraw."))
        return _back_to(kp, _month(request))
    try:
        services.withdraw_declared_allowance(actor=request.user, declared=item)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The allowance from %(organisation)s no longer counts.") % {"organisation": item.organisation})
    return _back_to(kp, item.month)


@require_POST
def payment_details(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Set the account the key person is paid to."""
    kp = _coordinated(request, uuid)
    form = PaymentDetailsForm(request.POST, auto_id="id_payment_%s")
    if form.is_valid():
        try:
            services.set_payment_details(actor=request.user, key_person=kp, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            _bad(form, exc)
        else:
            messages.success(request, _("The account number was saved."))
            return _back_to(kp, _month(request))
    return _render_key_person(request, kp, _month(request), payment_form=form, status=400)


# --- coordinator: claims -----------------------------------------------------------------------


def _coordinator_claims(request: HttpRequest) -> Any:
    return selectors.claims_for(request.user).filter(  # type: ignore[arg-type]
        key_person__region_id__in=region_ids(request.user, Role.COORDINATOR)  # type: ignore[arg-type]
    )


def claims(request: HttpRequest) -> HttpResponse:
    """Expense claims of the region: the ones waiting first."""
    status = request.GET.get("status", "")
    items = _coordinator_claims(request)
    if status in ClaimStatus.values:
        items = items.filter(status=status)
    waiting_first = Case(When(status=ClaimStatus.PENDING, then=0), default=1)
    items = items.order_by(waiting_first, "-date", "-id")
    counts = dict(_coordinator_claims(request).order_by().values_list("status").annotate(n=Count("id")))
    return render(
        request,
        "allowances/claims.html",
        {"page": paginate(request, items), "status": status, "statuses": ClaimStatus.choices, "counts": counts},
    )


def claim(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """One claim: the facts and the receipt; approve it, or decline it with a reason."""
    item = get_object_or_404(_coordinator_claims(request), uuid=uuid)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = DeclineClaimForm(request.POST if action == "decline" else None, auto_id="id_decline_%s")
    error = ""
    if request.method == "POST":
        try:
            if action == "approve":
                services.approve_claim(actor=request.user, claim=item)  # type: ignore[arg-type]
                messages.success(request, _("The claim was approved. It goes on the next statement."))
                return redirect("allowances:claims")
            if action == "decline" and form.is_valid():
                services.decline_claim(actor=request.user, claim=item, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
                messages.success(request, _("The claim was declined. The key person reads your reason."))
                return redirect("allowances:claims")
            if action not in ("approve", "decline"):
                error = _("Choose: approve or decline.")
        except DomainError as exc:
            if form.is_bound and exc.field in form.fields:
                attach_domain_error(form, exc)
            else:
                error = str(exc.message)
        item = get_object_or_404(_coordinator_claims(request), uuid=uuid)
    failed = bool(error or form.errors)
    return render(request, "allowances/claim.html", {"claim": item, "form": form, "error": error}, status=400 if failed else 200)


def claim_receipt(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The receipt of a claim, only for its key person and the region's coordinators."""
    receipt = selectors.receipt_for(request.user, uuid)  # type: ignore[arg-type]
    if receipt is None:
        raise Http404
    response = HttpResponse(bytes(receipt.data), content_type=receipt.content_type)
    extension = "jpg" if receipt.kind == "jpeg" else receipt.kind
    disposition = "attachment" if receipt.kind == "pdf" else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="receipt-{uuid}.{extension}"'
    # The site's directives, plus a sandbox: the file runs in an origin of its own, so 'self'
    # matches nothing and no script of a receipt can run.
    response["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- coordinator: the payment export -------------------------------------------------------------


def _export_scope(request: HttpRequest) -> tuple[Region, dt.date, list[Any]]:
    region = _region(request, _regions(request))
    month = _month(request)
    return region, month, list(selectors.approved_statements(request.user, region.id, month))  # type: ignore[arg-type]


def payment_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The approved statements of a month for the finance department, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    region, month, items = _export_scope(request)
    return exports.statements_table(fmt, region, month, items)


def sepa_export(request: HttpRequest) -> HttpResponse:
    """The approved statements of a month as one SEPA credit transfer (pain.001) for the bank.

    Refused as a whole, with the reason, when the region's account or a key person's IBAN is
    missing or wrong: a file that leaves someone out is worse than no file."""
    region, month, items = _export_scope(request)
    try:
        body = exports.sepa_transfer(region, month, items, execution_date=clock.today() + dt.timedelta(days=1))
    except exports.ExportRefused as exc:
        messages.error(request, str(exc))
        return redirect(reverse("allowances:statements") + f"?month={month:%Y-%m}&region={region.uuid}")
    response = HttpResponse(body, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="sepa-{month:%Y-%m}.xml"'
    response["Cache-Control"] = "no-store"
    return response


# --- key person: own claims ----------------------------------------------------------------------


def _own_claims(request: HttpRequest) -> Any:
    kp = own_key_person(request)
    return selectors.claims_for(request.user).filter(key_person_id=kp.id)  # type: ignore[arg-type]


def my_claims(request: HttpRequest) -> HttpResponse:
    """My expense claims and what happened to them."""
    items = _own_claims(request).order_by("-date", "-id")
    totals = _own_claims(request).order_by().aggregate(
        pending=Count("id", filter=Q(status=ClaimStatus.PENDING)),
    )
    return render(request, "allowances/my_claims.html", {"page": paginate(request, items, per_page=20), "totals": totals})


def my_claim_new(request: HttpRequest) -> HttpResponse:
    """Claim costs, in under a minute on a phone: kind, date, amount or kilometres, a photo."""
    kp = own_key_person(request)
    posted = request.method == "POST"
    form = ClaimForm(request.POST if posted else None, request.FILES if posted else None, initial={"date": clock.today()})
    if posted and form.is_valid():
        try:
            services.file_claim(actor=request.user, data=form.to_data())  # type: ignore[arg-type]
        except DomainError as exc:
            _bad(form, exc)
        else:
            messages.success(request, _("Thank you! Your claim went to the coordinator."))
            return redirect("allowances:my_claims")
    rate = selectors.Rates([kp.region_id]).on(kp.region_id, clock.today())
    return render(
        request, "allowances/my_claim_form.html", {"form": form, "per_km": rate.per_km if rate else None},
        status=400 if form.errors else 200,
    )
