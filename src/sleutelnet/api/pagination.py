"""Page-number pagination with the page size as a query key, and a count that stays cheap.

Counting every request of a large organisation (tens of thousands at national scale) cost more
than the rest of a list call together (bench/load.py). The count is exact up to `EXACT` records
(a count over at most that many rows); a longer list is counted in full once a minute per query
and user scope, and shared meanwhile (docs/api/README.md, "Lists").
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination

#: Up to this many records the count is exact and read each time.
EXACT = 1000
#: How long the full count of a longer list is shared.
COUNT_SECONDS = 60


class CheapCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:  # type: ignore[override]
        qs = self.object_list
        capped = qs.order_by().values("pk")[: EXACT + 1].count()
        if capped <= EXACT:
            return capped
        sql, params = qs.order_by().values("pk").query.sql_with_params()
        key = "api-count:" + hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        n = cache.get(key)
        if n is None:
            n = qs.count()
            cache.set(key, n, COUNT_SECONDS)
        return int(n)

    def page(self, number: int | str) -> Any:
        """A full page of the current records: never cut to a shared count that is a minute old."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "pageSize"
    max_page_size = 100
    django_paginator_class = CheapCountPaginator
