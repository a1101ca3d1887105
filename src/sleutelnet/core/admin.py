"""Admin for accounts, roles and the region's organisations (administrators of a region)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sleutelnet.core.admin_site import RegionScopedAdmin, admin_region_ids
from sleutelnet.core.models import Membership, Municipality, Organisation, Region, User


class MunicipalityInline(admin.TabularInline):
    model = Municipality
    extra = 0


@admin.register(Region)
class RegionAdmin(RegionScopedAdmin):
    region_lookup = "id"
    list_display = ["name", "uuid"]
    inlines = [MunicipalityInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)  # a new tenant is a platform decision

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(Municipality)
class MunicipalityAdmin(RegionScopedAdmin):
    list_display = ["name", "cbs_code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "cbs_code"]


@admin.register(Organisation)
class OrganisationAdmin(RegionScopedAdmin):
    list_display = ["name", "kind", "municipality", "region"]
    list_filter = ["region", "kind"]
    search_fields = ["name"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(region_id__in=admin_region_ids(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Region:
            kwargs["queryset"] = Region.objects.filter(id__in=admin_region_ids(request))
        elif db_field.related_model is Organisation:
            kwargs["queryset"] = Organisation.objects.filter(region_id__in=admin_region_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(User)
class UserAdmin(RegionScopedAdmin, DjangoUserAdmin):
    """Accounts with a role in the administrator's regions, and new accounts without a role yet."""

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Sleutelnet", {"fields": ("preferred_language",)}))  # type: ignore[operator]

    actions = ["reset_second_factor"]

    def scope(self, request: HttpRequest) -> Q:
        return Q(memberships__region_id__in=admin_region_ids(request)) | Q(memberships__isnull=True)

    @admin.action(description=_("Reset the second factor (lost phone): set it up again at the next sign-in"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        from sleutelnet.accounts.services import reset_second_factor

        for user in queryset:
            reset_second_factor(actor=request.user, user=user)  # type: ignore[arg-type]
        self.message_user(request, _("The second factor was reset for %(n)d accounts.") % {"n": queryset.count()})

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:  # only the platform grants platform rights
            fields += ["is_superuser", "user_permissions", "groups"]
        return fields


@admin.register(Membership)
class MembershipAdmin(RegionScopedAdmin):
    list_display = ["user", "role", "region", "organisation"]
    list_filter = ["region", "role"]
    search_fields = ["user__username", "user__last_name"]



# Roles are memberships (core.models.Membership), not Django groups. Second-factor devices hold
# secrets and sign-in attempts name users across regions: neither belongs in a regional admin
# (a user's second factor is reset with the action on the user instead).
from django.contrib.auth.models import Group  # noqa: E402

for _model in [Group, *(m for m in list(admin.site._registry) if m._meta.app_label in ("axes", "otp_totp", "otp_static", "otp_email"))]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
