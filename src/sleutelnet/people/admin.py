"""Admin: vocabularies are editable data; key persons and newcomers are shown read-only."""

from __future__ import annotations

from django.contrib import admin

from sleutelnet.core.admin import ReadOnlyAdmin
from sleutelnet.people.models import KeyPerson, KeyPersonRole, Language, LifeDomain, Newcomer


@admin.register(KeyPersonRole, LifeDomain)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "position", "valid_from", "valid_until"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "variant", "name", "native_name", "direction"]
    search_fields = ["code", "name"]


@admin.register(KeyPerson)
class KeyPersonAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "status", "region", "vog_valid_until"]
    list_filter = ["region", "status"]
    search_fields = ["full_name"]


@admin.register(Newcomer)
class NewcomerAdmin(ReadOnlyAdmin):
    list_display = ["reference", "municipality", "learning_route"]
    list_filter = ["region"]
    search_fields = ["reference"]
