"""Serializers: they parse and check the *shape* of input and build the services' dataclasses.

No business rule lives here (that is the services' job, which raise DomainError). What is
checked here: JSON types, lengths and ranges of the database columns, required fields,
references that resolve (through the selectors, so another region's records are unknown),
and that no unknown, read-only or role-forbidden field is sent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db.models.manager import BaseManager
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from sleutelnet.api import fields as f
from sleutelnet.core.models import Municipality, Organisation, Role
from sleutelnet.core.selectors import has_role, organisation_ids, organisations_for, regions_for
from sleutelnet.deployments.models import (
    ActivityReport,
    Assignment,
    AssignmentStatus,
    ChainLink,
    DeclineReason,
    ReportFollowUp,
    ReportOutcome,
    Request,
    RequestKind,
    RequestStatus,
    Urgency,
)
from sleutelnet.deployments.selectors import (
    attach_vocabulary_codes,
    confirmed_assignments_of,
    newcomer_for_key_person,
    requests_for,
)
from sleutelnet.deployments.services import ReportData, RequestData
from sleutelnet.people.models import (
    ConsentMethod,
    ConsentPurpose,
    DutchLevel,
    Gender,
    KeyPerson,
    KeyPersonRole,
    KeyPersonStatus,
    Language,
    LearningRoute,
    LifeDomain,
    Newcomer,
    Weekday,
)
from sleutelnet.people.selectors import key_persons_for, newcomer_by_reference, newcomers_for
from sleutelnet.people.services import ConsentData, KeyPersonData, NewcomerData

# --- base -----------------------------------------------------------------------------------


class StrictSerializer(serializers.Serializer):
    """Refuses unknown, read-only and role-forbidden fields, reported with all other errors at once.

    `context["refused_fields"]` names fields that exist but that this user may not set here.
    """

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF's "expected an object" error
        refused = set(self.context.get("refused_fields", ())) if self.parent is None else set()
        errors: dict[str, list[ErrorDetail]] = {}
        for key in data:
            name = str(key)
            field = self.fields.get(name)
            if name in refused:
                errors[name] = [
                    ErrorDetail(gettext("You may not set this field."), code="not_allowed")
                ]
            elif field is None:
                errors[name] = [ErrorDetail(gettext("Unknown field."), code="unknown_field")]
            elif field.read_only:
                errors[name] = [ErrorDetail(gettext("This field is read-only."), code="read_only")]
        if self.parent is not None:
            # An item of a list is always whole, also in a PATCH (DRF would skip its required fields).
            for name, field in self.fields.items():
                if field.required and not field.read_only and name not in data:
                    errors[name] = [ErrorDetail(field.error_messages["required"], code="required")]
        clean = {k: v for k, v in data.items() if str(k) not in errors}
        try:
            value = super().to_internal_value(clean)
        except serializers.ValidationError as exc:
            detail = (
                exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
            )
            raise serializers.ValidationError({**detail, **errors}) from None
        if errors:
            raise serializers.ValidationError(errors)
        return value

    # The API never saves through serializers: views call the services.
    def create(self, validated_data: Any) -> Any:  # pragma: no cover
        raise TypeError("The API saves through the services, never through a serializer.")

    def update(self, instance: Any, validated_data: Any) -> Any:  # pragma: no cover
        raise TypeError("The API saves through the services, never through a serializer.")

    @property
    def user(self):  # type: ignore[no-untyped-def]
        return self.context["request"].user


def _text(max_length: int, **kwargs: Any) -> f.StrictCharField:
    return f.StrictCharField(max_length=max_length, **kwargs)


def _optional_text(max_length: int, **kwargs: Any) -> f.StrictCharField:
    return f.StrictCharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


def _merge(dataclass_type: type, current: dict[str, Any], validated: Mapping[str, Any]) -> Any:
    """A services' dataclass from the record's current values, overlaid with the validated input."""
    names = {fl.name for fl in dataclasses.fields(dataclass_type)}
    values = {k: v for k, v in current.items() if k in names}
    values.update({k: v for k, v in validated.items() if k in names})
    return dataclass_type(**values)


class KeyPersonRefSerializer(serializers.Serializer):
    """A key person in a response: UUID (null for requesters) and name."""

    uuid = serializers.UUIDField(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)


# --- vocabularies and organisations (read only) -------------------------------------------


class LanguageSerializer(serializers.ModelSerializer):
    """A language (taal); its `tag` is how the API refers to it (code, or code-variant)."""

    tag = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = Language
        fields = ["tag", "code", "variant", "name", "native_name", "direction"]

    def get_name(self, obj: Language) -> str:
        return gettext(obj.name)


class VocabularyTermSerializer(serializers.Serializer):
    """A term of a fixed vocabulary: a code the API uses, and a label in the user's language."""

    code = serializers.CharField(read_only=True)
    label = serializers.SerializerMethodField()
    valid_from = serializers.DateField(read_only=True)
    valid_until = serializers.DateField(read_only=True, allow_null=True)

    def get_label(self, obj: Any) -> str:
        return gettext(obj.label)


