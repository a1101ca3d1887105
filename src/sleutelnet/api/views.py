"""REST API v1 views: thin adapters from HTTP to the selectors (reads) and services (writes).

Every record is looked up through a selector that already knows what the user may see, so a
record of another region, organisation or key person is simply not found (404). Every change
is one service call; the services check the role and the state (403, 409) and validate the
content (400), and the error handler turns their DomainError into problem+json.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request as HttpRequest
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from sleutelnet.api import serializers as s
from sleutelnet.api.pagination import Pagination
from sleutelnet.api.schema import ApiAutoSchema
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Role
from sleutelnet.core.rules import is_coordinator
from sleutelnet.core.selectors import (
    has_role,
    municipalities_for,
    organisations_for,
    region_ids,
    regions_for,
)
from sleutelnet.deployments import selectors as deployment_selectors
from sleutelnet.deployments import services as deployment_services
from sleutelnet.deployments.explain import Explainer
from sleutelnet.deployments.filters import AssignmentFilter, RequestFilter
from sleutelnet.deployments.matching import candidates_for
from sleutelnet.people import selectors as people_selectors
from sleutelnet.people import services as people_services
from sleutelnet.people.filters import KeyPersonFilter, NewcomerFilter
from sleutelnet.people.models import KeyPersonRole, Language, LifeDomain
from sleutelnet.reporting.selectors import hide_small_reach, reach

UUID_PARAM = OpenApiParameter(
    "uuid",
    type=OpenApiTypes.UUID,
    location=OpenApiParameter.PATH,
    description="The UUID of the record.",
)


class ApiViewSet(GenericViewSet):
    """Base of all API views: lookups by UUID, problem+json errors, pagination of list views only."""

    schema = ApiAutoSchema()
    lookup_field = "uuid"
    lookup_url_kwarg = "uuid"

    @property
    def pagination_class(self):  # type: ignore[no-untyped-def,override]
        """Only list views page; an action returning several records (offer) returns them all."""
        return Pagination if getattr(self, "action", None) == "list" else None

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["refused_fields"] = self.refused_fields()
        return context

    def refused_fields(self) -> tuple[str, ...]:
        """Fields the user may not set in this action (reported as `not_allowed`)."""
        return ()

    def list(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    def validated(
        self, serializer_class: type[s.StrictSerializer], **kwargs: Any
    ) -> s.StrictSerializer:
        """Parse and check the body; raises ValidationError with every field error."""
        serializer = serializer_class(
            data=self.request.data, context=self.get_serializer_context(), **kwargs
        )
        serializer.is_valid(raise_exception=True)
        return serializer

    def respond(
        self, obj: Any, serializer_class: type | None = None, code: int = status.HTTP_200_OK
    ) -> Response:
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(
            serializer_class(obj, context=self.get_serializer_context()).data, status=code
        )

    def created(self, obj: Any, url_name: str) -> Response:
        """201 with the new record, and its address in the Location header."""
        response = self.respond(obj, code=status.HTTP_201_CREATED)
        response["Location"] = self.request.build_absolute_uri(
            reverse(url_name, kwargs={"uuid": obj.uuid})
        )
        return response

    def reread(self, obj: Any) -> Any:
        """The record again through the selector (fresh state, related rows prefetched)."""
        return self.get_queryset().get(pk=obj.pk)


def _require_coordinator(user: Any, obj: Any) -> None:
    """Coordinator-only steps (candidates, offers): others who may read the record get 403."""
    if not is_coordinator(user, obj):
        raise PermissionDenied(_("Only a coordinator of this region can do this."))


# --- vocabularies and organisations -------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List languages"), retrieve=extend_schema(summary="Read a language")
)
class LanguageViewSet(ApiViewSet):
    """Languages (talen) key persons speak and requests ask for; refer to one by its `tag`."""

    serializer_class = s.LanguageSerializer
    queryset = Language.objects.all()


@extend_schema_view(list=extend_schema(summary="List key-person roles"))
class KeyPersonRoleViewSet(ApiViewSet):
    """The seven roles of a key person (rollen): codes for `roles` and `rolesUsed`."""

    serializer_class = s.KeyPersonRoleSerializer
    queryset = KeyPersonRole.objects.all()


@extend_schema_view(list=extend_schema(summary="List life domains"))
class LifeDomainViewSet(ApiViewSet):
    """Life domains (leefgebieden): codes for `lifeDomains`."""

    serializer_class = s.LifeDomainSerializer
    queryset = LifeDomain.objects.all()


@extend_schema_view(
    list=extend_schema(summary="List municipalities"),
    retrieve=extend_schema(summary="Read a municipality", parameters=[UUID_PARAM]),
)
class MunicipalityViewSet(ApiViewSet):
    """Municipalities (gemeenten) of your regions; refer to one by its CBS code."""

    serializer_class = s.MunicipalitySerializer

    def get_queryset(self) -> QuerySet[Any]:
        return municipalities_for(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="List organisations"),
    retrieve=extend_schema(summary="Read an organisation", parameters=[UUID_PARAM]),
)
class OrganisationViewSet(ApiViewSet):
    """Organisations (ketenpartners): all of the region for staff, your own for requesters."""

    serializer_class = s.OrganisationSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return organisations_for(self.request.user).select_related("municipality")


# --- key persons and newcomers ------------------------------------------------------------


def _single_region(user: Any, given: Any) -> Any:
    """The region a coordinator registers in: the given one, or their only one."""
    regions = region_ids(user, Role.COORDINATOR)
    if given is not None:
        if given.id not in regions:
            raise DomainError(_("You do not coordinate this region."), field="region")
        return given
    if len(regions) != 1:
        raise DomainError(_("Say in which region."), field="region")
    return regions_for(user).get(id=next(iter(regions)))


@extend_schema_view(
    list=extend_schema(summary="List key persons"),
    create=extend_schema(summary="Register a key person"),
    retrieve=extend_schema(summary="Read a key person", parameters=[UUID_PARAM]),
    update=extend_schema(summary="Replace a key person's profile", parameters=[UUID_PARAM]),
    partial_update=extend_schema(summary="Change a key person's profile", parameters=[UUID_PARAM]),
)
class KeyPersonViewSet(ApiViewSet):
    """Key persons (sleutelpersonen). Coordinators: the region's; a key person: only themselves."""

    serializer_class = s.KeyPersonSerializer
    filterset_class = KeyPersonFilter

    def get_queryset(self) -> QuerySet[Any]:
        return people_selectors.key_persons_for(self.request.user)

    def _own_only(self, kp: Any) -> bool:
        """True when the user edits their own record without being its region's coordinator."""
        own = getattr(self.request.user, "key_person", None)
        return (
            own is not None
            and own.id == kp.id
            and kp.region_id not in region_ids(self.request.user, Role.COORDINATOR)
        )

    def refused_fields(self) -> tuple[str, ...]:
        if self.action in ("update", "partial_update") and getattr(self, "_editing_own", False):
            own = set(s.KeyPersonSerializer.OWN_PROFILE_FIELDS)
            return tuple(name for name in s.KeyPersonSerializer().fields if name not in own)
        if self.action in ("update", "partial_update"):
            return ("region",)
        return ()

    def create(self, request: HttpRequest) -> Response:
        serializer = self.validated(s.KeyPersonSerializer)
        region = _single_region(request.user, serializer.validated_data.get("region"))
        kp = people_services.register_key_person(
            actor=request.user, region=region, data=serializer.key_person_data()
        )
        return self.created(self.reread(kp), "api-key-person-detail")

    def update(self, request: HttpRequest, uuid: Any = None, partial: bool = False) -> Response:
        kp = self.get_object()
        self._editing_own = self._own_only(kp)
        # A key person sends only the fields they may change, so PUT works like PATCH for them.
        serializer = self.validated(
            s.KeyPersonSerializer, instance=kp, partial=partial or self._editing_own
        )
        if self._editing_own:
            data = serializer.key_person_data(kp)
            kp = people_services.update_own_profile(
                actor=request.user,
                phone=data.phone,
                email=data.email,
                ui_language=data.ui_language,
                availability=data.availability,
            )
        else:
            kp = people_services.update_key_person(
                actor=request.user, key_person=kp, data=serializer.key_person_data(kp)
            )
        return self.respond(self.reread(kp))

    def partial_update(self, request: HttpRequest, uuid: Any = None) -> Response:
        return self.update(request, uuid, partial=True)


