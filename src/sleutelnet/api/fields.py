"""Serializer fields for the API: strict JSON types and references by public identifiers.

JSON clients should send the type the schema says: a string where text is asked, a number
where a number is asked, true/false for booleans. DRF is lenient by default ("12" for 12,
"yes" for true); these fields refuse that, so a client learns about its mistake at once.

Related objects are referenced by what the outside world knows them by: a language by its
tag ("ti", "ar-syrian"), a municipality by its CBS code ("GM0222"), roles and life domains
by their code, everything else by UUID. Lookups of scoped records go through the selectors.
"""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Callable
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sleutelnet.core.selectors import municipalities_for
from sleutelnet.people.models import Language


class StrictCharField(serializers.CharField):
    """Text; numbers, booleans, lists and objects are refused."""

    default_error_messages = {"invalid": _("Give text (a string).")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class MomentField(serializers.DateTimeField):
    """A moment a database can store: years 1900 to 2200 and a UTC offset within 14 hours."""

    def to_internal_value(self, value: Any) -> Any:
        import datetime as dt

        moment = super().to_internal_value(value)
        offset = moment.utcoffset() or dt.timedelta(0)
        if not 1900 <= moment.year <= 2200 or abs(offset) > dt.timedelta(hours=14):
            raise serializers.ValidationError(_("Give a date and time between the years 1900 and 2200."), code="invalid")
        return moment


class StrictEmailField(serializers.EmailField):
    """An e-mail address, as a string."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    """A whole number; strings ("12"), booleans and fractions are refused."""

    default_error_messages = {"invalid": _("Give a whole number.")}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDecimalField(serializers.DecimalField):
    """A number in JSON (read and written as a number, not as a string)."""

    default_error_messages = {"invalid": _("Give a number, e.g. 2.5.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("coerce_to_string", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any):  # type: ignore[no-untyped-def]
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false, nothing else."""

    default_error_messages = {"invalid": _("Give true or false.")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictChoiceField(serializers.ChoiceField):
    """One of a fixed list; the value must have the type of the choices (no "2" for 2)."""

    def to_internal_value(self, data: Any) -> Any:
        if data == "" and self.allow_blank:
            return ""
        wants_int = any(isinstance(key, int) for key in self.choices)
        if wants_int and (isinstance(data, bool) or not isinstance(data, int)):
            self.fail("invalid_choice", input=_short(data))
        if not wants_int and not isinstance(data, str):
            self.fail("invalid_choice", input=_short(data))
        return super().to_internal_value(data)


def _storable(text: str) -> bool:
    """No NUL (PostgreSQL refuses it) and no lone surrogate (not encodable) in a lookup key."""
    return "\x00" not in text and not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def _short(value: Any, limit: int = 40) -> str:
    """A value as text for an error message, cut short (never echo 10,000 characters back)."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


class _LookupField(serializers.Field):
    """A reference to a related object by a string key; subclasses say how to look it up."""

    default_error_messages = {
        "invalid": _("Give the identifier as a string."),
        "does_not_exist": _("Unknown value: %(value)s."),
    }

    def lookup(self, value: str) -> Model | None:  # pragma: no cover - every subclass defines it
        raise TypeError(f"{type(self).__name__} must define lookup()")

    def key_of(self, obj: Model) -> str:  # pragma: no cover - every subclass defines it
        raise TypeError(f"{type(self).__name__} must define key_of()")

    def to_internal_value(self, data: Any) -> Model:
        if not isinstance(data, str) or not data.strip() or not _storable(data):
            self.fail("invalid")
        value = data.strip()
        obj = self.lookup(value) if len(value) <= 100 else None
        if obj is None:
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"value": _short(value)},
                code="does_not_exist",
            )
        return obj

    def to_representation(self, value: Model) -> str:
        return self.key_of(value)

    def _user(self):  # type: ignore[no-untyped-def]
        request = self.context.get("request")
        return getattr(request, "user", None)


@extend_schema_field(
    {
        "type": "string",
        "example": "ar-syrian",
        "description": "Language tag: code, or code-variant.",
    }
)
class LanguageTagField(_LookupField):
    """A language by its tag: "ti", "ar" or "ar-syrian"."""

    default_error_messages = {
        "does_not_exist": _("Unknown language: %(value)s. See /api/v1/languages.")
    }

    def lookup(self, value: str) -> Language | None:
        code, _sep, variant = value.partition("-")
        return Language.objects.filter(code=code, variant=variant).first()

    def key_of(self, obj: Model) -> str:
        return obj.tag  # type: ignore[attr-defined,no-any-return]


@extend_schema_field(
    {"type": "string", "example": "GM0222", "description": "CBS code of a municipality."}
)
class MunicipalityField(_LookupField):
    """A municipality of the user's regions, by CBS code ("GM0222")."""

    default_error_messages = {
        "does_not_exist": _("Unknown municipality: %(value)s. See /api/v1/municipalities.")
    }

    def lookup(self, value: str) -> Model | None:
        return municipalities_for(self._user()).filter(cbs_code=value.upper()).first()

    def key_of(self, obj: Model) -> str:
        return obj.cbs_code  # type: ignore[attr-defined,no-any-return]


@extend_schema_field({"type": "string", "description": "Code of a vocabulary term."})
class CodeField(_LookupField):
    """A term of a vocabulary (role, life domain) by its code; only terms valid today."""

    def __init__(self, model: type[Model], **kwargs: Any) -> None:
        self.model = model
        super().__init__(**kwargs)

    def lookup(self, value: str) -> Model | None:
        today = timezone.localdate()
        return (
            self.model.objects.filter(code=value, valid_from__lte=today)  # type: ignore[attr-defined]
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .first()
        )

    def key_of(self, obj: Model) -> str:
        return obj.code  # type: ignore[attr-defined,no-any-return]


@extend_schema_field(OpenApiTypes.UUID)
class UUIDRefField(_LookupField):
    """A record by UUID, looked up in what a selector lets the user see (so foreign = unknown)."""

    default_error_messages = {
        "invalid": _("Give a UUID as a string."),
        "does_not_exist": _("Unknown or inaccessible: %(value)s."),
    }

    def __init__(self, selector: Callable[[Any], QuerySet[Any]], **kwargs: Any) -> None:
        self.selector = selector
        super().__init__(**kwargs)

    def lookup(self, value: str) -> Model | None:
        try:
            key = uuid_lib.UUID(value)
        except ValueError:
            return None
        return self.selector(self._user()).filter(uuid=key).first()

    def to_internal_value(self, data: Any) -> Model:
        if isinstance(data, str):
            try:
                uuid_lib.UUID(data.strip())
            except ValueError:
                raise serializers.ValidationError(_("Not a valid UUID."), code="invalid") from None
        return super().to_internal_value(data)

    def key_of(self, obj: Model) -> str:
        return str(obj.uuid)  # type: ignore[attr-defined]


class RefListField(serializers.ListField):
    """A list (of references); errors name the position of the bad item. Reads related managers."""

    def to_representation(self, data: Any) -> list[Any]:
        if hasattr(data, "all"):
            data = data.all()
        return super().to_representation(data)


def ref_list(child: serializers.Field, *, max_length: int = 50, **kwargs: Any) -> RefListField:
    """A list field with a ceiling on its length (no 10,000-item lists)."""
    return RefListField(child=child, max_length=max_length, **kwargs)