class KeyPersonRoleSerializer(VocabularyTermSerializer):
    """One of the seven roles of a key person (rol), e.g. `translator` or `trust_builder`."""


class LifeDomainSerializer(VocabularyTermSerializer):
    """A life domain (leefgebied), e.g. `health` or `housing`."""


class MunicipalitySerializer(serializers.ModelSerializer):
    """A municipality (gemeente), referred to by its CBS code."""

    class Meta:
        model = Municipality
        fields = ["uuid", "name", "cbs_code"]


class OrganisationSerializer(serializers.ModelSerializer):
    """An organisation (ketenpartner or municipal department) that files requests."""

    municipality = serializers.SlugRelatedField(
        slug_field="cbs_code", read_only=True, allow_null=True
    )

    class Meta:
        model = Organisation
        fields = ["uuid", "name", "kind", "municipality"]


# --- key persons --------------------------------------------------------------------------


class KeyPersonLanguageSerializer(StrictSerializer):
    """A language a key person speaks, with a level from 1 (a little) to 5 (native)."""

    language = f.LanguageTagField()
    level = f.StrictIntegerField(min_value=1, max_value=5)


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "example": "09:30"})
class HourMinuteField(serializers.TimeField):
    """A local time of day as HH:MM (seconds are accepted on input, never sent)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class AvailabilitySlotSerializer(StrictSerializer):
    """A weekly time slot: weekday 0 (Monday) to 6 (Sunday), local times."""

    weekday = f.StrictChoiceField(choices=Weekday.choices)
    start_time = HourMinuteField()
    end_time = HourMinuteField()


class KeyPersonSerializer(StrictSerializer):
    """A key person (sleutelpersoon): trusted in their community, bridges newcomers and institutions.

    Coordinators register and update key persons. A key person may read their own record and
    change only `phone`, `email`, `uiLanguage` and `availability`.
    """

    uuid = serializers.UUIDField(read_only=True)
    region = f.UUIDRefField(
        regions_for,
        required=False,
        help_text="Only needed when you coordinate more than one region.",
    )
    full_name = _text(200)
    status = f.StrictChoiceField(choices=KeyPersonStatus.choices, default=KeyPersonStatus.CANDIDATE)
    email = f.StrictEmailField(max_length=254, required=False, allow_blank=True, default="")
    phone = _optional_text(32)
    ui_language = f.StrictChoiceField(choices=settings.LANGUAGES, default="nl")
    communication_language = f.LanguageTagField(required=False, allow_null=True, default=None)
    languages = f.ref_list(
        KeyPersonLanguageSerializer(), max_length=20, required=False, default=list
    )
    roles = f.ref_list(f.CodeField(KeyPersonRole), required=False, default=list)
    life_domains = f.ref_list(f.CodeField(LifeDomain), required=False, default=list)
    municipalities = f.ref_list(f.MunicipalityField(), max_length=100, required=False, default=list)
    availability = f.ref_list(
        AvailabilitySlotSerializer(), max_length=50, required=False, default=list
    )
    capacity_hours_per_month = f.StrictDecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=200, default=16
    )
    vog_valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    gender = f.StrictChoiceField(
        choices=Gender.choices, required=False, allow_blank=True, default=""
    )
    has_login = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    #: What a key person may change on their own record.
    OWN_PROFILE_FIELDS = ("phone", "email", "ui_language", "availability")

    def get_has_login(self, obj: KeyPerson) -> bool:
        return obj.user_id is not None

    def to_representation(self, instance: KeyPerson) -> dict[str, Any]:
        return {
            "uuid": str(instance.uuid),
            "region": str(instance.region.uuid),
            "full_name": instance.full_name,
            "status": instance.status,
            "email": instance.email,
            "phone": instance.phone,
            "ui_language": instance.ui_language,
            "communication_language": instance.communication_language.tag
            if instance.communication_language
            else None,
            "languages": [
                {"language": kl.language.tag, "level": kl.level} for kl in instance.languages.all()
            ],
            "roles": [r.code for r in instance.roles.all()],
            "life_domains": [d.code for d in instance.life_domains.all()],
            "municipalities": [m.cbs_code for m in instance.municipalities.all()],
            "availability": [
                {
                    "weekday": s.weekday,
                    "start_time": s.start_time.isoformat("minutes"),
                    "end_time": s.end_time.isoformat("minutes"),
                }
                for s in instance.availability.all()
            ],
            "capacity_hours_per_month": float(instance.capacity_hours_per_month),
            "vog_valid_until": instance.vog_valid_until.isoformat()
            if instance.vog_valid_until
            else None,
            "gender": instance.gender,
            "has_login": instance.user_id is not None,
            "created_at": serializers.DateTimeField().to_representation(instance.created_at),
            "updated_at": serializers.DateTimeField().to_representation(instance.updated_at),
        }

    @staticmethod
    def current(kp: KeyPerson) -> dict[str, Any]:
        """The record's values in the shape of KeyPersonData (for PATCH)."""
        return dict(
            full_name=kp.full_name,
            status=kp.status,
            email=kp.email,
            phone=kp.phone,
            ui_language=kp.ui_language,
            communication_language=kp.communication_language,
            languages=[(kl.language, kl.level) for kl in kp.languages.all()],
            roles=list(kp.roles.all()),
            life_domains=list(kp.life_domains.all()),
            municipalities=list(kp.municipalities.all()),
            availability=[(s.weekday, s.start_time, s.end_time) for s in kp.availability.all()],
            capacity_hours_per_month=kp.capacity_hours_per_month,
            vog_valid_until=kp.vog_valid_until,
            gender=kp.gender,
        )

    @staticmethod
    def _shape(validated: Mapping[str, Any]) -> dict[str, Any]:
        values = dict(validated)
        if "languages" in values:
            values["languages"] = [
                (item["language"], item["level"]) for item in values["languages"]
            ]
        if "availability" in values:
            values["availability"] = [
                (item["weekday"], item["start_time"], item["end_time"])
                for item in values["availability"]
            ]
        return values

    def key_person_data(self, instance: KeyPerson | None = None) -> KeyPersonData:
        current = self.current(instance) if instance is not None else {}
        return _merge(KeyPersonData, current, self._shape(self.validated_data))


