"""Forms for signing in with a second factor, and for API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sleutelnet.accounts.models import SCOPES
from sleutelnet.core.models import Organisation, User


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class PasswordAgainForm(forms.Form):
    """Sign in again before changing the second factor (OWASP ASVS 7.5.1)."""

    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args: Any, user: User, request: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if authenticate(self.request, username=self.user.get_username(), password=password) is None:
            raise forms.ValidationError(_("This password is not right."))
        return password


SCOPE_LABELS = {
    "key-persons": _("key persons"),
    "newcomers": _("newcomers"),
    "requests": _("requests"),
    "assignments": _("assignments"),
    "activity-reports": _("activity reports"),
    "reach": _("reach figures"),
    "signals": _("signals"),
    "consultations": _("consultations"),
}


def scope_label(scope: str) -> str:
    resource, level = scope.split(":")
    return f"{SCOPE_LABELS[resource]}: {_('read') if level == 'read' else _('change')}"


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'case system of the municipality'."))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="uuid")
    user = forms.ModelChoiceField(
        label=_("Acts as"), queryset=User.objects.none(), to_field_name="uuid",
        help_text=_("The account whose roles the token uses; preferably an account for this link only."),
    )
    scopes = forms.MultipleChoiceField(label=pgettext_lazy("what a token is allowed", "May"), choices=[(s, scope_label(s)) for s in SCOPES], widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=730, initial=365)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["user"].queryset = users  # type: ignore[attr-defined]
        self.fields["scopes"].choices = [(s, scope_label(s)) for s in SCOPES]  # type: ignore[attr-defined]


_PIN_WIDGET = {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*", "maxlength": "8"}


class LinkRequestForm(forms.Form):
    """A key person asks for a sign-in link by e-mail."""

    email = forms.EmailField(
        label=_("Your e-mail address"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class PinForm(forms.Form):
    """The PIN, after opening the link (or for the re-check)."""

    pin = forms.CharField(label=_("Your PIN"), max_length=8, widget=forms.PasswordInput(attrs={**_PIN_WIDGET, "autofocus": True}))


class NewPinForm(forms.Form):
    """The first sign-in on a phone: choose a PIN of 5 to 8 digits."""

    new_pin = forms.CharField(
        label=_("Choose a PIN"), max_length=8, help_text=_("5 to 8 digits. Not your bank PIN, and not 12345."),
        widget=forms.PasswordInput(attrs={**_PIN_WIDGET, "autofocus": True}),
    )
    new_pin_again = forms.CharField(label=_("The same PIN again"), max_length=8, widget=forms.PasswordInput(attrs=_PIN_WIDGET))
