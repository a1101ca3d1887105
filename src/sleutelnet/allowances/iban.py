"""IBAN and BIC checks, small and in code: a typo in an account number must never reach the bank.

The check is the ISO 13616 one: the country's length, and the remainder 1 after moving the first
four characters to the end and reading letters as numbers (A=10 … Z=35), modulo 97.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Lengths of the IBANs of the SEPA countries (others are checked by the remainder only).
LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
    "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26,
    "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28,
    "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}
_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")


def normalise_iban(value: str) -> str:
    """Without spaces or dashes, in capitals: how it is stored and sent."""
    return re.sub(r"[\s-]+", "", value or "").upper()


def is_valid_iban(value: str) -> bool:
    """Whether `value` (spaces allowed) is an IBAN with the right length and check digits."""
    iban = normalise_iban(value)
    if not _SHAPE.match(iban):
        return False
    if LENGTHS.get(iban[:2], len(iban)) != len(iban):
        return False
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def format_iban(value: str) -> str:
    """In groups of four, as people read it: NL91 ABNA 0417 1643 00."""
    iban = normalise_iban(value)
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def validate_iban(value: str) -> None:
    """Django validator (the admin's region account)."""
    if not is_valid_iban(value):
        raise ValidationError(_("This is not a valid IBAN. Check the letters and digits."), code="iban")


def normalise_bic(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def is_valid_bic(value: str) -> bool:
    return bool(_BIC.match(normalise_bic(value)))


def validate_bic(value: str) -> None:
    if value and not is_valid_bic(value):
        raise ValidationError(_("This is not a valid BIC: 8 or 11 letters and digits, e.g. ABNANL2A."), code="bic")
