"""Every change to allowances: claims filed and decided, allowances from elsewhere declared,
payment details, and monthly statements approved. One keyword-only function each, in a
transaction, that checks who may do it, validates, writes the processing log and tells whom it
concerns. Warnings about the tax-free limits never block anything here: they inform.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from sleutelnet.allowances.iban import is_valid_iban, normalise_iban
from sleutelnet.allowances.models import (
    ClaimKind,
    ClaimReceipt,
    ClaimStatus,
    DeclaredAllowance,
    ExpenseClaim,
    MonthlyStatement,
    PaymentDetails,
    StatementLine,
)
from sleutelnet.allowances.selectors import cents, month_start, statement_of
from sleutelnet.core import clock, processing
from sleutelnet.core.exceptions import DomainError, InvalidTransition, NotAllowed
from sleutelnet.core.models import Role, User
from sleutelnet.core.selectors import has_role
from sleutelnet.core.sensitive import clean_text
from sleutelnet.notifications import recipients
from sleutelnet.notifications.services import queue_mail
from sleutelnet.people.models import KeyPerson

#: The processing activity of everything here (core.processing.ACTIVITIES).
ACTIVITY = "allowances"

#: A receipt may be at most this big.
MAX_RECEIPT_BYTES = 5 * 1024 * 1024
#: The kinds of receipt accepted, by the extension a file may carry.
RECEIPT_EXTENSIONS = {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
#: Claims older than this many days are refused: ask the coordinator.
MAX_CLAIM_AGE_DAYS = 365
MAX_KILOMETRES = Decimal("2000")
MAX_CLAIM_AMOUNT = Decimal("1000")
MAX_DECLARED_AMOUNT = Decimal("10000")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def _coordinator_of(actor: User, kp: KeyPerson) -> None:
    _require(has_role(actor, Role.COORDINATOR, kp.region_id), _("Only a coordinator of this region can do this."))


def _locked_key_person(kp: KeyPerson) -> KeyPerson:
    """The key person's row, locked: the changes of one person's money happen one after another."""
    return KeyPerson.objects.select_for_update(no_key=True, of=("self",)).select_related("region").get(pk=kp.pk)


def _log(operation: str, actor: User | None, kp: KeyPerson) -> None:
    processing.record(operation, [kp], activity=ACTIVITY, actor=actor)


def _decimal(value: object, field: str, message: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise DomainError(message, field=field) from exc
    if not number.is_finite():
        raise DomainError(message, field=field)
    return number


# --- receipts ----------------------------------------------------------------------------------

#: Parts of a PDF that run code or carry other files: a receipt needs none of them.
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/OpenAction", b"/AA")


def receipt_kind(raw: bytes) -> str | None:
    """What the bytes are, by their content: 'pdf', 'jpeg', 'png', or None for anything else."""
    if raw.startswith(b"%PDF-") and b"%%EOF" in raw[-2048:]:
        return "pdf"
    if raw.startswith(b"\xff\xd8\xff") and len(raw) > 4:
        return "jpeg"
    if raw.startswith(b"\x89PNG\r\n\x1a\n") and raw[12:16] == b"IHDR":
        return "png"
    return None


def check_receipt(extension: str, raw: bytes) -> str:
    """The receipt's kind when the file is a PDF, JPEG or PNG of at most 5 MB whose content is what
    its name says; a DomainError on the field `receipt` otherwise."""
    expected = RECEIPT_EXTENSIONS.get(extension.lower().lstrip("."))
    if expected is None:
        raise DomainError(_("Choose a photo (JPG or PNG) or a PDF of the receipt."), field="receipt")
    if not raw:
        raise DomainError(_("The file is empty."), field="receipt")
    if len(raw) > MAX_RECEIPT_BYTES:
        raise DomainError(_("The receipt is larger than 5 MB. Take a smaller photo."), field="receipt")
    found = receipt_kind(raw)
    if found != expected:
        raise DomainError(_("This file is not a real PDF, JPG or PNG, whatever its name says."), field="receipt")
    if found == "pdf" and any(part in raw for part in PDF_ACTIVE_CONTENT):
        raise DomainError(_("This PDF contains scripts or attachments. Send a photo of the receipt instead."), field="receipt")
    return found


# --- claims --------------------------------------------------------------------------------------


@dataclass
class ClaimData:
    """What a key person fills in for a claim (the web form and tests alike)."""

    date: dt.date
    kind: str
    kilometres: object = None
    amount: object = None
    description: str = ""
    #: (the file's extension, its bytes), or None.
    receipt: tuple[str, bytes] | None = None


def _claim_values(kp: KeyPerson, data: ClaimData) -> tuple[Decimal | None, Decimal | None, Decimal, str]:
    """(kilometres, per km, amount, description) of a valid claim; a DomainError naming the field otherwise."""
    from sleutelnet.allowances.selectors import Rates

    today = clock.today()
    if not isinstance(data.date, dt.date):
        raise DomainError(_("Give the date of the costs."), field="date")
    if data.date > today:
        raise DomainError(_("The date cannot be in the future."), field="date")
    if data.date < today - dt.timedelta(days=MAX_CLAIM_AGE_DAYS):
        raise DomainError(_("This is more than a year ago. Ask your coordinator."), field="date")
    if data.kind not in ClaimKind.values:
        raise DomainError(_("Choose what kind of costs these are."), field="kind")
    description = clean_text(data.description, "description", 300, required=data.kind == ClaimKind.OTHER)
    if data.kind == ClaimKind.KILOMETRES:
        km = _decimal(data.kilometres, "kilometres", _("Give the kilometres as a number, e.g. 12.5."))
        if not Decimal("0.1") <= km <= MAX_KILOMETRES:
            raise DomainError(_("Give between 0.1 and 2,000 kilometres."), field="kilometres")
        if km != km.quantize(Decimal("0.1")):
            raise DomainError(_("Give the kilometres with at most one decimal, e.g. 12.5."), field="kilometres")
        rate = Rates([kp.region_id]).on(kp.region_id, data.date)
        if rate is None:
            raise DomainError(_("Your region has not set an amount per kilometre yet. Ask your coordinator."), field="kilometres")
        return km, rate.per_km, cents(km * rate.per_km), description
    amount = _decimal(data.amount, "amount", _("Give the amount in euros, e.g. 7.40."))
    if not Decimal("0.01") <= amount <= MAX_CLAIM_AMOUNT:
        raise DomainError(_("Give an amount between € 0.01 and € 1,000."), field="amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Give the amount with at most two decimals, e.g. 7.40."), field="amount")
    if data.kind == ClaimKind.PUBLIC_TRANSPORT and data.receipt is None:
        raise DomainError(_("Add a photo or PDF of the ticket or the travel overview."), field="receipt")
    return None, None, amount, description


@transaction.atomic
def file_claim(*, actor: User, data: ClaimData) -> ExpenseClaim:
    """A key person claims costs made for an assignment; the coordinator decides."""
    own = getattr(actor, "key_person", None)
    _require(own is not None, _("Only a key person can claim expenses."))
    kp = _locked_key_person(own)  # type: ignore[arg-type]
    km, per_km, amount, description = _claim_values(kp, data)
    receipt_kind_found = check_receipt(*data.receipt) if data.receipt is not None else None
    claim = ExpenseClaim.objects.create(
        key_person=kp, date=data.date, kind=data.kind, kilometres=km, per_km=per_km, amount=amount, description=description,
    )
    if data.receipt is not None and receipt_kind_found is not None:
        raw = data.receipt[1]
        ClaimReceipt.objects.create(claim=claim, kind=receipt_kind_found, size=len(raw), sha256=hashlib.sha256(raw).hexdigest(), data=raw)
    _log(processing.CREATE, actor, kp)
    queue_mail(to=recipients.coordinators(kp.region_id), template="allowances_claim_filed", context={"claim": claim, "key_person": kp})
    return claim


def _locked_claim(claim: ExpenseClaim) -> ExpenseClaim:
    return ExpenseClaim.objects.select_for_update(no_key=True, of=("self",)).select_related("key_person__user").get(pk=claim.pk)


@transaction.atomic
def approve_claim(*, actor: User, claim: ExpenseClaim) -> ExpenseClaim:
    """The coordinator approves a claim: it goes on the key person's next statement."""
    c = _locked_claim(claim)
    _coordinator_of(actor, c.key_person)
    if c.status != ClaimStatus.PENDING:
        raise InvalidTransition(_("This claim has already been decided."))
    c.status, c.decided_by, c.decided_at = ClaimStatus.APPROVED, actor, clock.now()
    c.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    _log(processing.UPDATE, actor, c.key_person)
    queue_mail(to=recipients.key_person(c.key_person), template="allowances_claim_decided", context={"claim": c})
    return c


