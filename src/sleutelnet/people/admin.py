"""Admin: the vocabularies (shared reference data). Key persons and newcomers are not in the
admin: they are reached only through the scoped and logged pages and API."""

from __future__ import annotations

from django.contrib import admin

from sleutelnet.core.admin_site import ReferenceDataAdmin
from sleutelnet.people.models import KeyPersonRole, Language, LifeDomain


@admin.register(KeyPersonRole, LifeDomain)
class VocabularyAdmin(ReferenceDataAdmin):
    list_display = ["code", "label", "position", "valid_from", "valid_until"]


@admin.register(Language)
class LanguageAdmin(ReferenceDataAdmin):
    list_display = ["code", "variant", "name", "native_name", "direction"]
    search_fields = ["code", "name"]
