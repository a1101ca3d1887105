"""The language codes the product knows, and the form of a language tag.

A tag is a code, or a code and a variant joined by a hyphen: `ti`, `ar`, `ar-syrian`. The code
is ISO 639-1 where one exists, else ISO 639-3 (`prs` Dari, `kmr` Kurmanji, `ckb` Sorani); the
variant is lowercase letters (a dialect, e.g. `syrian`, `yemeni`). `io.load_instance` rejects
any other tag, so that a typo (`ar-Syrian`, `tir`, `farsi`) cannot silently match nobody.
"""

from __future__ import annotations

import re

#: ISO 639-1 codes, else ISO 639-3 for languages without one: the languages of status holders
#: and of the Dutch context, as the product uses them (keep in step with people/vocabulary.py).
KNOWN_LANGUAGES: frozenset[str] = frozenset(
    {
        "nl", "en", "fr", "de", "ar", "ti", "am", "tr", "fa", "prs", "ps", "kmr", "ckb", "ku",
        "so", "uk", "ru", "es", "it", "pt", "pl", "ro", "bg", "hu", "sq", "sr", "hr", "bs", "mk",
        "el", "hy", "ka", "az", "uz", "tg", "tk", "ky", "kk", "mn", "zh", "ja", "ko", "vi", "th",
        "ur", "hi", "bn", "pa", "ta", "si", "ne", "my", "km", "lo", "ms", "id", "tl", "sw", "om",
        "aa", "ha", "yo", "ig", "wo", "ff", "ln", "rw", "rn", "lg",
    }
)  # fmt: skip

TAG = re.compile(r"^(?P<code>[a-z]{2,3})(?:-(?P<variant>[a-z]{2,}))?$")
_EXAMPLE = "e.g. 'ti', 'prs' or 'ar-syrian'"


def tag_problem(tag: str) -> str | None:
    """Why `tag` is not a language tag the product knows, in words; None when it is fine."""
    match = TAG.match(tag)
    if match is None:
        lower = tag.strip().lower()
        lowered = TAG.match(lower)
        if lowered is not None and lowered.group("code") in KNOWN_LANGUAGES:
            return f"{tag!r} is not a language tag: write {lower!r}"
        return (
            f"{tag!r} is not a language tag (a code of 2-3 lowercase letters, ISO 639-1 else "
            f"639-3, optionally with a lowercase variant: {_EXAMPLE})"
        )
    code = match.group("code")
    if code not in KNOWN_LANGUAGES:
        return f"{tag!r} is not a known language code (ISO 639-1, else ISO 639-3: {_EXAMPLE})"
    return None


__all__ = ["KNOWN_LANGUAGES", "TAG", "tag_problem"]