@transaction.atomic
def decline_claim(*, actor: User, claim: ExpenseClaim, reason: str) -> ExpenseClaim:
    """The coordinator declines a claim, with a reason the key person reads; it stays, never deleted."""
    c = _locked_claim(claim)
    _coordinator_of(actor, c.key_person)
    reason = clean_text(reason, "reason", 500, required=True)
    if c.status != ClaimStatus.PENDING:
        raise InvalidTransition(_("This claim has already been decided."))
    c.status, c.decided_by, c.decided_at, c.decline_reason = ClaimStatus.DECLINED, actor, clock.now(), reason
    c.save(update_fields=["status", "decided_by", "decided_at", "decline_reason", "updated_at"])
    _log(processing.UPDATE, actor, c.key_person)
    queue_mail(to=recipients.key_person(c.key_person), template="allowances_claim_decided", context={"claim": c})
    return c


# --- allowances from elsewhere, payment details ----------------------------------------------------


@transaction.atomic
def declare_allowance(*, actor: User, key_person: KeyPerson, month: dt.date, amount: object, organisation: str) -> DeclaredAllowance:
    """Record a volunteer allowance the key person gets from another organisation in `month`:
    it counts towards the same month and year limits."""
    kp = _locked_key_person(key_person)
    _coordinator_of(actor, kp)
    if not isinstance(month, dt.date):
        raise DomainError(_("Choose the month."), field="month")
    first = month_start(month)
    if first > month_start(clock.today()):
        raise DomainError(_("The month cannot be in the future."), field="month")
    value = _decimal(amount, "amount", _("Give the amount in euros, e.g. 50.00."))
    if not Decimal("0.01") <= value <= MAX_DECLARED_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise DomainError(_("Give an amount between € 0.01 and € 10,000, with at most two decimals."), field="amount")
    name = clean_text(organisation, "organisation", 200, required=True)
    declared = DeclaredAllowance.objects.create(key_person=kp, month=first, amount=value, organisation=name, recorded_by=actor)
    _log(processing.CREATE, actor, kp)
    return declared