@extend_schema_view(
    list=extend_schema(summary="List newcomers"),
    create=extend_schema(summary="Register a newcomer"),
    retrieve=extend_schema(summary="Read a newcomer", parameters=[UUID_PARAM]),
    update=extend_schema(summary="Replace a newcomer's record", parameters=[UUID_PARAM]),
    partial_update=extend_schema(summary="Change a newcomer's record", parameters=[UUID_PARAM]),
)
class NewcomerViewSet(ApiViewSet):
    """Newcomers (inburgeraars / statushouders), pseudonymous; coordinators only."""

    serializer_class = s.NewcomerSerializer
    filterset_class = NewcomerFilter

    def get_queryset(self) -> QuerySet[Any]:
        return people_selectors.newcomers_for(self.request.user)

    def refused_fields(self) -> tuple[str, ...]:
        # consent is given once when registering; later through /consents
        return ("consent",) if self.action in ("update", "partial_update") else ()

    def create(self, request: HttpRequest) -> Response:
        serializer = self.validated(s.NewcomerSerializer)
        data = serializer.newcomer_data()
        # The municipality (one of the user's regions) decides the region; the service checks the role.
        nc = people_services.register_newcomer(
            actor=request.user, region=data.municipality.region, data=data
        )
        return self.created(self.reread(nc), "api-newcomer-detail")

    def update(self, request: HttpRequest, uuid: Any = None, partial: bool = False) -> Response:
        nc = self.get_object()
        serializer = self.validated(s.NewcomerSerializer, instance=nc, partial=partial)
        nc = people_services.update_newcomer(
            actor=request.user, newcomer=nc, data=serializer.newcomer_data(nc)
        )
        return self.respond(self.reread(nc))

    def partial_update(self, request: HttpRequest, uuid: Any = None) -> Response:
        return self.update(request, uuid, partial=True)

    @extend_schema(
        summary="Record a consent",
        description="Record a consent the newcomer gave: support by a key person (needed before any "
        "offer), or sharing contact details with the key person (for every request, or one).",
        request=s.ConsentInputSerializer,
        responses={201: s.ConsentSerializer},
        parameters=[UUID_PARAM],
    )
    def consents(self, request: HttpRequest, uuid: Any = None) -> Response:
        nc = self.get_object()
        body = self.validated(s.ConsentInputSerializer)
        consent = people_services.record_consent(actor=request.user, newcomer=nc, data=body.consent_data())
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentViewSet(ApiViewSet):
    """Consents (toestemmingen) of the newcomers you coordinate."""

    serializer_class = s.ConsentSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return people_selectors.consents_for(self.request.user)

    @extend_schema(
        summary="Withdraw a consent",
        description="The newcomer withdrew the consent: it no longer holds from today and is kept as "
        "proof. Withdrawing support by a key person withdraws the open offers of their requests.",
        request=s.WithdrawConsentSerializer,
        responses={200: s.ConsentSerializer},
        parameters=[UUID_PARAM],
    )
    def withdraw(self, request: HttpRequest, uuid: Any = None) -> Response:
        consent = self.get_object()
        body = self.validated(s.WithdrawConsentSerializer)
        consent = people_services.withdraw_consent(actor=request.user, consent=consent, note=body.validated_data["note"])
        return Response(s.ConsentSerializer(consent).data)


