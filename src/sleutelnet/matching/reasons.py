"""English wording of the engine's reasons; the web app translates the same codes through gettext."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sleutelnet.matching.types import Reason

TEMPLATES: dict[str, str] = {
    # why this key person
    "speaks": "speaks {language} ({level}/5)",
    "dialect_match": "speaks the requested dialect",
    "roles_covered": "covers {covered} of {requested} requested roles",
    "domains_covered": "knows {covered} of {requested} life domains",
    "knows_newcomer": "knows this newcomer from {count} earlier assignments",
    "knows_organisation": "worked for this organisation {count} times before",
    "gender_match": "matches the preferred gender",
    "load": "{used} of {capacity} h used this month",
    # why not
    "not_active": "status is {status}, not active",
    "excluded": "excluded for this request",
    "no_language": "does not speak {language} at level {min_level} or higher",
    "no_municipality": "does not serve {municipality}",
    "not_available": "not available on {day} {start}-{end}",
    "no_role": "has none of the requested roles",
    "gender_mismatch": "the requester needs a key person of another gender",
    "vog_missing": "has no VOG",
    "vog_expired": "VOG valid until {date}, needed until {needed}",
    "over_capacity": "only {free} h free, the request takes {hours} h",
    "overlap": "already busy at that time ({other})",
}


def render(reason: Reason) -> str:
    """The English text of a reason."""
    template = TEMPLATES.get(reason.code, reason.code)
    try:
        return template.format(**reason.params)
    except (KeyError, IndexError):
        return template

# English names of the languages the contract names (ISO 639-1, else 639-3); others show their code.
LANGUAGE_NAMES: dict[str, str] = {
    "am": "Amharic", "ar": "Arabic", "bn": "Bengali", "ckb": "Sorani", "de": "German", "en": "English",
    "es": "Spanish", "fa": "Farsi", "fr": "French", "ha": "Hausa", "hy": "Armenian", "ka": "Georgian",
    "kmr": "Kurmanji", "ku": "Kurdish", "ln": "Lingala", "nl": "Dutch", "om": "Oromo", "pl": "Polish",
    "prs": "Dari", "ps": "Pashto", "ru": "Russian", "so": "Somali", "sq": "Albanian", "sw": "Swahili",
    "ti": "Tigrinya", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
}  # fmt: skip


def language_name(tag: str) -> str:
    """`so` -> Somali, `ar-syrian` -> Arabic (syrian); an unknown code is shown as it is."""
    base, _, variant = tag.partition("-")
    name = LANGUAGE_NAMES.get(base.lower(), tag if not variant else base)
    return f"{name} ({variant})" if variant else name
