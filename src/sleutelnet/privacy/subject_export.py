"""Everything Sleutelnet holds about one newcomer or one key person (AVG art. 15 and 20).

`COVERAGE` says, for every model that is linked to a newcomer or a key person, whether its rows
are in the export or why not; `tests/privacy/test_subject_rights.py` walks the app registry and
fails for a linked model that is not listed, so a new model cannot be forgotten.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sleutelnet.core import processing
from sleutelnet.core.models import ProcessingLogEntry
from sleutelnet.deployments.models import ActivityReport, Assignment, Request
from sleutelnet.notifications.models import CalendarFeed
from sleutelnet.people.models import Consent, KeyPerson, Newcomer

EXPORTED = "exported"

#: For each subject model: every model linked to it, "exported" or the reason it is not.
COVERAGE: dict[str, dict[str, str]] = {
    "people.Newcomer": {
        "people.Newcomer": EXPORTED,
        "people.Consent": EXPORTED,
        "deployments.Request": EXPORTED,
        "deployments.Assignment": EXPORTED,
        "deployments.ActivityReport": EXPORTED,
        "reporting.NewcomerMonth": "a mark for the unique count in the figures, derived from the reports in the export "
        "(deleted with the newcomer)",
        "allowances.StatementLine": "what the key person was paid for a report: the key person's money, not the newcomer's "
        "data (the report itself is in the export)",
    },
    "people.KeyPerson": {
        "people.KeyPerson": EXPORTED,
        "people.KeyPersonLanguage": EXPORTED,
        "people.WeeklyAvailability": EXPORTED,
        "people.AvailabilityException": EXPORTED,
        "deployments.Assignment": EXPORTED,
        "deployments.ActivityReport": EXPORTED,
        "notifications.CalendarFeed": EXPORTED,
        "reporting.KeyPersonMonth": "monthly sums for the figures, derived from the reports in the export "
        "(deleted with the key person)",
        "reporting.KeyPersonPeriod": "sums per month, quarter and year for the figures, derived from the reports in "
        "the export (deleted with the key person)",
        "voice.ConsultationAnswer": EXPORTED,
        "voice.Consultation": EXPORTED,
        "voice.AdvicePoint": "the asker's summary of all advice on a consultation, not the key person's own data "
        "(the export names the consultations the key person answered)",
        "people.Newcomer": "the newcomers who must never be offered this key person: their data, not the key person's "
        "(the export says how many there are)",
        "allowances.PaymentDetails": EXPORTED,
        "allowances.DeclaredAllowance": EXPORTED,
        "allowances.ExpenseClaim": EXPORTED,
        "allowances.ClaimReceipt": "the receipt files the key person uploaded: the export lists each claim and whether it has "
        "a receipt; the key person downloads the files themselves on the portal (My expenses)",
        "care.OnboardingStep": EXPORTED,
        "care.Agreement": EXPORTED,
        "care.Attendance": EXPORTED,
        "care.Certificate": EXPORTED,
        "care.CheckIn": EXPORTED,
        "care.VogReminder": EXPORTED,
        "care.ExperienceStatement": EXPORTED,
        "allowances.MonthlyStatement": EXPORTED,
        "allowances.StatementLine": EXPORTED,
    },
}


def linked_models(subject: type[models.Model]) -> set[str]:
    """Labels of the models whose rows point, directly or through exported models, at `subject`."""
    label = subject._meta.label
    covered = COVERAGE.get(label, {})
    found = {label}
    frontier = {label}
    while frontier:
        reached: set[str] = set()
        for model in apps.get_models():
            if model._meta.label in found:
                continue
            for f in model._meta.get_fields():
                related = getattr(f, "related_model", None)
                if f.is_relation and not f.auto_created and related is not None and related._meta.label in frontier:
                    reached.add(model._meta.label)
        found |= reached
        # Expand only through exported models: an excluded model's own links are not the subject's.
        frontier = {m for m in reached if covered.get(m) == EXPORTED}
    return found


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "uuid"):
        return str(value.uuid)
    return value if value is None or isinstance(value, (str, int, float, bool, list, dict)) else str(value)


def _fields(obj: models.Model, names: list[str]) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(obj, name)
        display = getattr(obj, f"get_{name}_display", None)
        out[name] = str(display()) if callable(display) and value else _value(value)
    return out


def _log_lines(kind: str, pk: int) -> list[dict[str, Any]]:
    lines = ProcessingLogEntry.objects.filter(subject=processing.pseudonym(kind, pk)).order_by("started_at", "id")
    out = []
    for line in lines:
        activity = processing.ACTIVITIES.get(line.processing_activity)
        out.append(
            {
                "when": _value(line.started_at),
                "operation": line.operation,
                "processing_activity": str(activity.name) if activity else line.processing_activity,
                "legal_basis": str(activity.legal_basis) if activity else "",
                "outcome": line.status,
                "channel": line.channel,
            }
        )
    return out


def _request(req: Request) -> dict[str, Any]:
    return _fields(req, ["uuid", "title", "kind", "description", "place", "starts_at", "ends_at", "status", "cancel_reason"]) | {
        "organisation": req.organisation.name,
        "municipality": req.municipality.name,
        "language": str(req.language),
        "created_at": _value(req.created_at),
    }


#: The report's roles and life domains, fetched for all assignments at once (not two queries a report).
REPORT_VOCABULARIES = ("report__roles_used", "report__life_domains")


def _report(report: ActivityReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return _fields(
        report,
        ["date", "hours", "participants", "participants_little_dutch", "participants_first_contact", "outcome", "follow_up", "submitted_at", "reviewed_at"],
    ) | {"roles_used": [str(r) for r in report.roles_used.all()], "life_domains": [str(d) for d in report.life_domains.all()]}


def newcomer_export(nc: Newcomer) -> dict[str, Any]:
    """Everything held about a newcomer, as plain data (for JSON and for the readable page)."""
    requests = Request.objects.filter(newcomer=nc).select_related("organisation", "municipality", "language").order_by("starts_at", "id")
    assignments = (
        Assignment.objects.filter(request__newcomer=nc)
        .select_related("key_person", "request", "report")
        .prefetch_related(*REPORT_VOCABULARIES)
        .order_by("request__starts_at", "id")
    )
    return {
        "kind": "newcomer",
        "exported_at": _value(timezone.now()),
        "record": _fields(nc, ["uuid", "reference", "display_name", "dutch_level", "learning_route", "phone", "email", "created_at", "updated_at"])
        | {
            "municipality": nc.municipality.name,
            "languages": [str(lang) for lang in nc.languages.all()],
            "key_persons_never_to_offer": nc.excluded_key_persons.count(),
        },
        "consents": [
            _fields(c, ["uuid", "purpose", "given_on", "method", "scope", "text_version", "recorded_at", "withdrawn_on", "withdrawal_note"])
            | {"request": str(c.request.uuid) if c.request_id else None}
            for c in Consent.objects.filter(newcomer=nc).select_related("request").order_by("given_on", "id")
        ],
        "requests": [_request(r) for r in requests],
        "assignments": [
            {
                "request": str(a.request.uuid),
                "key_person": a.key_person.full_name if a.key_person_id else None,
                "status": str(a.get_status_display()),
                "report": _report(getattr(a, "report", None)),
            }
            for a in assignments
        ],
        "processing_log": _log_lines("newcomer", nc.pk),
    }


#: The readable page shows a key person's data in two parts, so neither page grows past the
#: query ceiling; the JSON download holds both.
KEY_PERSON_PARTS = ("work", "care")


def key_person_export(kp: KeyPerson, part: str | None = None) -> dict[str, Any]:
    """Everything held about a key person, as plain data; `part` "work" or "care" for half of it."""
    if part == "care":
        return {"kind": "key_person", "exported_at": _value(timezone.now()), "allowances": _allowances(kp), "care": _care(kp)}
    assignments = (
        Assignment.objects.filter(key_person=kp)
        .select_related("request__organisation", "request__municipality", "request__language", "report")
        .prefetch_related(*REPORT_VOCABULARIES)
        .order_by("request__starts_at", "id")
    )
    feed = CalendarFeed.objects.filter(key_person=kp).first()
    user = kp.user
    return {
        "kind": "key_person",
        "exported_at": _value(timezone.now()),
        "record": _fields(
            kp, ["uuid", "full_name", "email", "phone", "ui_language", "status", "capacity_hours_per_month", "vog_valid_until", "gender", "created_at", "updated_at"]
        )
        | {
            "communication_language": str(kp.communication_language) if kp.communication_language else None,
            "roles": [str(r) for r in kp.roles.all()],
            "life_domains": [str(d) for d in kp.life_domains.all()],
            "municipalities": [m.name for m in kp.municipalities.all()],
            "languages": [{"language": str(kl.language), "level": kl.level} for kl in kp.languages.select_related("language")],
            "weekly_availability": [
                {"weekday": s.get_weekday_display(), "from": _value(s.start_time), "until": _value(s.end_time)} for s in kp.availability.all()
            ],
            "unavailable": [_fields(e, ["starts_on", "ends_on", "reason"]) for e in kp.unavailable.all()],
            "newcomers_who_must_never_get_this_key_person": kp.excluded_for_newcomers.count(),
        },
        "account": None
        if user is None
        else {"username": user.username, "name": user.get_full_name(), "email": user.email, "last_login": _value(user.last_login), "date_joined": _value(user.date_joined)},
        "calendar_feed": None if feed is None else {"created_at": _value(feed.created_at), "stopped_at": _value(feed.revoked_at)},
        "advice": [
            {"consultation": a.consultation.title, "paragraph": a.paragraph, "text": a.text, "hours": _value(a.hours), "sent_at": _value(a.submitted_at)}
            for a in kp.consultation_answers.select_related("consultation")
        ],
        "consultations_asked_by_name": [c.title for c in kp.consultations.all()],
        "meetings_attended": [c.title for c in kp.meetings_attended.all()],
        "signals_raised": [
            _fields(s, ["uuid", "theme", "description", "community", "status", "created_at"])
            for s in ([] if user is None else user.signals_raised.all())
        ],
        "assignments": [
            {
                "request": _request(a.request),
                "status": str(a.get_status_display()),
                "offered_at": _value(a.offered_at),
                "responded_at": _value(a.responded_at),
                "match_reasons": list(a.match_reasons),
                "decline_reason": a.decline_reason,
                "cancel_reason": a.cancel_reason,
                "review_comment": a.review_comment,
                "report": _report(getattr(a, "report", None)),
            }
            for a in assignments
        ],
        "processing_log": _log_lines("key_person", kp.pk),
    } | ({} if part == "work" else {"allowances": _allowances(kp), "care": _care(kp)})


def _care(kp: KeyPerson) -> dict[str, Any]:
    """Onboarding, agreements, trainings, check-ins and experience statements."""
    from sleutelnet.care.models import (
        Agreement,
        Attendance,
        Certificate,
        CheckIn,
        ExperienceStatement,
        OnboardingStep,
        VogReminder,
    )

    return {
        "date_of_birth": _value(kp.born_on),
        "vog_issued_on": _value(kp.vog_issued_on),
        "onboarding": [
            _fields(s, ["step", "done_on", "note"]) | {"by": str(s.done_by)}
            for s in OnboardingStep.objects.filter(key_person=kp).select_related("done_by")
        ],
        "agreements": [
            _fields(a, ["kind", "starts_on", "ends_on", "hourly_rate", "signed_on", "confidentiality_signed_on"])
            for a in Agreement.objects.filter(key_person=kp)
        ],
        "certificates": [
            _fields(c, ["issued_on", "valid_until"]) | {"training": c.course.name}
            for c in Certificate.objects.filter(key_person=kp).select_related("course")
        ],
        "attendance": [
            {"training": a.session.course.name, "session": _value(a.session.starts_at), "attended": a.attended}
            for a in Attendance.objects.filter(key_person=kp).select_related("session__course")
        ],
        "check_ins": [_fields(c, ["on", "reason", "note"]) | {"by": str(c.by)} for c in CheckIn.objects.filter(key_person=kp).select_related("by")],
        "vog_reminders": [_fields(r, ["valid_until", "days_before", "sent_at"]) for r in VogReminder.objects.filter(key_person=kp)],
        "experience_statements": [
            _fields(e, ["signed_on", "content"]) | {"signed_by": str(e.signed_by)}
            for e in ExperienceStatement.objects.filter(key_person=kp).select_related("signed_by")
        ],
    }


def _allowances(kp: KeyPerson) -> dict[str, Any]:
    """The key person's money: account, allowances from elsewhere, claims, monthly statements."""
    from sleutelnet.allowances.models import (
        ClaimReceipt,
        DeclaredAllowance,
        ExpenseClaim,
        MonthlyStatement,
        PaymentDetails,
    )

    try:
        details: PaymentDetails | None = kp.payment_details  # type: ignore[attr-defined]
    except PaymentDetails.DoesNotExist:
        details = None
    receipts = ClaimReceipt.objects.filter(claim_id=OuterRef("pk"))
    claims = ExpenseClaim.objects.filter(key_person=kp).annotate(has_receipt=Exists(receipts)).order_by("date", "id")
    statements = MonthlyStatement.objects.filter(key_person=kp).prefetch_related("lines").order_by("month")
    return {
        "payment_details": None if details is None else {"iban": details.iban, "account_holder": details.account_holder},
        "allowances_from_other_organisations": [
            _fields(d, ["month", "amount", "organisation", "created_at", "withdrawn_at"])
            for d in DeclaredAllowance.objects.filter(key_person=kp).order_by("month", "id")
        ],
        "expense_claims": [
            _fields(c, ["uuid", "date", "kind", "kilometres", "per_km", "amount", "description", "status", "decided_at", "decline_reason"])
            | {"receipt": c.has_receipt}
            for c in claims
        ],
        "monthly_statements": [
            _fields(s, ["uuid", "month", "volunteer_hours", "volunteer_amount", "paid_hours", "paid_amount", "expenses", "total", "declared_elsewhere", "approved_at"])
            | {"lines": [_fields(line, ["kind", "date", "hours", "rate", "amount"]) for line in s.lines.all()]}
            for s in statements
        ],
    }
