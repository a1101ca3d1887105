"""The payment export of a month's approved statements: a table for the finance department
(CSV or XLSX, formulas neutralised by `core.exports`) and a SEPA credit transfer (pain.001.001.03,
built and checked against its XML schema by the `sepaxml` library) for the bank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from sleutelnet.allowances.iban import is_valid_bic, is_valid_iban, normalise_iban
from sleutelnet.allowances.models import MonthlyStatement
from sleutelnet.allowances.selectors import payment_settings
from sleutelnet.core.exports import table_response
from sleutelnet.core.models import Region

SEPA_SCHEMA = "pain.001.001.03"


class ExportRefused(Exception):
    """The file cannot be made as it should be; the message says what to fix first."""


def _details(st: MonthlyStatement) -> tuple[str, str]:
    details = getattr(st.key_person, "payment_details", None)
    return (details.iban, details.account_holder) if details else ("", "")


def statements_table(fmt: str, region: Region, month: dt.date, statements: Sequence[MonthlyStatement]) -> HttpResponse:
    """One row per approved statement: who, where to, and each part of the amount."""
    header = [
        _("Key person"), _("Account holder"), _("IBAN"), _("IBAN valid"), _("Month"),
        _("Volunteer hours"), _("Volunteer allowance"), _("Paid hours"), _("Pay for paid hours"),
        _("Expenses"), _("Total"), _("Allowances from other organisations"), _("Limit warnings"),
        _("Approved on"), _("Approved by"), _("Reference"),
    ]
    rows = []
    for st in statements:
        iban, holder = _details(st)
        rows.append([
            st.key_person.full_name, holder, iban, is_valid_iban(iban), f"{st.month:%Y-%m}",
            st.volunteer_hours, st.volunteer_amount, st.paid_hours, st.paid_amount,
            st.expenses, st.total, st.declared_elsewhere, ", ".join(w["kind"] for w in st.warnings),
            st.approved_at, st.approved_by.get_full_name() or st.approved_by.get_username(), str(st.uuid),
        ])
    return table_response(fmt, header, rows, filename=f"allowances-{month:%Y-%m}")


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def sepa_transfer(region: Region, month: dt.date, statements: Sequence[MonthlyStatement], *, execution_date: dt.date) -> bytes:
    """pain.001 XML paying every approved statement with something to pay, from the region's account."""
    from sepaxml import SepaTransfer
    from sepaxml.validation import ValidationError

    settings = payment_settings(region.id)
    if settings is None or not is_valid_iban(settings.iban) or (settings.bic and not is_valid_bic(settings.bic)):
        raise ExportRefused(_("The region's own account (name, IBAN, BIC) is missing or not valid. An administrator enters it in the admin."))
    payable = [st for st in statements if st.total > 0]
    if not payable:
        raise ExportRefused(_("There are no approved statements with an amount to pay in this month."))
    missing = [st.key_person.full_name for st in payable if not is_valid_iban(_details(st)[0])]
    if missing:
        raise ExportRefused(
            _("These key persons have no valid IBAN yet: %(names)s. Enter it on their allowance page first.") % {"names": ", ".join(missing)}
        )
    config = {
        "name": settings.debtor_name,
        "IBAN": normalise_iban(settings.iban),
        "batch": True,
        "currency": "EUR",
        **({"BIC": settings.bic} if settings.bic else {}),
    }
    transfer = SepaTransfer(config, schema=SEPA_SCHEMA, clean=True)
    description = _("Allowance %(month)s") % {"month": f"{month:%Y-%m}"}
    for st in payable:
        iban, holder = _details(st)
        transfer.add_payment({
            "name": holder or st.key_person.full_name,
            "IBAN": normalise_iban(iban),
            "amount": _cents(st.total),
            "execution_date": execution_date,
            "description": f"{description} {region.name}"[:140],
            "endtoend_id": st.uuid.hex[:35],
        })
    try:
        return transfer.export(validate=True)
    except ValidationError as exc:  # a name or text the schema refuses: say so, never a 500
        raise ExportRefused(_("The bank file did not pass its check. Check the names and the region's account.")) from exc
