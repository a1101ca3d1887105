"""Template helpers for accessible forms (NL Design System style form fields)."""

from __future__ import annotations

from typing import Any

from django import forms, template

register = template.Library()


@register.inclusion_tag("web/_field.html")
def form_field(bf: forms.BoundField, hint: str = "", css: str = "") -> dict[str, Any]:
    """One form field: label (or legend), description, error and input, linked for screen readers.

    The description and the error are tied to the input with aria-describedby; an invalid
    input gets aria-invalid. Checkbox and radio groups are a fieldset with a legend.
    """
    widget = bf.field.widget
    is_group = isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect))
    is_checkbox = isinstance(widget, forms.CheckboxInput)
    base = bf.auto_id or bf.html_name
    help_text = hint or bf.help_text
    help_id = f"{base}-help" if help_text else ""
    error_id = f"{base}-error" if bf.errors else ""
    describedby = " ".join(x for x in (help_id, error_id) if x)
    attrs: dict[str, str] = {}
    if not is_group and describedby:
        attrs["aria-describedby"] = describedby
    if bf.errors and not is_group:
        attrs["aria-invalid"] = "true"
    return {
        "bf": bf,
        "widget": bf.as_widget(attrs=attrs),
        "is_group": is_group,
        "is_checkbox": is_checkbox,
        "help": help_text,
        "help_id": help_id,
        "error_id": error_id,
        "describedby": describedby,
        "errors": bf.errors,
        "css": css,
    }


@register.filter
def for_offer(fields: str, uuid: Any) -> str:
    """The blank decline fields of a page (deployments.views._decline_blank) for one offer."""
    from django.utils.safestring import mark_safe

    from sleutelnet.web.forms import OFFER_PLACEHOLDER

    # `fields` is our own rendered (escaped) template and a uuid is hex digits and dashes.
    return mark_safe(str(fields).replace(OFFER_PLACEHOLDER, str(uuid)))  # noqa: S308 # nosec B308 B703


@register.filter
def for_card(fields: str, uuid: Any) -> str:
    """The blank fields of `web.forms.card_blank` with the ids of one card (`card_auto_id`)."""
    from django.utils.safestring import mark_safe

    from sleutelnet.web.forms import OFFER_PLACEHOLDER, card_auto_id

    # `fields` is our own rendered (escaped) template and the id part is hex digits.
    return mark_safe(str(fields).replace(f"id_{OFFER_PLACEHOLDER}_", card_auto_id(uuid) % ""))  # noqa: S308 # nosec B308 B703


@register.filter
def newcomer_for_key_person(assignment: Any) -> Any:
    """What the key person of the assignment may see of its newcomer (None: nothing)."""
    from sleutelnet.deployments.selectors import newcomer_for_key_person as seen

    return seen(assignment)


@register.filter
def is_mapping(value: Any) -> bool:
    return isinstance(value, dict)


@register.filter
def is_list(value: Any) -> bool:
    return isinstance(value, (list, tuple))
