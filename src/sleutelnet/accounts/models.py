"""API tokens, and two kinds of second-factor device besides django-otp's own (TOTP, e-mail, backup codes)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from sleutelnet.core.models import Organisation, PublicIdModel, User

#: What a token may be given: read or write per resource of the API (reference data is always readable).
RESOURCES = ("key-persons", "newcomers", "requests", "assignments", "activity-reports", "reach", "signals", "consultations")
SCOPES = tuple(f"{r}:{level}" for r in RESOURCES for level in ("read", "write") if not (r == "reach" and level == "write"))


def hash_key(key: str) -> str:
    """Only this hash of a token is stored: a copy of the database gives no access."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(PublicIdModel):
    """An API token (koppeling) of an organisation: acts as one user, only within that
    organisation's region (and, for a requester, that organisation), only for its scopes, until
    it expires or is revoked."""

    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the case system."))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("organisation"))
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("acts as"))
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("starts with"), max_length=12)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("made by"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def allows(self, resource: str | None, method: str) -> bool:
        """Whether the scopes cover `method` on `resource` (reference data is open to every token)."""
        if resource in (None, "reference"):
            return True
        level = "read" if method in ("GET", "HEAD", "OPTIONS") else "write"
        return f"{resource}:{level}" in self.scopes


class DemoDevice(Device):
    """The demo's second factor: a published code for the demo accounts, refused in production mode.

    `load_demo` gives one to each demo user so that `make run` can be tried without an
    authenticator app; a system check fails when one exists in production mode.
    """

    def verify_token(self, token: str) -> bool:
        from sleutelnet.demo.data import DEMO_SECOND_FACTOR

        return not settings.PRODUCTION and str(token).strip() == DEMO_SECOND_FACTOR

    class Meta:
        verbose_name = _("demo second factor")


class IdentityProviderDevice(Device):
    """Stands for the second factor of the municipality's identity provider (OIDC with MFA).

    It never accepts a code itself; signing in through the provider with a multi-factor
    authentication marks the session as verified with this device.
    """

    def verify_token(self, token: str) -> bool:
        return False

    class Meta:
        verbose_name = _("second factor of the identity provider")


class PinDevice(Device):
    """A key person's PIN, chosen once: together with a one-time link by e-mail it is the sign-in
    of the portal (something they know, and the mailbox they have), with no app to install.

    It never accepts a code through django-otp's generic matching, so a PIN cannot stand in for
    the second factor after a password; accounts.services checks it for the link sign-in and
    for the re-check before another person's contact details.
    """

    pin_hash = models.CharField(max_length=200)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)

    def verify_token(self, token: str) -> bool:
        return False

    class Meta:
        verbose_name = _("PIN")


class SignInLink(models.Model):
    """A one-time sign-in link sent by e-mail: valid for 15 minutes, used once. Only its hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def is_usable(self) -> bool:
        return self.used_at is None and timezone.now() < self.expires_at