# --- newcomers ----------------------------------------------------------------------------


class ConsentInputSerializer(StrictSerializer):
    """A consent as the newcomer gave it: recorded with the user who sends it."""

    purpose = f.StrictChoiceField(choices=ConsentPurpose.choices)
    request = f.UUIDRefField(
        requests_for, required=False, allow_null=True, default=None,
        help_text="For `share_contact` only: the one request it is for (leave out: every request).",
    )
    given_on = serializers.DateField()
    method = f.StrictChoiceField(choices=ConsentMethod.choices)
    scope = _text(300, help_text="What it covers, as far as possible in the newcomer's words.")
    text_version = _optional_text(40, help_text="The form or text the newcomer agreed to.")

    def consent_data(self) -> ConsentData:
        return ConsentData(**self.validated_data)


class InitialConsentSerializer(ConsentInputSerializer):
    """The consent to support by a key person, given when the newcomer is registered."""

    purpose = f.StrictChoiceField(choices=ConsentPurpose.choices, default=ConsentPurpose.KEY_PERSON_SUPPORT)


class ConsentSerializer(serializers.Serializer):
    """A recorded consent (toestemming): given, and possibly withdrawn; never deleted."""

    uuid = serializers.UUIDField()
    newcomer = serializers.UUIDField(source="newcomer.uuid")
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    request = serializers.UUIDField(source="request.uuid", allow_null=True, default=None)
    given_on = serializers.DateField()
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    scope = serializers.CharField()
    text_version = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.get_username", allow_null=True, default=None)
    recorded_at = serializers.DateTimeField()
    withdrawn_on = serializers.DateField(allow_null=True)
    withdrawal_note = serializers.CharField()
    is_active = serializers.BooleanField(help_text="Whether it holds today.")


