"""One way to split long lists into pages."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paginate(request: HttpRequest, items: Any, per_page: int = PER_PAGE) -> Page:  # type: ignore[type-arg]
    """The page of `items` asked for with ?page=, the first or last page when out of range."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))