# --- requests -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List requests"),
    create=extend_schema(summary="File a request"),
    retrieve=extend_schema(summary="Read a request", parameters=[UUID_PARAM]),
    update=extend_schema(summary="Replace an open request", parameters=[UUID_PARAM]),
    partial_update=extend_schema(summary="Change an open request", parameters=[UUID_PARAM]),
)
class RequestViewSet(ApiViewSet):
    """Requests (inzetverzoeken). Requesters: their organisation's; coordinators: the region's;
    key persons: the requests they were offered (read only)."""

    serializer_class = s.RequestSerializer
    filterset_class = RequestFilter

    def get_queryset(self) -> QuerySet[Any]:
        # A request shows the names of its confirmed key persons only: load just those (and
        # log just those as read).
        # A list takes only the codes of the roles and life domains, for the whole page at once
        # (serializers.RequestListSerializer).
        return deployment_selectors.with_confirmed_assignments(
            deployment_selectors.requests_for(self.request.user, vocabulary=self.action != "list")
        )

    def refused_fields(self) -> tuple[str, ...]:
        return ("organisation",) if self.action in ("update", "partial_update") else ()

    def create(self, request: HttpRequest) -> Response:
        serializer = self.validated(s.RequestSerializer)
        organisation = serializer.validated_data.get("organisation") or s.default_organisation(
            request.user
        )
        if organisation is None:
            raise DomainError(
                _("Say for which organisation you file this request."), field="organisation"
            )
        with _newcomer_alias(serializer):
            req = deployment_services.file_request(
                actor=request.user, organisation=organisation, data=serializer.request_data()
            )
        return self.created(self.reread(req), "api-request-detail")

    def update(self, request: HttpRequest, uuid: Any = None, partial: bool = False) -> Response:
        req = self.get_object()
        serializer = self.validated(s.RequestSerializer, instance=req, partial=partial)
        with _newcomer_alias(serializer):
            req = deployment_services.update_request(
                actor=request.user, request=req, data=serializer.request_data(req)
            )
        return self.respond(self.reread(req))

    def partial_update(self, request: HttpRequest, uuid: Any = None) -> Response:
        return self.update(request, uuid, partial=True)

    @extend_schema(
        summary="Cancel a request",
        description="The requester withdraws, or a coordinator cancels, a request that has not happened yet.",
        request=s.CancelSerializer,
        responses={200: s.RequestSerializer},
        parameters=[UUID_PARAM],
    )
    def cancel(self, request: HttpRequest, uuid: Any = None) -> Response:
        req = self.get_object()
        body = self.validated(s.CancelSerializer)
        req = deployment_services.cancel_request(
            actor=request.user, request=req, reason=body.validated_data["reason"]
        )
        return self.respond(self.reread(req))

    @extend_schema(
        summary="Offer a request to key persons",
        description="A coordinator offers an open request to key persons who meet every hard constraint "
        "(see /candidates). Returns the assignments made, with status `offered`.",
        request=s.OfferSerializer,
        responses={201: s.AssignmentSerializer(many=True)},
        parameters=[UUID_PARAM],
    )
    def offer(self, request: HttpRequest, uuid: Any = None) -> Response:
        req = self.get_object()
        _require_coordinator(
            request.user, req
        )  # 403 before the body is judged; the service checks again
        body = self.validated(s.OfferSerializer)
        made = deployment_services.offer(
            actor=request.user, request=req, key_persons=body.validated_data["key_persons"]
        )
        assignments = (
            deployment_selectors.assignments_for(request.user)
            .filter(id__in=[a.id for a in made])
            .order_by("id")
        )
        return Response(
            s.AssignmentSerializer(
                assignments, many=True, context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Rank candidates for a request",
        description="Coordinators only. The region's key persons ranked by the matching engine: feasible "
        "ones first, each with the reasons and, when not feasible, the hard constraints it fails.",
        request=None,
        responses={200: s.CandidateSerializer(many=True)},
        parameters=[UUID_PARAM],
    )
    def candidates(self, request: HttpRequest, uuid: Any = None) -> Response:
        req = self.get_object()
        _require_coordinator(request.user, req)
        explain = Explainer()
        rows = [
            {
                "key_person": {"uuid": kp.uuid, "name": kp.full_name},
                "weight": cand.weight,
                "feasible": cand.feasible,
                "reasons": [explain(r) for r in cand.reasons],
                "violations": [explain(r) for r in cand.violations],
            }
            for kp, cand in candidates_for(req)
        ]
        return Response(s.CandidateSerializer(rows, many=True).data)


class _newcomer_alias:
    """When the client named the newcomer by reference, report the service's errors on that field."""

    def __init__(self, serializer: s.StrictSerializer) -> None:
        self.by_reference = serializer.context.get("newcomer_by_reference", False)

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, DomainError) and exc.field == "newcomer" and self.by_reference:
            exc.field = "newcomer_reference"
        return False


