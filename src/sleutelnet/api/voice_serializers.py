"""Serializers of the voice loop in API v1: signals and consultations (the same rules as the pages)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from sleutelnet.api import fields as f
from sleutelnet.api.serializers import StrictSerializer, _optional_text, _text
from sleutelnet.core.models import Municipality, Organisation, Role, User
from sleutelnet.core.selectors import organisation_ids, region_ids
from sleutelnet.people.models import KeyPerson, KeyPersonRole, LifeDomain
from sleutelnet.voice.models import (
    Adoption,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    PeopleAffected,
    Signal,
    SignalStatus,
    SignalUrgency,
)
from sleutelnet.voice.services import AdvicePointData, ConsultationData, SignalData


def _region_organisations(user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(region_id__in=region_ids(user))


def _region_policy_officers(user: User) -> QuerySet[User]:
    return User.objects.filter(memberships__role=Role.POLICY_OFFICER, memberships__region_id__in=region_ids(user)).distinct()


def _region_signals(user: User) -> QuerySet[Signal]:
    return Signal.objects.filter(region_id__in=region_ids(user, Role.COORDINATOR))


def _region_key_persons(user: User) -> QuerySet[KeyPerson]:
    return KeyPerson.objects.filter(region_id__in=region_ids(user, Role.POLICY_OFFICER, Role.COORDINATOR))


class SignalSerializer(StrictSerializer):
    """A signal (signaal): what is noticed in a community, about a group, never a named person.

    Created by key persons and coordinators (POST /signals); the steps are sub-resources.
    The owner never sees who raised it.
    """

    uuid = serializers.UUIDField(read_only=True)
    theme = _text(200)
    description = _text(4000)
    community = _text(200)
    language = f.LanguageTagField(required=False, allow_null=True, default=None)
    municipality = f.MunicipalityField()
    life_domains = f.ref_list(f.CodeField(LifeDomain), required=False, default=list)
    people_affected = f.StrictChoiceField(choices=PeopleAffected.choices)
    urgency = f.StrictChoiceField(choices=SignalUrgency.choices, required=False, default=SignalUrgency.NORMAL)
    distressing = serializers.BooleanField(
        required=False, default=False, write_only=True,
        help_text="It weighs on who raises it: the coordinator sees a call-me flag (nobody else does).",
    )
    status = serializers.ChoiceField(choices=SignalStatus.choices, read_only=True)
    merged_into = serializers.SerializerMethodField(help_text="The signal this one was merged into, if any.")
    deadline = serializers.DateField(read_only=True, allow_null=True)
    answer = serializers.CharField(read_only=True)
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True)
    published = serializers.BooleanField(read_only=True)
    reopened = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_merged_into(self, obj: Signal) -> str | None:
        return str(obj.merged_into.uuid) if obj.merged_into_id else None  # type: ignore[union-attr]

    def signal_data(self) -> SignalData:
        d = self.validated_data
        return SignalData(
            theme=d["theme"], description=d["description"], community=d["community"], municipality=d["municipality"],
            people_affected=d["people_affected"], urgency=d["urgency"], life_domains=list(d["life_domains"]),
            language=d.get("language"), distressing=d["distressing"],
        )


class MergeSerializer(StrictSerializer):
    into = f.UUIDRefField(_region_signals, help_text="The signal of the same region to merge this one into.")


class RouteSerializer(StrictSerializer):
    """Give one owner: a policy officer (`ownerUser`, the user's UUID) or an organisation (`ownerOrganisation`)."""

    owner_user = f.UUIDRefField(_region_policy_officers, required=False, allow_null=True, default=None)
    owner_organisation = f.UUIDRefField(_region_organisations, required=False, allow_null=True, default=None)
    deadline = serializers.DateField()


class AnswerSerializer(StrictSerializer):
    answer = _text(4000)
    publish = serializers.BooleanField(required=False, default=False, help_text="Show it on 'You said, we did'.")


class ReasonSerializer(StrictSerializer):
    reason = _text(2000)


class AdvicePointSerializer(StrictSerializer):
    text = _text(1000)
    adoption = f.StrictChoiceField(choices=Adoption.choices)
    change = _optional_text(2000)


class AnswerItemSerializer(StrictSerializer):
    paragraph = f.StrictIntegerField(min_value=0, max_value=200, required=False, allow_null=True, default=None, help_text="Null: on the whole.")
    text = _text(4000)


class ConsultationSerializer(StrictSerializer):
    """A consultation (adviesvraag): a question or a draft text for key persons, in writing or at a
    sounding-board meeting. Askers see all advice (a partner organisation without names); a key
    person sees the question, the draft, their own advice and, once shared, the outcome."""

    uuid = serializers.UUIDField(read_only=True)
    kind = f.StrictChoiceField(choices=ConsultationKind.choices, required=False, default=ConsultationKind.WRITTEN)
    title = _text(200)
    question = _text(4000)
    draft_text = _optional_text(20000)
    paragraphs = serializers.SerializerMethodField()
    deadline = serializers.DateField()
    languages = f.ref_list(f.LanguageTagField(), required=False, default=list)
    roles = f.ref_list(f.CodeField(KeyPersonRole), required=False, default=list)
    key_persons = f.ref_list(f.UUIDRefField(_region_key_persons), required=False, default=list, help_text="Policy officers only.")
    organisation = f.UUIDRefField(
        lambda user: Organisation.objects.filter(id__in=organisation_ids(user)),
        required=False, allow_null=True, default=None, help_text="A partner organisation asks for itself (requesters).",
    )
    meeting_at = f.MomentField(required=False, allow_null=True, default=None)
    meeting_place = _optional_text(200)
    status = serializers.ChoiceField(choices=ConsultationStatus.choices, read_only=True)
    advice = serializers.SerializerMethodField()
    summary = serializers.CharField(read_only=True)
    advice_points = serializers.SerializerMethodField()
    revised_text = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def get_paragraphs(self, obj: Consultation) -> list[str]:
        return obj.paragraphs()

    def _viewer(self) -> Any:
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_advice(self, obj: Consultation) -> list[dict[str, Any]]:
        user = self._viewer()
        answers = list(obj.answers.all())  # prefetched with their key persons by the view
        asker_side = obj.asked_by_id == getattr(user, "pk", None) or bool(region_ids(user, Role.COORDINATOR, Role.POLICY_OFFICER) & {obj.region_id})
        if not asker_side:
            kp = getattr(user, "key_person", None)
            answers = [a for a in answers if kp is not None and a.key_person_id == kp.pk]
        names = asker_side and obj.organisation_id is None
        return [
            {"paragraph": a.paragraph, "text": a.text, "hours": float(a.hours), "keyPerson": a.key_person.full_name if names and a.key_person else None}
            for a in answers
        ]

    def get_advice_points(self, obj: Consultation) -> list[dict[str, Any]]:
        if obj.status != ConsultationStatus.PUBLISHED:
            return []
        return [{"text": p.text, "adoption": p.adoption, "change": p.change} for p in obj.advice_points.all()]

    def to_representation(self, instance: Consultation) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["languages"] = [lang.code for lang in instance.languages.all()]
        data["roles"] = [r.code for r in instance.roles.all()]
        user = self._viewer()
        own_region = bool(region_ids(user, Role.POLICY_OFFICER) & {instance.region_id}) and instance.organisation_id is None
        data["key_persons"] = [str(kp.uuid) for kp in instance.key_persons.all()] if own_region else []
        data["organisation"] = str(instance.organisation.uuid) if instance.organisation_id else None  # type: ignore[union-attr]
        return data

    def consultation_data(self) -> ConsultationData:
        d = self.validated_data
        return ConsultationData(
            title=d["title"], question=d["question"], deadline=d["deadline"], kind=d["kind"], draft_text=d["draft_text"],
            languages=list(d["languages"]), roles=list(d["roles"]), key_persons=list(d["key_persons"]),
            meeting_at=d.get("meeting_at"), meeting_place=d["meeting_place"], organisation=d.get("organisation"),
        )


class ConsultationAnswerSerializer(StrictSerializer):
    answers = serializers.ListField(child=AnswerItemSerializer(), min_length=1, max_length=50)
    hours = f.StrictDecimalField(max_digits=3, decimal_places=1, min_value=0, max_value=12, required=False, default=0)


class MeetingSerializer(StrictSerializer):
    attendees = f.ref_list(f.UUIDRefField(_region_key_persons))
    minutes = _text(20000)
    hours = f.StrictDecimalField(max_digits=3, decimal_places=1, min_value=0, max_value=12)


class OutcomeSerializer(StrictSerializer):
    summary = _text(8000)
    points = serializers.ListField(child=AdvicePointSerializer(), min_length=1, max_length=50)
    revised_text = _optional_text(20000)

    def points_data(self) -> list[AdvicePointData]:
        return [AdvicePointData(p["text"], p["adoption"], p.get("change", "")) for p in self.validated_data["points"]]


__all__ = [
    "AnswerSerializer", "ConsultationAnswerSerializer", "ConsultationSerializer", "MeetingSerializer", "MergeSerializer",
    "Municipality", "OutcomeSerializer", "ReasonSerializer", "RouteSerializer", "SignalSerializer",
]
