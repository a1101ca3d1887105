"""No page of the product issues more than `MAX_QUERIES` database queries.

The pages come from Django's resolver (`tests.walk.url_patterns`), the roles from the
permission matrix: every web page and API endpoint that answers GET is requested by every
role the matrix lets in, on that role's own record (the same world the permission walk
builds, `tests.conftest.both`), with a few more rows in every list (`add_rows`) so that a
query per row shows. The admin is left out: it is Django's, not ours. A page over the
ceiling fails with its URL, role, count and the statements it repeated most, which is
nearly always the N+1 to fix (select_related, prefetch_related, annotate), never the ceiling.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sleutelnet.core.models import User
from sleutelnet.core.permissions import ANYONE, ROLES, Scope, endpoint_for
from sleutelnet.deployments import services
from tests import factories as f
from tests.auth import api_client, login
from tests.conftest import World
from tests.walk import Records, _voice, own_and_foreign, url_for, url_patterns, user_of
from tests.web.conftest import accepted_in_past, report_data

pytestmark = pytest.mark.django_db

#: The product rule: a page that needs more than this many queries grows with its data
#: (an N+1) or does work that belongs elsewhere; both make the product slow on PostgreSQL
#: across a network, where every query costs a round trip.
MAX_QUERIES = 30

#: How many more rows of each kind `add_rows` makes: the walk's one record per kind hides a
#: query per row (one row costs the same as a prefetch) and skips prefetches of empty lists.
EXTRA_ROWS = 3

#: How many of the most repeated statements a failure shows.
TOP_STATEMENTS = 5

_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_TABLE = re.compile(r'\bFROM "?(\w+)"?')


def _shape(sql: str) -> str:
    """A statement without its literals, so the same query for another row counts as a repeat."""
    return _LITERALS.sub("?", sql)


def add_rows(recs: Records, n: int = EXTRA_ROWS) -> None:
    """`n` more of each kind in the world of `recs`, through the services: reported assignments
    of the key person (past days), open requests offered to them (coming days), newcomers, key
    persons, signals and consultations."""
    w = recs.world
    for i in range(n):
        done = accepted_in_past(w, days_ago=5 + i, newcomer=w.newcomer)
        services.submit_report(actor=w.key_person_user, assignment=done, data=report_data(done))
        data = w.request_data(title=f"Extra verzoek {i}")
        data.starts_at += dt.timedelta(days=3 + i)
        data.ends_at += dt.timedelta(days=3 + i)
        req = services.file_request(actor=w.requester, organisation=w.organisation, data=data)
        services.offer(actor=w.coordinator, request=req, key_persons=[w.key_person])
        f.NewcomerFactory(region=w.region, municipality=w.municipality)
        f.KeyPersonFactory(region=w.region)
        _voice(w, recs.other_key_person)


def over_ceiling(where: str, queries: list[dict[str, Any]], ceiling: int = MAX_QUERIES) -> str | None:
    """The failure text when `queries` (CaptureQueriesContext.captured_queries) exceed the ceiling."""
    if len(queries) <= ceiling:
        return None
    repeats = Counter(_shape(q["sql"]) for q in queries).most_common(TOP_STATEMENTS)
    # Sums and counts of one table with other filters differ in shape: the table still tells.
    tables = Counter(m.group(1) for q in queries if (m := _TABLE.search(q["sql"]))).most_common(TOP_STATEMENTS)
    lines = [f"{where}: {len(queries)} queries, the ceiling is {ceiling}; most repeated:"]
    lines += [f"    {n:3d}x {sql[:300]}" for sql, n in repeats]
    lines.append("    by table: " + ", ".join(f"{table} {n}x" for table, n in tables))
    return "\n".join(lines)


def get_roles(name: str) -> list[str]:
    """Who the matrix lets GET the page: anonymous for public pages, else the roles it lists."""
    endpoint = endpoint_for(name)
    assert endpoint is not None, name
    allowed = endpoint.roles_for("GET")
    if ANYONE in allowed:
        return ["anonymous"] if allowed[ANYONE] in (Scope.PUBLIC, Scope.SECRET) else list(ROLES)
    return [role for role in ROLES if role in allowed]


def own_urls(role: str, mine: Records, theirs: Records) -> Iterator[tuple[str, str, bool]]:
    """(view name, URL on the role's own record, is API) of every page `role` may GET."""
    for name, pattern in url_patterns():
        if name.startswith("admin:") or role not in get_roles(name):
            continue
        endpoint = endpoint_for(name)
        assert endpoint is not None
        record = own_and_foreign(endpoint.subject, role, mine, theirs)[0] if endpoint.subject else None
        yield name, url_for(name, pattern, record), endpoint.is_api


def count_queries(client: Any, url: str) -> tuple[int, list[dict[str, Any]]]:
    """The status and the queries of one GET, the whole answer read (streamed exports too)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, format="json") if isinstance(client, APIClient) else client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, ctx.captured_queries


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_no_page_exceeds_the_query_ceiling(both: tuple[Records, Records], role: str) -> None:
    mine, theirs = both
    add_rows(mine)
    user: User | None = user_of(mine, role)
    web = Client()
    if user is not None:
        login(web, user)
    api = api_client(user)
    failures: list[str] = []
    seen: list[tuple[int, str]] = []
    for name, url, is_api in own_urls(role, mine, theirs):
        if user is not None and not is_api and "_auth_user_id" not in web.session:
            login(web, user)  # a page ended the session
        status, queries = count_queries(api if is_api else web, url)
        seen.append((len(queries), url))
        assert status < 500, f"{role} GET {url} ({name}): {status}"
        failure = over_ceiling(f"{role} GET {url} ({name}, {status})", queries)
        if failure:
            failures.append(failure)
    print(f"\n{role}: {len(seen)} pages; highest: " + ", ".join(f"{u} {c}" for c, u in sorted(seen, reverse=True)[:10]))
    assert seen, f"{role}: the walk requested no page, so it proves nothing"
    assert not failures, "\n".join(failures)


# --- the counter itself can fail ---------------------------------------------------------------


def test_the_ceiling_trips_on_one_query_too_many() -> None:
    """31 trivial queries through the same counter and helper the walk uses must fail; 30 not."""

    def run(n: int) -> list[dict[str, Any]]:
        with CaptureQueriesContext(connection) as ctx, connection.cursor() as cursor:
            for i in range(n):
                cursor.execute("SELECT %s", [i])
        return ctx.captured_queries

    assert len(run(MAX_QUERIES)) == MAX_QUERIES
    assert over_ceiling("at the ceiling", run(MAX_QUERIES)) is None
    failure = over_ceiling("one over", run(MAX_QUERIES + 1))
    assert failure is not None
    assert f"{MAX_QUERIES + 1} queries" in failure
    assert f"{MAX_QUERIES + 1:3d}x SELECT ?" in failure, failure  # the repeats are grouped, literals aside
    assert "by table: " in failure


def test_the_counter_sees_the_queries_of_a_page(world: World) -> None:
    """The walk's own way of requesting a page counts the view's queries, and the helper fails
    a page one query over its ceiling."""
    client = Client()
    login(client, world.coordinator)
    status, queries = count_queries(client, reverse("deployments:coordinator_queue"))
    assert status == 200
    assert len(queries) > 5, queries
    assert over_ceiling("queue", queries, ceiling=len(queries)) is None
    assert over_ceiling("queue", queries, ceiling=len(queries) - 1) is not None


def test_the_walk_covers_web_pages_and_api_endpoints() -> None:
    """The walk sees both halves of the product; an empty resolver walk would pass silently."""
    names = [name for name, _p in url_patterns() if not name.startswith("admin:") and get_roles(name)]
    assert any(n.startswith("api-") for n in names)
    assert sum(not n.startswith("api-") for n in names) > 20, names
