"""The matching engine's reasons in the user's language (the engine itself knows no gettext)."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sleutelnet.matching.types import Reason
from sleutelnet.people.models import Language, Weekday

_TEMPLATES = {
    "speaks": gettext_lazy("speaks %(language)s (%(level)s/5)"),
    "roles_covered": gettext_lazy("covers %(covered)s of %(requested)s requested roles"),
    "domains_covered": gettext_lazy("knows %(covered)s of %(requested)s life domains"),
    "knows_newcomer": gettext_lazy("knows this newcomer from earlier assignments"),
    "knows_organisation": gettext_lazy("worked for this organisation before"),
    "gender_match": gettext_lazy("matches the preferred gender"),
    "dialect_match": gettext_lazy("speaks the requested dialect"),
    "load": gettext_lazy("%(used)s of %(capacity)s h used this month"),
    "not_active": gettext_lazy("status is not active"),
    "excluded": gettext_lazy("excluded for this newcomer, or already offered or declined this request"),
    "excluded_newcomer": gettext_lazy("excluded for this newcomer (see the newcomer's record)"),
    "no_language": gettext_lazy("does not speak %(language)s at level %(min_level)s or higher"),
    "no_municipality": gettext_lazy("does not serve %(municipality)s"),
    "not_available": gettext_lazy("not available on %(day)s %(start)s-%(end)s"),
    "no_role": gettext_lazy("has none of the requested roles"),
    "gender_mismatch": gettext_lazy("the requester needs a key person of another gender"),
    "vog_missing": gettext_lazy("has no VOG"),
    "vog_expired": gettext_lazy("VOG valid until %(date)s, needed until %(needed)s"),
    "over_capacity": gettext_lazy("only %(free)s h free this month, the request takes %(hours)s h"),
    "overlap": gettext_lazy("already busy at that time (%(other)s)"),
}


#: Why a request stays (partly) unfilled in a plan, by the planner's `binding` code.
_UNFILLED = {
    "no_municipality": gettext_lazy("nobody serves this municipality"),
    "no_language": gettext_lazy("nobody who fits speaks the language well enough"),
    "not_available": gettext_lazy("nobody who fits is available at that time"),
    "no_role": gettext_lazy("nobody who fits has one of the requested roles"),
    "not_active": gettext_lazy("the key persons who fit are not active"),
    "excluded": gettext_lazy("the key persons who fit are excluded for this newcomer, or already offered or declined"),
    "gender_mismatch": gettext_lazy("nobody who fits has the required gender"),
    "no_vog": gettext_lazy("nobody who fits has a valid VOG"),
    "over_capacity": gettext_lazy("the key persons who fit have too few hours left this month"),
    "busy": gettext_lazy("the key persons who could come are needed for other requests at that time"),
    "hours_used": gettext_lazy("the key persons who could come have too few hours left after this plan"),
    "busy_or_hours": gettext_lazy("the key persons who could come are needed elsewhere or have too few hours left"),
    "not_optimised": gettext_lazy("the planner stopped early; try again or offer by hand"),
}


def unfilled_text(binding: str) -> str:
    """Why a request could not be filled, in the user's language (empty for an unknown code)."""
    text = _UNFILLED.get(binding)
    return str(text) if text is not None else ""


class Explainer:
    """Turns reasons into text; loads the names of languages and municipalities once.

    A request's candidate list repeats the same reasons hundreds of times (every key person who
    does not serve the municipality), so each distinct reason, in each language, is put into
    words once per explainer."""

    def __init__(self) -> None:
        from sleutelnet.core.models import Municipality

        self.languages = {lang.tag: lang.name for lang in Language.objects.all()}
        self.municipalities = dict(Municipality.objects.values_list("cbs_code", "name"))
        self._said: dict[tuple[str | None, str, tuple[tuple[str, str], ...]], str] = {}

    def __call__(self, reason: Reason) -> str:
        """A reason as a sentence part in the active language."""
        key = (get_language(), reason.code, tuple(sorted((k, repr(v)) for k, v in reason.params.items())))
        said = self._said.get(key)
        if said is None:
            said = self._said[key] = self._say(reason)
        return said

    def _say(self, reason: Reason) -> str:
        params = dict(reason.params)
        if "language" in params:
            name = self.languages.get(str(params["language"]))
            params["language"] = _(name) if name else params["language"]
        if "weekday" in params:
            params["day"] = str(Weekday(int(params["weekday"])).label).lower()  # type: ignore[arg-type]
        if "municipality" in params:
            params["municipality"] = self.municipalities.get(str(params["municipality"]), params["municipality"])
        template = _TEMPLATES.get(reason.code)
        if template is None:
            return reason.text
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            return reason.text
