"""Admin: the outbox, to see what was sent and what failed."""

from __future__ import annotations

from django.contrib import admin

from sleutelnet.core.admin import ReadOnlyAdmin
from sleutelnet.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["to_email", "subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to_email", "subject"]
