"""Reads of imports: a coordinator sees the imports of their regions."""

from __future__ import annotations

from django.db.models import QuerySet

from sleutelnet.core.models import Role, User
from sleutelnet.core.selectors import region_ids
from sleutelnet.imports.models import ImportBatch


def imports_for(user: User) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(region_id__in=region_ids(user, Role.COORDINATOR)).defer("content").order_by("-created_at", "-id")