class WithdrawConsentSerializer(StrictSerializer):
    """Record that the newcomer withdrew a consent (from today)."""

    note = _optional_text(500)


class NewcomerSerializer(StrictSerializer):
    """A newcomer (inburgeraar / statushouder), pseudonymous: a reference and a first name, never a BSN.

    Consent is recorded with POST /newcomers/{uuid}/consents and withdrawn with
    POST /consents/{uuid}/withdraw; `consent` may be given once, when registering.
    """

    uuid = serializers.UUIDField(read_only=True)
    reference = _text(40, help_text="A reference chosen by the municipality. Never a BSN.")
    display_name = _text(80)
    municipality = f.MunicipalityField()
    languages = f.ref_list(f.LanguageTagField(), max_length=20, required=False, default=list)
    dutch_level = f.StrictChoiceField(choices=DutchLevel.choices, default=DutchLevel.NONE)
    learning_route = f.StrictChoiceField(
        choices=LearningRoute.choices, default=LearningRoute.UNKNOWN
    )
    phone = _optional_text(32, help_text="Only when the newcomer gave it.")
    email = f.StrictEmailField(max_length=254, required=False, allow_blank=True, default="")
    excluded_key_persons = f.ref_list(
        f.UUIDRefField(key_persons_for),
        max_length=100,
        required=False,
        default=list,
        help_text="UUIDs of key persons of the region who are never offered for this newcomer "
        "(family, neighbours, a conflict). Matching treats them as a hard constraint.",
    )
    consent = InitialConsentSerializer(
        write_only=True, required=False,
        help_text="Only when registering: the consent to support by a key person, if already given.",
    )
    consents = ConsentSerializer(many=True, read_only=True)
    has_consent = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @staticmethod
    def current(nc: Newcomer) -> dict[str, Any]:
        return dict(
            reference=nc.reference,
            display_name=nc.display_name,
            municipality=nc.municipality,
            languages=list(nc.languages.all()),
            dutch_level=nc.dutch_level,
            learning_route=nc.learning_route,
            phone=nc.phone,
            email=nc.email,
            excluded_key_persons=list(nc.excluded_key_persons.all()),
        )

    def newcomer_data(self, instance: Newcomer | None = None) -> NewcomerData:
        current = self.current(instance) if instance is not None else {}
        validated = dict(self.validated_data)
        if "consent" in validated:
            validated["consent"] = ConsentData(**validated["consent"])
        return _merge(NewcomerData, current, validated)


# --- requests -----------------------------------------------------------------------------


class ConfirmedKeyPersonSerializer(serializers.Serializer):
    """A key person who comes: the assignment and the key person's name only."""

    assignment = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


def _codes(r: Request, attr: str, relation: str) -> list[str]:
    """The codes `attach_vocabulary_codes` set on a page's requests, or else from the relation."""
    codes = getattr(r, attr, None)
    return list(codes) if codes is not None else [x.code for x in getattr(r, relation).all()]


class RequestListSerializer(serializers.ListSerializer):
    """A list of requests: the codes of their roles and life domains come in one query per link
    table for the whole page, where the view left out their prefetch (the API list)."""

    def to_representation(self, data: Any) -> list[Any]:
        rows = list(data.all() if isinstance(data, BaseManager) else data)  # as DRF's ListSerializer
        missing = [r for r in rows if isinstance(r, Request) and "roles" not in getattr(r, "_prefetched_objects_cache", {})]
        if missing:
            attach_vocabulary_codes(missing)
        return [self.child.to_representation(r) for r in rows]


