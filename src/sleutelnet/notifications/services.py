"""Queue notifications and drain the outbox."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sleutelnet.core import clock, processing
from sleutelnet.core.exceptions import NotAllowed
from sleutelnet.core.models import User
from sleutelnet.notifications.models import CalendarFeed, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)


def queue_mail(
    *, to: Iterable[tuple[str, str]], template: str, context: dict[str, object]
) -> list[OutboxMessage]:
    """Write one outbox row per recipient, in the recipient's language.

    `to` holds (e-mail address, language code) pairs; empty addresses are skipped. Call this
    inside the service's transaction so the message exists if and only if the change does.
    """
    rows = []
    seen: set[str] = set()
    for email, language in to:
        if not email or email in seen:
            continue
        seen.add(email)
        with translation.override(language or settings.LANGUAGE_CODE):
            ctx = {**context, "site_url": settings.SITE_URL}
            subject = render_to_string(f"notifications/{template}_subject.txt", ctx).strip()
            body = render_to_string(f"notifications/{template}_body.txt", ctx)
        rows.append(OutboxMessage(to_email=email, subject=subject[:200], body=body))
    return OutboxMessage.objects.bulk_create(rows)


def _backoff(attempts: int) -> dt.timedelta:
    """Wait longer after each failure: 1, 2, 4, ... minutes, at most a few hours."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 240))


def _claim(batch: int) -> list[OutboxMessage]:
    """Claim due messages; with PostgreSQL, SKIP LOCKED lets several workers run side by side."""
    now = timezone.now()
    qs = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).order_by("id")
    if transaction.get_connection().features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return list(qs[:batch])


def deliver_due(*, batch: int = 50) -> tuple[int, int]:
    """Send due messages; returns (sent, failed). A failure keeps the message for a later try."""
    sent = failed = 0
    with transaction.atomic():
        messages = _claim(batch)
        if not messages:
            return 0, 0
        connection = get_connection(fail_silently=False)
        for message in messages:
            message.attempts += 1
            try:
                EmailMessage(
                    subject=message.subject,
                    body=message.body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[message.to_email],
                    connection=connection,
                ).send()
            except Exception as exc:  # noqa: BLE001 - any mail error must keep the message
                failed += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:500]
                if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                    message.status = OutboxStatus.FAILED
                    # The log names the kind of error only: a mail server's message may quote the address.
                    log.error("Giving up on outbox message %s: %s", message.uuid, type(exc).__name__)
                else:
                    message.next_attempt_at = timezone.now() + _backoff(message.attempts)
                    log.warning("Outbox message %s failed, will retry: %s", message.uuid, type(exc).__name__)
            else:
                sent += 1
                message.status = OutboxStatus.SENT
                message.sent_at = timezone.now()
                message.last_error = ""
            message.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at", "updated_at"])
    return sent, failed


# --- calendar feeds -------------------------------------------------------------------------


def hash_token(token: str) -> str:
    """The SHA-256 hash under which a feed secret is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _own_key_person(actor: User):  # type: ignore[no-untyped-def]
    kp = getattr(actor, "key_person", None) if getattr(actor, "is_authenticated", False) else None
    if kp is None:
        raise NotAllowed(_("Only a key person can have a calendar link."))
    return kp


@transaction.atomic
def create_or_renew_calendar_feed(*, actor: User) -> str:
    """Give the key person a new secret feed URL; an earlier URL stops working.

    Returns the URL path with the secret. It is shown once and never stored: only its hash is.
    """
    kp = _own_key_person(actor)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        key_person=kp, defaults={"token_hash": hash_token(token), "created_at": clock.now(), "revoked_at": None}
    )
    processing.record(processing.UPDATE, [kp], activity="deployment", actor=actor)
    return reverse("notifications:calendar_feed", kwargs={"token": token})


@transaction.atomic
def revoke_calendar_feed(*, actor: User) -> None:
    """Stop the key person's feed: the URL gives 'not found' from now on."""
    kp = _own_key_person(actor)
    CalendarFeed.objects.filter(key_person=kp, revoked_at__isnull=True).update(revoked_at=clock.now())
    processing.record(processing.UPDATE, [kp], activity="deployment", actor=actor)
