"""Spotting personal and special-category data in free text before it is saved.

Notes and descriptions are where privacy leaks in ("accompany to the GGZ", "Eritrean mothers",
a phone number). The GDPR forbids processing health, religion and ethnic origin (art. 9)
without a specific ground, and Sleutelnet never stores a BSN. So:

- a BSN-like number (nine digits passing the 11-test) is refused, on every channel, by the
  services (`refuse_bsn`);
- phone numbers, e-mail addresses and words about health, religion or origin make the web
  forms warn and ask the user to confirm before saving (`find`); the text is kept.

The word lists are deliberately short and specific: a warning that fires on every note is
ignored. Language names (Arabic, Tigrinya, Turkish) are not flagged: a request needs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sleutelnet.core.exceptions import DomainError

# Nine digits, possibly written as 1234.56.789 or 123 456 789, not part of a longer number.
# Not part of a longer number or a word (a UUID or a hash holds digit runs too).
_BSN = re.compile(r"(?<![\w.\-])(\d{4}[. ]?\d{2}[. ]?\d{3}|\d{3}[. ]\d{3}[. ]\d{3})(?![\w]|[.\-]\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# International (+31 6 12345678, 0031...), Dutch mobile and landline (06-12345678, 010 123 4567).
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d{1,3}[\s-]?(?:\(0\)[\s-]?)?\d(?:[\s-]?\d){6,11}|0(?:[\s-]?\d){9})(?!\d)"
)

_WORDS: dict[str, tuple[str, ...]] = {
    "health": (
        r"ggz", r"psychiatr\w*", r"psycholo\w*", r"depressi\w*", r"trauma\w*", r"ptss", r"ptsd", r"zwanger\w*",
        r"pregnan\w*", r"hiv", r"aids", r"diabet\w*", r"kanker", r"cancer", r"tbc", r"tubercul\w*", r"verslav\w*",
        r"addict\w*", r"su[iï]cid\w*", r"zelfmoord\w*", r"medicatie", r"medication", r"handicap\w*", r"gehandicapt\w*",
        r"disabilit\w*", r"mental health", r"geestelijke gezondheid", r"ziekte\w*", r"illness", r"diagnos\w*",
    ),
    "religion": (
        r"moslim\w*", r"muslim\w*", r"islam\w*", r"christen\w*", r"christian\w*", r"christelijk\w*", r"katholie\w*",
        r"catholic\w*", r"protestant\w*", r"joods\w*", r"jewish", r"hindoe\w*", r"hindu\w*", r"boeddh\w*", r"buddhis\w*",
        r"moskee\w*", r"mosque\w*", r"synago\w*", r"imam\w*", r"religi\w*", r"geloof\w*", r"gelovig\w*",
    ),
    "ethnicity": (
        r"eritre\w*", r"syri[eë]r\w*", r"syrisch\w*", r"afghaan\w*", r"afghan\w*", r"koerd\w*", r"kurd\w*",
        r"jezidi\w*", r"yezidi\w*", r"yazidi\w*", r"hazara\w*", r"somali[eë]r\w*", r"etnisch\w*", r"ethnic\w*",
        r"afkomst\w*", r"ras\b", r"race\b",
    ),
}
_WORD_PATTERNS = {kind: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE) for kind, words in _WORDS.items()}

MESSAGES = {
    "phone": _("This looks like a phone number."),
    "email": _("This looks like an e-mail address."),
    "health": _("This seems to say something about health."),
    "religion": _("This seems to say something about religion."),
    "ethnicity": _("This seems to say something about origin or ethnicity."),
}
ADVICE = _(
    "Notes should not contain contact details or anything about health, religion or origin: "
    "everyone who reads the note sees it. Remove it if you can."
)


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str

    @property
    def message(self) -> str:
        return str(MESSAGES[self.kind])


def bsn_valid(digits: str) -> bool:
    """The 11-test (elfproef) of a BSN: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11."""
    if len(digits) != 9 or not digits.isdigit() or digits == "0" * 9:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def bsn_like(text: str) -> list[str]:
    """Numbers in `text` that pass the 11-test of a BSN."""
    out = []
    for match in _BSN.finditer(text or ""):
        digits = re.sub(r"\D", "", match.group(0))
        if bsn_valid(digits):
            out.append(match.group(0))
    return out


def find(text: str) -> list[Finding]:
    """Contact details and special-category words in `text` (BSNs are refused separately)."""
    text = text or ""
    found: list[Finding] = []
    bsn = set(bsn_like(text))
    for match in _PHONE.finditer(text):
        if match.group(0) not in bsn:
            found.append(Finding("phone", match.group(0)))
    found += [Finding("email", m.group(0)) for m in _EMAIL.finditer(text)]
    for kind, pattern in _WORD_PATTERNS.items():
        found += [Finding(kind, m.group(0)) for m in pattern.finditer(text)]
    return found


def summary(findings: list[Finding]) -> str:
    """One sentence per kind found, then the advice."""
    kinds = list(dict.fromkeys(f.kind for f in findings))
    return " ".join([str(MESSAGES[k]) for k in kinds] + [str(ADVICE)])


def refuse_bsn(value: str, field: str) -> None:
    """Services: a BSN never enters Sleutelnet, whichever channel it comes through."""
    if bsn_like(value):
        raise DomainError(
            _("This looks like a BSN. Sleutelnet never stores a BSN: remove it, or use the municipality's own reference."),
            field=field,
            code="bsn",
        )


def clean_text(value: str, field: str, max_length: int, *, required: bool = False) -> str:
    """Services: free text stripped, within its length, required if so, and never holding a BSN."""
    from django.utils.translation import gettext

    value = (value or "").strip()
    if required and not value:
        raise DomainError(gettext("This field is required."), field=field)
    if len(value) > max_length:
        raise DomainError(
            gettext("Use at most %(max)d characters (now %(n)d).") % {"max": max_length, "n": len(value)}, field=field
        )
    refuse_bsn(value, field)
    return value
