"""The product's URL map plus `/bench/minimal/`: a minimal DRF list (ModelSerializer, page-number
pagination with its COUNT, 20 municipalities a page, no authentication), the throughput baseline of
bench/load.py as ../shared/performance.md (B4) defines it."""

from __future__ import annotations

from typing import Any

from django.urls import include, path
from rest_framework import generics, pagination, permissions, serializers

from sleutelnet.api.permissions import MatrixPermission
from sleutelnet.core.models import Municipality


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


urlpatterns = [
    path("bench/minimal/", MinimalList.as_view(), name="bench-minimal"),
    path("", include("sleutelnet.conf.urls")),
]
