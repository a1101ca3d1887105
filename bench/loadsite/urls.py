"""The product's URL map plus two minimal DRF lists (ModelSerializer, page-number pagination with
its COUNT, 20 rows a page, no authentication), the throughput baselines of bench/load.py as
../shared/performance.md (B4) defines them:

- `/bench/minimal/`: 20 municipalities of three columns, the cheapest list DRF can serve;
- `/bench/minimal-requests/?organisation=ID`: 20 requests of one organisation, every column,
  in the order of our own list (the same rows our `/api/v1/requests` pages, without its token,
  scoping, processing log or camelCase)."""

from __future__ import annotations

from typing import Any

from django.urls import include, path
from rest_framework import generics, pagination, permissions, serializers

from sleutelnet.api.permissions import MatrixPermission
from sleutelnet.core.models import Municipality
from sleutelnet.deployments.models import Request


class MinimalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ("uuid", "name", "cbs_code")


class MinimalPages(pagination.PageNumberPagination):
    page_size = 20


class MinimalList(generics.ListAPIView):
    """20 rows of a simple table. The permission matrix has no entry for this bench-only URL:
    naming MatrixPermission makes the page middleware leave the view to DRF, and
    get_permissions() then lets everyone in (no authentication, as a bare DRF endpoint)."""

    serializer_class = MinimalSerializer
    authentication_classes: list[Any] = []
    permission_classes = [MatrixPermission]
    pagination_class = MinimalPages

    def get_permissions(self) -> list[Any]:
        return [permissions.AllowAny()]

    def get_queryset(self) -> Any:
        return Municipality.objects.order_by("id")


class MinimalRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = Request
        fields = "__all__"


class MinimalRequestList(MinimalList):
    """The same table as our API list, the way a plain DRF list would serve it."""

    serializer_class = MinimalRequestSerializer

    def get_queryset(self) -> Any:
        organisation = int(self.request.query_params.get("organisation", "0") or 0)
        return Request.objects.filter(organisation_id=organisation).prefetch_related("roles", "life_domains").order_by("starts_at", "id")


urlpatterns = [
    path("bench/minimal/", MinimalList.as_view(), name="bench-minimal"),
    path("bench/minimal-requests/", MinimalRequestList.as_view(), name="bench-minimal-requests"),
    path("", include("sleutelnet.conf.urls")),
]