# --- assignments and reports --------------------------------------------------------------


_ACTION_DOC = {"parameters": [UUID_PARAM], "responses": {200: s.AssignmentSerializer}}


@extend_schema_view(
    list=extend_schema(summary="List assignments"),
    retrieve=extend_schema(summary="Read an assignment", parameters=[UUID_PARAM]),
)
class AssignmentViewSet(ApiViewSet):
    """Assignments (inzet). Key persons: their own; requesters: those on their organisation's
    requests (key person's name only); coordinators: the region's."""

    serializer_class = s.AssignmentSerializer
    filterset_class = AssignmentFilter

    def get_queryset(self) -> QuerySet[Any]:
        return (
            deployment_selectors.assignments_for(self.request.user)
            .select_related("report", "request__newcomer")
            .prefetch_related("request__newcomer__consents")
        )

    @extend_schema(summary="Accept an offer", request=s.EmptySerializer, **_ACTION_DOC)  # type: ignore[arg-type]
    def accept(self, request: HttpRequest, uuid: Any = None) -> Response:
        a = self.get_object()
        self.validated(s.EmptySerializer)
        return self.respond(
            self.reread(deployment_services.accept(actor=request.user, assignment=a))
        )

    @extend_schema(summary="Decline an offer", request=s.DeclineSerializer, **_ACTION_DOC)  # type: ignore[arg-type]
    def decline(self, request: HttpRequest, uuid: Any = None) -> Response:
        a = self.get_object()
        body = self.validated(s.DeclineSerializer)
        a = deployment_services.decline(
            actor=request.user, assignment=a, reason=body.validated_data["reason"], code=body.validated_data["code"]
        )
        return self.respond(self.reread(a))

    @extend_schema(
        summary="Cancel an assignment",
        description="A coordinator withdraws an offer or assignment; a key person steps back from one they accepted.",
        request=s.CancelSerializer,
        **_ACTION_DOC,  # type: ignore[arg-type]
    )
    def cancel(self, request: HttpRequest, uuid: Any = None) -> Response:
        a = self.get_object()
        body = self.validated(s.CancelSerializer)
        a = deployment_services.cancel_assignment(
            actor=request.user, assignment=a, reason=body.validated_data["reason"]
        )
        return self.respond(self.reread(a))

    @extend_schema(
        summary="File the activity report",
        description="The key person reports what happened, once the assignment has started. "
        "Filing again after the coordinator returned the report replaces it.",
        request=s.ActivityReportSerializer,
        responses={201: s.ActivityReportSerializer},
        parameters=[UUID_PARAM],
    )
    def report(self, request: HttpRequest, uuid: Any = None) -> Response:
        a = self.get_object()
        body = self.validated(s.ActivityReportSerializer)
        report = deployment_services.submit_report(
            actor=request.user, assignment=a, data=body.report_data()
        )
        report = deployment_selectors.reports_for(request.user).get(pk=report.pk)
        return self.respond(report, s.ActivityReportSerializer, code=status.HTTP_201_CREATED)

    @extend_schema(summary="Approve the activity report", request=s.EmptySerializer, **_ACTION_DOC)  # type: ignore[arg-type]
    def approve(self, request: HttpRequest, uuid: Any = None) -> Response:
        a = self.get_object()
        self.validated(s.EmptySerializer)
        return self.respond(
            self.reread(deployment_services.approve_report(actor=request.user, assignment=a))
        )

    @extend_schema(
        summary="Return the activity report", request=s.ReturnReportSerializer, **_ACTION_DOC
    )  # type: ignore[arg-type]
    def return_report(self, request: HttpRequest, uuid: Any = None) -> Response:
        a = self.get_object()
        body = self.validated(s.ReturnReportSerializer)
        a = deployment_services.return_report(
            actor=request.user, assignment=a, comment=body.validated_data["comment"]
        )
        return self.respond(self.reread(a))


