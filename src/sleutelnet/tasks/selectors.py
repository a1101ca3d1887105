"""Reads of background tasks: a user only ever sees their own."""

from __future__ import annotations

from django.db.models import QuerySet

from sleutelnet.core.models import User
from sleutelnet.tasks.models import Task


def tasks_for(user: User) -> QuerySet[Task]:
    """The user's own tasks, newest first, without the file (loaded only for the download)."""
    return Task.objects.filter(owner=user).defer("result_file", "arguments").order_by("-created_at", "-id")