class RequestSerializer(StrictSerializer):
    """A request (inzetverzoek): an organisation asks for one or more key persons.

    Requesters file and change requests for their own organisation; coordinators for any
    organisation of their region. `status` only changes through the actions (offer, cancel,
    and the assignments' accept and approve). Refer to a newcomer by `newcomer` (UUID,
    coordinators) or `newcomerReference` (the municipality's reference, requesters).
    """

    uuid = serializers.UUIDField(read_only=True)
    organisation = f.UUIDRefField(
        organisations_for,
        required=False,
        help_text="The organisation that asks. Requesters of one organisation may leave it out.",
    )
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    title = _text(200)
    description = _optional_text(4000)
    kind = f.StrictChoiceField(choices=RequestKind.choices)
    language = f.LanguageTagField()
    roles = f.ref_list(
        f.CodeField(KeyPersonRole),
        help_text="Codes of the roles needed (see /api/v1/key-person-roles).",
    )
    life_domains = f.ref_list(f.CodeField(LifeDomain), required=False, default=list)
    municipality = f.MunicipalityField()
    place = _text(200)
    starts_at = f.MomentField()
    ends_at = f.MomentField()
    chain_link = f.StrictChoiceField(choices=ChainLink.choices)
    key_persons_needed = f.StrictIntegerField(min_value=1, max_value=10, default=1)
    gender_preference = f.StrictChoiceField(
        choices=Gender.choices, required=False, allow_blank=True, default=""
    )
    gender_required = f.StrictBooleanField(default=False)
    requires_vog = f.StrictBooleanField(default=False)
    urgency = f.StrictChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    newcomer = f.UUIDRefField(newcomers_for, required=False, allow_null=True, default=None)
    newcomer_reference = f.StrictCharField(
        max_length=40, required=False, allow_blank=True, allow_null=True
    )
    needs_certified_interpreter = f.StrictBooleanField(default=False)
    participants_expected = f.StrictIntegerField(
        min_value=0, max_value=10000, required=False, allow_null=True, default=None
    )
    status = serializers.ChoiceField(choices=RequestStatus.choices, read_only=True)
    cancel_reason = serializers.CharField(read_only=True)
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False, read_only=True
    )
    confirmed_key_persons = ConfirmedKeyPersonSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    class Meta:
        list_serializer_class = RequestListSerializer

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "newcomer_reference" not in attrs:
            return attrs
        reference = attrs.pop("newcomer_reference")
        if not reference:
            attrs.setdefault("newcomer", None)
            return attrs
        if attrs.get("newcomer") is not None:
            raise serializers.ValidationError(
                {
                    "newcomer_reference": gettext(
                        "Give either newcomer or newcomerReference, not both."
                    )
                }
            )
        newcomer = newcomer_by_reference(self.user, reference)
        if newcomer is None:
            raise serializers.ValidationError(
                {
                    "newcomer_reference": ErrorDetail(
                        gettext("Unknown newcomer reference."), code="does_not_exist"
                    )
                }
            )
        attrs["newcomer"] = newcomer
        self.context["newcomer_by_reference"] = True
        return attrs

    def to_representation(self, instance: Request) -> dict[str, Any]:
        data = self.read(instance) if isinstance(instance, Request) else super().to_representation(instance)
        return self.for_reader(instance, data)

    def read(self, r: Request) -> dict[str, Any]:
        """The readable fields of a request, with the values and in the order DRF's generic loop
        gives them, without that loop: it cost 7 of the 44 ms of CPU of a page of 20 requests on
        the load bench (bench/README.md, seventh round). The choices, the date-times and the hours
        go through their declared fields, so their values are DRF's. tests/api/test_request_read.py compares the
        two for requests of every shape; a field added above and not here fails that test."""
        # The declared fields themselves: `self.fields` would deep-copy all 29 of them first.
        declared = type(self)._declared_fields
        moment, stamp = declared["starts_at"].to_representation, declared["created_at"].to_representation
        choice = {name: declared[name].to_representation for name in ("kind", "chain_link", "gender_preference", "urgency", "status")}
        return {
            "uuid": str(r.uuid),
            "organisation": str(r.organisation.uuid),
            "organisation_name": str(r.organisation.name),
            "title": str(r.title),
            "description": str(r.description),
            "kind": choice["kind"](r.kind),
            "language": r.language.tag,
            "roles": _codes(r, "role_codes", "roles"),
            "life_domains": _codes(r, "life_domain_codes", "life_domains"),
            "municipality": r.municipality.cbs_code,
            "place": str(r.place),
            "starts_at": moment(r.starts_at),
            "ends_at": moment(r.ends_at),
            "chain_link": choice["chain_link"](r.chain_link),
            "key_persons_needed": int(r.key_persons_needed),
            "gender_preference": choice["gender_preference"](r.gender_preference),
            "gender_required": bool(r.gender_required),
            "requires_vog": bool(r.requires_vog),
            "urgency": choice["urgency"](r.urgency),
            "newcomer": str(r.newcomer.uuid) if r.newcomer_id else None,
            "newcomer_reference": None,  # for_reader fills it in, and adds the confirmed key persons
            "needs_certified_interpreter": bool(r.needs_certified_interpreter),
            "participants_expected": None if r.participants_expected is None else int(r.participants_expected),
            "status": choice["status"](r.status),
            "cancel_reason": str(r.cancel_reason),
            "hours": declared["hours"].to_representation(r.hours),
            "created_at": stamp(r.created_at),
            "updated_at": stamp(r.updated_at),
        }

    def for_reader(self, instance: Request, data: dict[str, Any]) -> dict[str, Any]:
        """The parts that depend on who reads: newcomer identifiers for staff only."""
        data["newcomer_reference"] = instance.newcomer.reference if instance.newcomer_id else None
        data["confirmed_key_persons"] = [
            {"assignment": str(a.uuid), "name": a.key_person.full_name}
            for a in confirmed_assignments_of(instance)
        ]
        user = self.context["request"].user
        staff = has_role(
            user, Role.COORDINATOR, instance.region_id
        ) or instance.organisation_id in organisation_ids(user)
        if not staff:  # a key person offered this request: no newcomer identifiers
            data["newcomer"] = None
            data["newcomer_reference"] = None
        return data

    @staticmethod
    def current(req: Request) -> dict[str, Any]:
        names = [fl.name for fl in dataclasses.fields(RequestData)]
        values = {
            name: getattr(req, name) for name in names if name not in ("roles", "life_domains")
        }
        values["roles"] = list(req.roles.all())
        values["life_domains"] = list(req.life_domains.all())
        return values

    def request_data(self, instance: Request | None = None) -> RequestData:
        current = self.current(instance) if instance is not None else {}
        validated = {k: v for k, v in self.validated_data.items() if k != "organisation"}
        return _merge(RequestData, current, validated)