@transaction.atomic
def withdraw_declared_allowance(*, actor: User, declared: DeclaredAllowance) -> DeclaredAllowance:
    """An allowance from elsewhere entered by mistake: withdrawn (kept, marked), no longer counted."""
    d = DeclaredAllowance.objects.select_for_update(no_key=True, of=("self",)).select_related("key_person").get(pk=declared.pk)
    _coordinator_of(actor, d.key_person)
    if d.withdrawn_at is not None:
        raise InvalidTransition(_("This was already withdrawn."))
    d.withdrawn_at, d.withdrawn_by = clock.now(), actor
    d.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
    _log(processing.UPDATE, actor, d.key_person)
    return d


@transaction.atomic
def set_payment_details(*, actor: User, key_person: KeyPerson, iban: str, account_holder: str) -> PaymentDetails:
    """The account the key person's allowance is paid to; the IBAN must pass the check digits."""
    kp = _locked_key_person(key_person)
    _coordinator_of(actor, kp)
    number = normalise_iban(iban)
    if not is_valid_iban(number):
        raise DomainError(_("This is not a valid IBAN. Check the letters and digits."), field="iban")
    holder = clean_text(account_holder, "account_holder", 70, required=True)
    details, _created = PaymentDetails.objects.update_or_create(
        key_person=kp, defaults={"iban": number, "account_holder": holder, "updated_at": clock.now(), "updated_by": actor}
    )
    _log(processing.UPDATE, actor, kp)
    return details


# --- statements ----------------------------------------------------------------------------------


@transaction.atomic
def approve_statement(*, actor: User, key_person: KeyPerson, month: dt.date) -> MonthlyStatement:
    """The coordinator approves a key person's month: the reports and claims on it are frozen at
    the amounts of this moment, and no later statement can pay them again."""
    kp = _locked_key_person(key_person)
    _coordinator_of(actor, kp)
    if not isinstance(month, dt.date):
        raise DomainError(_("Choose the month."), field="month")
    first = month_start(month)
    if first > month_start(clock.today()):
        raise DomainError(_("A month can be approved once it has started."), field="month")
    if MonthlyStatement.objects.filter(key_person=kp, month=first).exists():
        raise InvalidTransition(_("The statement of this month has already been approved."))
    draft = statement_of(kp, first)
    if draft.is_empty:
        raise DomainError(_("There is nothing to approve for this month."), field="month")
    statement = MonthlyStatement.objects.create(
        key_person=kp, region_id=kp.region_id, month=first,
        volunteer_hours=draft.volunteer_hours, volunteer_amount=draft.volunteer_amount,
        paid_hours=draft.paid_hours, paid_amount=draft.paid_amount, expenses=draft.expenses, total=draft.total,
        declared_elsewhere=draft.declared_elsewhere, warnings=[w.as_json() for w in draft.warnings],
        approved_by=actor, approved_at=clock.now(),
    )
    StatementLine.objects.bulk_create(
        StatementLine(statement=statement, report_id=line.report_id, kind=line.kind, date=line.day, hours=line.hours, rate=line.rate, amount=line.amount)
        for line in draft.lines
    )
    claim_ids = [c.id for c in draft.claims]
    paid = ExpenseClaim.objects.filter(id__in=claim_ids, status=ClaimStatus.APPROVED, statement__isnull=True).update(statement=statement)
    if paid != len(claim_ids):  # pragma: no cover - the key person's row lock keeps this from happening
        raise InvalidTransition(_("A claim on this statement changed meanwhile. Open the month again."))
    _log(processing.UPDATE, actor, kp)
    return statement


def forget_key_person(kp: KeyPerson) -> None:
    """Erasure or retention anonymises the key person: the account number, the allowances from
    elsewhere, the receipts and the claims' own words go; the amounts stay for the books."""
    PaymentDetails.objects.filter(key_person=kp).delete()
    DeclaredAllowance.objects.filter(key_person=kp).delete()
    ClaimReceipt.objects.filter(claim__key_person=kp).delete()
    ExpenseClaim.objects.filter(key_person=kp).update(description="")
