"""The admin: accounts, roles and reference data, for administrators of a region only.

It holds no personal data of newcomers or key persons and no workflow records: those are
reached only through the scoped and logged pages and API. An administrator sees the regions,
municipalities, organisations, memberships and users of their own regions; a foreign record
is not found (404), as everywhere else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Role
from sleutelnet.core.selectors import has_role, region_ids


class SleutelnetAdminSite(admin.AdminSite):
    site_header = _("Sleutelnet administration")
    site_title = _("Sleutelnet administration")
    index_title = _("Accounts, roles and reference data")

    def has_permission(self, request: HttpRequest) -> bool:
        """Active staff accounts with the administrator role, after the second factor."""
        user = request.user
        verified = getattr(user, "is_verified", None)
        return bool(
            user.is_active
            and user.is_staff
            and has_role(user, Role.ADMINISTRATOR)  # type: ignore[arg-type]
            and (verified() if callable(verified) else True)
        )


def admin_region_ids(request: HttpRequest) -> set[int]:
    """The regions the signed-in administrator administers."""
    return region_ids(request.user, Role.ADMINISTRATOR)  # type: ignore[arg-type]


class RegionScopedAdmin(admin.ModelAdmin):
    """Shows only records of the administrator's regions; another region's record is a 404.

    `region_lookup` is the path from the model to its region id ("id" for the region itself).
    """

    region_lookup = "region_id"

    # The administrator role is the permission here (Django's per-model permissions are not used).
    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.admin_site.has_permission(request)

    def scope(self, request: HttpRequest) -> Q:
        return Q(**{f"{self.region_lookup}__in": admin_region_ids(request)})

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(self.scope(request)).distinct()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        from sleutelnet.core.models import Municipality, Organisation, Region

        regions = admin_region_ids(request)
        if db_field.related_model is Region:
            kwargs["queryset"] = Region.objects.filter(id__in=regions)
        elif db_field.related_model in (Municipality, Organisation):
            kwargs["queryset"] = db_field.related_model.objects.filter(region_id__in=regions)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, object_id: str) -> Any:
        raise Http404  # a record of another region does not exist for this administrator


class ReferenceDataAdmin(admin.ModelAdmin):
    """Vocabularies shared by every region: only a platform superuser changes them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def has_module_permission(self, request: HttpRequest) -> bool:
        return True