class CancelSerializer(StrictSerializer):
    """Cancel with a reason (told to everyone involved)."""

    reason = _text(500)


class DeclineSerializer(StrictSerializer):
    """Decline an offer with a reason from the short list, or in own words (told to the coordinator).

    `reason` is required when `code` is empty or "other".
    """

    code = f.StrictChoiceField(choices=DeclineReason.choices, required=False, allow_blank=True, default="")
    reason = _optional_text(500)


class ReturnReportSerializer(StrictSerializer):
    """Send a report back to the key person with a comment."""

    comment = _text(1000)


class EmptySerializer(StrictSerializer):
    """No body needed (an empty object, or nothing at all)."""


class OfferSerializer(StrictSerializer):
    """Offer the request to one or more key persons of the region (UUIDs from /candidates)."""

    key_persons = f.ref_list(
        f.UUIDRefField(key_persons_for),
        max_length=20,
        allow_empty=False,
        help_text="UUIDs of key persons.",
    )


class CandidateSerializer(serializers.Serializer):
    """A key person ranked for a request by the matching engine, with the reasons in words."""

    key_person = KeyPersonRefSerializer()
    weight = serializers.FloatField()
    feasible = serializers.BooleanField()
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why this key person fits."
    )
    violations = serializers.ListField(
        child=serializers.CharField(),
        help_text="Hard constraints this key person fails; empty when feasible.",
    )


