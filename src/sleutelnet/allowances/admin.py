"""Admin: each region's allowance rates and its own bank account; the tax-free limits (national
rows only by a superuser). Claims, statements and account numbers of key persons are not here:
they are personal data, reached only through the scoped and logged pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest

from sleutelnet.allowances.models import AllowanceLimit, AllowanceRate, PaymentSettings
from sleutelnet.core.admin_site import RegionScopedAdmin, admin_region_ids


@admin.register(AllowanceRate)
class AllowanceRateAdmin(RegionScopedAdmin):
    list_display = ["region", "valid_from", "per_hour", "per_km"]
    list_filter = ["region"]


@admin.register(AllowanceLimit)
class AllowanceLimitAdmin(RegionScopedAdmin):
    """A region's own limits, and the national ones, which every administrator sees and a superuser keeps."""

    list_display = ["valid_from", "valid_until", "per_hour_adult", "per_hour_young", "per_month", "per_year", "region"]

    def scope(self, request: HttpRequest) -> Q:
        return Q(region_id__in=admin_region_ids(request)) | Q(region__isnull=True)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.region_id is None and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)


@admin.register(PaymentSettings)
class PaymentSettingsAdmin(RegionScopedAdmin):
    """The account the region pays the allowances from: the debtor of the SEPA transfer."""

    list_display = ["region", "debtor_name", "iban", "bic"]
