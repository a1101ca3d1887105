"""Admin: requests, assignments and reports read-only (their changes go through the workflow services)."""

from __future__ import annotations

from django.contrib import admin

from sleutelnet.core.admin import ReadOnlyAdmin
from sleutelnet.deployments.models import ActivityReport, Assignment, Request


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "status", "organisation", "municipality", "starts_at"]
    list_filter = ["region", "status", "kind"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["request", "key_person", "status", "offered_at"]
    list_filter = ["status"]


@admin.register(ActivityReport)
class ActivityReportAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "date", "hours", "participants"]