# --- assignments and reports --------------------------------------------------------------


class RequestSummarySerializer(serializers.Serializer):
    """The request of an assignment, as far as the key person needs it for the agenda."""

    uuid = serializers.UUIDField()
    title = serializers.CharField()
    place = serializers.CharField()
    municipality = serializers.CharField(source="municipality.cbs_code")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)


class NewcomerForKeyPersonSerializer(serializers.Serializer):
    """The newcomer as the key person of an assignment sees them."""

    display_name = serializers.CharField()
    phone = serializers.CharField(help_text="Empty unless shared with consent.")
    email = serializers.CharField(help_text="Empty unless shared with consent.")


def _newcomer_seen(a: Assignment) -> dict[str, str] | None:
    seen = newcomer_for_key_person(a)
    return None if seen is None else {"display_name": seen.display_name, "phone": seen.phone, "email": seen.email}


class AssignmentSerializer(serializers.Serializer):
    """An assignment (inzet): a key person offered to, and then working on, a request.

    Requesters see the assignments on their organisation's requests with the key person's
    name only; the other fields are null for them.
    """

    uuid = serializers.UUIDField()
    request = RequestSummarySerializer()
    key_person = KeyPersonRefSerializer(allow_null=True, help_text="Null once retention or erasure unlinked the person.")
    status = serializers.ChoiceField(choices=AssignmentStatus.choices)
    offered_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    match_reasons = serializers.ListField(child=serializers.CharField(), allow_null=True)
    decline_code = serializers.CharField(allow_null=True, help_text="Reason from the short list (see the decline action).")
    decline_reason = serializers.CharField(allow_null=True)
    cancel_reason = serializers.CharField(allow_null=True)
    review_comment = serializers.CharField(allow_null=True)
    report = serializers.UUIDField(allow_null=True, help_text="The activity report, once filed.")
    newcomer = NewcomerForKeyPersonSerializer(
        allow_null=True,
        help_text="What the key person of this assignment sees of the newcomer: the first name while "
        "the consent holds, contact details only after accepting and with consent to share them. "
        "Null for requesters, and when there is no newcomer or no consent.",
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def to_representation(self, instance: Assignment) -> dict[str, Any]:
        user = self.context["request"].user
        req = instance.request
        kp = getattr(user, "key_person", None)
        full = has_role(user, Role.COORDINATOR, req.region_id) or (
            kp is not None and kp.id == instance.key_person_id
        )
        report = getattr(instance, "report", None)
        dt_field = serializers.DateTimeField()
        return {
            "uuid": str(instance.uuid),
            "request": {
                "uuid": str(req.uuid),
                "title": req.title,
                "place": req.place,
                "municipality": req.municipality.cbs_code,
                "starts_at": dt_field.to_representation(req.starts_at),
                "ends_at": dt_field.to_representation(req.ends_at),
                "status": req.status,
            },
            "key_person": None
            if instance.key_person_id is None
            else {
                "uuid": str(instance.key_person.uuid) if full else None,
                "name": instance.key_person.full_name,
            },
            "status": instance.status,
            "offered_at": dt_field.to_representation(instance.offered_at),
            "responded_at": dt_field.to_representation(instance.responded_at)
            if instance.responded_at
            else None,
            "match_reasons": list(instance.match_reasons) if full else None,
            "decline_code": instance.decline_code if full else None,
            "decline_reason": instance.decline_reason if full else None,
            "cancel_reason": instance.cancel_reason if full else None,
            "review_comment": instance.review_comment if full else None,
            "report": str(report.uuid) if report is not None else None,
            "newcomer": _newcomer_seen(instance) if full else None,
            "created_at": dt_field.to_representation(instance.created_at),
            "updated_at": dt_field.to_representation(instance.updated_at),
        }


class ActivityReportSerializer(StrictSerializer):
    """An activity report (verslag): what happened, the hours, the roles used and who was reached.

    Filed by the key person with POST /assignments/{uuid}/report; a coordinator approves it or
    sends it back. Only approved reports count in the reach figures.
    """

    uuid = serializers.UUIDField(read_only=True)
    assignment = serializers.UUIDField(source="assignment.uuid", read_only=True)
    request = serializers.UUIDField(source="assignment.request.uuid", read_only=True)
    key_person = serializers.SerializerMethodField(help_text="The key person's name; null once unlinked by retention.")
    status = serializers.ChoiceField(
        choices=AssignmentStatus.choices, source="assignment.status", read_only=True
    )
    date = serializers.DateField()
    hours = f.StrictDecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=24)
    roles_used = f.ref_list(f.CodeField(KeyPersonRole))
    life_domains = f.ref_list(f.CodeField(LifeDomain), required=False, default=list)
    languages_used = f.ref_list(f.LanguageTagField(), max_length=20, required=False, default=list)
    participants = f.StrictIntegerField(min_value=0, max_value=10000)
    participants_little_dutch = f.StrictIntegerField(min_value=0, max_value=10000, default=0)
    participants_first_contact = f.StrictIntegerField(min_value=0, max_value=10000, default=0)
    outcome_code = f.StrictChoiceField(choices=ReportOutcome.choices, required=False, allow_blank=True, default="")
    follow_up_code = f.StrictChoiceField(choices=ReportFollowUp.choices, required=False, allow_blank=True, default="")
    outcome = _optional_text(2000)
    follow_up = _optional_text(1000)
    submitted_at = serializers.DateTimeField(read_only=True)
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_key_person(self, obj: ActivityReport) -> str | None:
        kp = obj.assignment.key_person
        return kp.full_name if kp is not None else None

    def report_data(self) -> ReportData:
        return ReportData(**self.validated_data)


