"""API v1 for the voice loop: signals and consultations, with the steps as sub-resources.

The same services and selectors as the pages: what a page refuses, the API refuses too.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request as HttpRequest
from rest_framework.response import Response

from sleutelnet.api import voice_serializers as vs
from sleutelnet.api.serializers import EmptySerializer
from sleutelnet.api.views import UUID_PARAM, ApiViewSet
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Role
from sleutelnet.core.selectors import region_ids
from sleutelnet.voice import selectors, services
from sleutelnet.voice.models import ConsultationAnswer

_SIGNAL = {"parameters": [UUID_PARAM], "responses": {200: vs.SignalSerializer}}
_CONSULTATION = {"parameters": [UUID_PARAM], "responses": {200: vs.ConsultationSerializer}}


class SignalViewSet(ApiViewSet):
    """Signals. Key persons: the ones they raised; coordinators: the region's; owners (policy
    officers, partner organisations): the ones routed to them."""

    serializer_class = vs.SignalSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.signals_for(self.request.user).select_related("merged_into", "municipality").prefetch_related("life_domains").order_by("-created_at")  # type: ignore[arg-type]

    def create(self, request: HttpRequest) -> Response:
        body = self.validated(vs.SignalSerializer)
        signal = services.raise_signal(actor=request.user, data=body.signal_data())  # type: ignore[attr-defined,arg-type]
        return self.created(self.reread(signal), "api-signal-detail")

    @extend_schema(summary="Take a signal into triage (coordinator)", request=EmptySerializer, **_SIGNAL)  # type: ignore[arg-type]
    def triage(self, request: HttpRequest, uuid: Any = None) -> Response:
        signal = self.get_object()
        self.validated(EmptySerializer)
        return self.respond(self.reread(services.start_triage(actor=request.user, signal=signal)))  # type: ignore[arg-type]

    @extend_schema(summary="Merge a duplicate into another signal (coordinator)", request=vs.MergeSerializer, **_SIGNAL)  # type: ignore[arg-type]
    def merge(self, request: HttpRequest, uuid: Any = None) -> Response:
        signal = self.get_object()
        body = self.validated(vs.MergeSerializer)
        services.merge_signal(actor=request.user, duplicate=signal, into=body.validated_data["into"])  # type: ignore[arg-type]
        return self.respond(self.reread(signal))

    @extend_schema(summary="Route a signal to an owner with a deadline (coordinator)", request=vs.RouteSerializer, **_SIGNAL)  # type: ignore[arg-type]
    def route(self, request: HttpRequest, uuid: Any = None) -> Response:
        signal = self.get_object()
        d = self.validated(vs.RouteSerializer).validated_data
        services.route_signal(  # type: ignore[misc]
            actor=request.user, signal=signal, deadline=d["deadline"], owner_user=d["owner_user"], owner_organisation=d["owner_organisation"]  # type: ignore[arg-type]
        )
        return self.respond(self.reread(signal))

    @extend_schema(summary="Say you work on a signal (owner)", request=EmptySerializer, **_SIGNAL)  # type: ignore[arg-type]
    def start(self, request: HttpRequest, uuid: Any = None) -> Response:
        signal = self.get_object()
        self.validated(EmptySerializer)
        return self.respond(self.reread(services.start_work(actor=request.user, signal=signal)))  # type: ignore[arg-type]

    @extend_schema(summary="Answer a signal (owner)", request=vs.AnswerSerializer, **_SIGNAL)  # type: ignore[arg-type]
    def answer(self, request: HttpRequest, uuid: Any = None) -> Response:
        signal = self.get_object()
        d = self.validated(vs.AnswerSerializer).validated_data
        services.answer_signal(actor=request.user, signal=signal, answer=d["answer"], publish=d["publish"])  # type: ignore[arg-type]
        return self.respond(self.reread(signal))

    @extend_schema(summary="Say the answer does not answer the signal (who raised it)", request=vs.ReasonSerializer, **_SIGNAL)  # type: ignore[arg-type]
    def reopen(self, request: HttpRequest, uuid: Any = None) -> Response:
        signal = self.get_object()
        d = self.validated(vs.ReasonSerializer).validated_data
        services.reopen_signal(actor=request.user, signal=signal.merged_into or signal, reason=d["reason"])  # type: ignore[arg-type]
        return self.respond(self.reread(signal))

    @extend_schema(summary="Close a signal (coordinator)", request=EmptySerializer, **_SIGNAL)  # type: ignore[arg-type]
    def close(self, request: HttpRequest, uuid: Any = None) -> Response:
        signal = self.get_object()
        self.validated(EmptySerializer)
        return self.respond(self.reread(services.close_signal(actor=request.user, signal=signal)))  # type: ignore[arg-type]


class ConsultationViewSet(ApiViewSet):
    """Consultations. Askers and the region's coordinators and policy officers: theirs; key
    persons: the ones that ask them (with only their own advice)."""

    serializer_class = vs.ConsultationSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return (
            selectors.consultations_for(self.request.user)  # type: ignore[arg-type]
            .select_related("organisation")
            .prefetch_related("languages", "roles", "key_persons", "advice_points", Prefetch("answers", queryset=ConsultationAnswer.objects.select_related("key_person")))
            .order_by("-created_at")
        )

    def create(self, request: HttpRequest) -> Response:
        body = self.validated(vs.ConsultationSerializer)
        data = body.consultation_data()  # type: ignore[attr-defined]
        if data.organisation is not None:
            region_id = data.organisation.region_id
        else:
            regions = sorted(region_ids(request.user, Role.POLICY_OFFICER))  # type: ignore[arg-type]
            if not regions:
                raise DomainError(_("Say for which organisation you ask."), field="organisation")
            region_id = regions[0]
        c = services.ask_consultation(actor=request.user, region_id=region_id, data=data)  # type: ignore[arg-type]
        return self.created(self.reread(c), "api-consultation-detail")

    @extend_schema(summary="Give advice (a key person who was asked)", request=vs.ConsultationAnswerSerializer, **_CONSULTATION)  # type: ignore[arg-type]
    def answers(self, request: HttpRequest, uuid: Any = None) -> Response:
        c = self.get_object()
        d = self.validated(vs.ConsultationAnswerSerializer).validated_data
        services.answer_consultation(  # type: ignore[misc]
            actor=request.user, consultation=c, answers=[(a["paragraph"], a["text"]) for a in d["answers"]], hours=d["hours"]  # type: ignore[arg-type]
        )
        return self.respond(self.reread(c), code=status.HTTP_201_CREATED)

    @extend_schema(summary="Record the sounding-board meeting (who asked)", request=vs.MeetingSerializer, **_CONSULTATION)  # type: ignore[arg-type]
    def meeting(self, request: HttpRequest, uuid: Any = None) -> Response:
        c = self.get_object()
        d = self.validated(vs.MeetingSerializer).validated_data
        services.record_meeting(actor=request.user, consultation=c, attendees=list(d["attendees"]), minutes=d["minutes"], hours=d["hours"])  # type: ignore[arg-type]
        return self.respond(self.reread(c))

    @extend_schema(summary="Close for answers (who asked)", request=EmptySerializer, **_CONSULTATION)  # type: ignore[arg-type]
    def close(self, request: HttpRequest, uuid: Any = None) -> Response:
        c = self.get_object()
        self.validated(EmptySerializer)
        return self.respond(self.reread(services.close_consultation(actor=request.user, consultation=c)))  # type: ignore[arg-type]

    @extend_schema(summary="Share the outcome: per advice point what was done (who asked)", request=vs.OutcomeSerializer, **_CONSULTATION)  # type: ignore[arg-type]
    def outcome(self, request: HttpRequest, uuid: Any = None) -> Response:
        c = self.get_object()
        body = self.validated(vs.OutcomeSerializer)
        services.publish_outcome(  # type: ignore[misc]
            actor=request.user, consultation=c, summary=body.validated_data["summary"],  # type: ignore[arg-type]
            points=body.points_data(), revised_text=body.validated_data["revised_text"],  # type: ignore[attr-defined]
        )
        return self.respond(self.reread(c))