@extend_schema_view(
    list=extend_schema(summary="List activity reports"),
    retrieve=extend_schema(summary="Read an activity report", parameters=[UUID_PARAM]),
)
class ActivityReportViewSet(ApiViewSet):
    """Activity reports (verslagen) on the assignments you may see."""

    serializer_class = s.ActivityReportSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return deployment_selectors.reports_for(self.request.user).select_related(
            "assignment__request"
        )


# --- aggregates ---------------------------------------------------------------------------


class ReachViewSet(ApiViewSet):
    """Reach (bereik): aggregated figures from approved activity reports, for policy officers and
    coordinators. No person is listed."""

    serializer_class = s.ReachSerializer
    query_serializer = s.ReachQuerySerializer

    @extend_schema(
        summary="Read the reach figures",
        parameters=[
            OpenApiParameter(
                "start",
                type=OpenApiTypes.DATE,
                description="First day, YYYY-MM-DD (default: 90 days before end).",
            ),
            OpenApiParameter(
                "end",
                type=OpenApiTypes.DATE,
                description="Last day, YYYY-MM-DD, inclusive (default: today).",
            ),
            OpenApiParameter("municipality", type=str, description="CBS code, e.g. GM0222."),
        ],
        responses={200: s.ReachSerializer},
    )
    def read(self, request: HttpRequest) -> Response:
        query = s.ReachQuerySerializer(
            data=request.query_params.dict(), context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        params = query.validated_data
        figures = reach(
            request.user,
            start=params.get("start"),
            end=params.get("end") or timezone.localdate(),
            municipality=params.get("municipality"),
        )
        if not has_role(request.user, Role.COORDINATOR):  # type: ignore[arg-type]
            figures = hide_small_reach(figures, request.user)  # type: ignore[arg-type]
        return Response(s.ReachSerializer(figures).data)