# --- reach (aggregates) -------------------------------------------------------------------


class ReachQuerySerializer(StrictSerializer):
    """Query of GET /reach: a period (default the last 90 days) and optionally one municipality."""

    start = serializers.DateField(
        required=False, help_text="First day (default: 90 days before `end`)."
    )
    end = serializers.DateField(required=False, help_text="Last day, inclusive (default: today).")
    municipality = f.MunicipalityField(required=False, help_text="CBS code, e.g. GM0222.")


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "pattern": r"^(<\d+|x)$", "description": "A hidden count: '<5' for 1 to 4, 'x' hidden "
             "so that such a count cannot be worked out (docs/indicators.md)."},
        ]
    }
)
class CountField(serializers.Field):
    """A count of people: a number, or for policy officers "<5" / "x" when it is hidden."""

    def to_representation(self, value: Any) -> int | str:
        return value if isinstance(value, int) else str(value)


class ReachRowSerializer(serializers.Serializer):
    """Reach in one municipality (or the totals, with empty municipality)."""

    municipality = serializers.CharField()
    cbs_code = serializers.CharField()
    reports = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=9, decimal_places=1, coerce_to_string=False)
    participants = CountField()
    little_dutch = CountField(help_text="Participants who speak little Dutch.")
    first_contact = CountField(help_text="Participants reached for the first time.")


class RoleHoursSerializer(serializers.Serializer):
    """Hours per key-person role (a report's hours count for every role it used)."""

    role = serializers.CharField()
    hours = serializers.DecimalField(max_digits=9, decimal_places=1, coerce_to_string=False)


class ReachSerializer(serializers.Serializer):
    """Aggregated reach (bereik) from approved activity reports: no person is ever listed."""

    start = serializers.DateField()
    end = serializers.DateField()
    rows = ReachRowSerializer(many=True)
    totals = ReachRowSerializer()
    hours_by_role = RoleHoursSerializer(many=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return super().to_representation(
            {
                "start": instance.start,
                "end": instance.end,
                "rows": instance.rows,
                "totals": instance.totals,
                "hours_by_role": [
                    {"role": gettext(label), "hours": hours}
                    for label, hours in instance.hours_by_role
                ],
            }
        )


def default_organisation(user: Any) -> Organisation | None:
    """The one organisation a requester files for, when there is exactly one."""
    own = organisation_ids(user)
    return organisations_for(user).filter(id__in=own).first() if len(own) == 1 else None
