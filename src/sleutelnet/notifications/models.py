"""The durable outbox: every e-mail is a row first, written in the same transaction as the change."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import PublicIdModel


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed for good")


class OutboxMessage(PublicIdModel):
    """An e-mail waiting to be sent by the worker; it survives a failing mail server and retries."""

    to_email = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject}"


class CalendarFeed(models.Model):
    """A key person's private calendar feed (agenda-abonnement) for the phone's calendar app.

    The secret in the feed URL is the only credential, so only its SHA-256 hash is stored:
    a copy of the database does not give access to anyone's agenda. Renewing replaces the
    hash, which makes the old URL stop working.
    """

    key_person = models.OneToOneField(
        "people.KeyPerson", on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("key person")
    )
    token_hash = models.CharField(_("hash of the secret"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.key_person}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
