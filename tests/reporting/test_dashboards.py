"""The dashboards, the quarterly report and the exports, on the fixture of test_indicators."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.auth import login
from tests.reporting.test_indicators import build_fixture, last_month

pytestmark = pytest.mark.django_db


def _query(kind: str = "month") -> dict[str, object]:
    m = last_month()
    return {"kind": kind, "year": m.year, "number": m.month if kind == "month" else (m.month - 1) // 3 + 1}


def test_coordinator_sees_full_figures_policy_sees_small_counts_hidden(client, world) -> None:  # type: ignore[no-untyped-def]
    build_fixture(world)
    login(client, world.coordinator)
    html = client.get("/coordinator/figures/", _query()).content.decode()
    assert "Bereik per gemeente" in html or "Reach per municipality" in html
    assert "data:image/svg+xml;base64," in html  # charts rendered on the server
    assert "<td>14</td>" in html  # participants total, in full
    assert world.key_person.full_name not in html
    client.logout()
    login(client, world.policy_officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/policy/figures/", _query())
    assert response.status_code == 200
    assert len(queries) <= 30
    html = response.content.decode()
    assert "<td>&lt;5</td>" in html  # e.g. the one newcomer supported individually
    assert "<td>14</td>" in html  # 14 participants is not small
    assert world.key_person.full_name not in html


def test_exports_hide_small_counts_in_csv_and_xlsx(client, world) -> None:  # type: ignore[no-untyped-def]
    build_fixture(world)
    login(client, world.coordinator)
    response = client.get("/coordinator/figures/reach.csv", _query())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="sleutelnet-reach-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    newcomers = [r[6] for r in rows[1:3]]
    assert "<5" in newcomers  # even the coordinator's export hides small counts
    response = client.get("/coordinator/figures/roles.xlsx", _query())
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "<5" in values
    assert client.get("/coordinator/figures/nothing.csv", _query()).status_code == 404
    assert client.get("/coordinator/figures/reach.pdf", _query()).status_code == 404


def test_quarterly_report_is_printable(client, world) -> None:  # type: ignore[no-untyped-def]
    build_fixture(world)
    login(client, world.policy_officer)
    html = client.get("/policy/figures/report/", _query("quarter")).content.decode()
    assert "data-print" in html and "print.js" in html
    assert html.count("data:image/svg+xml;base64,") >= 5
    assert "<script>" not in html  # CSP: no inline script


def test_charts_are_self_contained_svg(client, world) -> None:  # type: ignore[no-untyped-def]
    """The charts load nothing: no script, no CDN, no external font or style."""
    import base64
    import re

    build_fixture(world)
    login(client, world.coordinator)
    html = client.get("/coordinator/figures/", _query()).content.decode()
    uris = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(uris) >= 10
    for uri in uris:
        svg = base64.b64decode(uri).decode()
        assert svg.lstrip().startswith(("<?xml", "<svg"))
        assert "<script" not in svg
        assert not re.findall(r'(?:href|src)="https?://', svg), "an SVG refers to the network"


def test_a_chart_is_drawn_once_per_content_and_follows_the_figures() -> None:
    """The same figures give the cached drawing; other figures, or another title, a new one."""
    from django.core.cache import cache

    from sleutelnet.reporting.dashboard import COUNT, Column, Row, Table, _chart

    def table(n: int, title: str = "Bereik") -> Table:
        return Table(key="t", title=title, columns=[Column("Aantal", COUNT)], rows=[Row("Venlo", [n]), Row("Venray", [2])], chart_columns=(0,))

    cache.clear()
    first = _chart(table(7))
    assert first.startswith("data:image/svg+xml;base64,") and len(cache._cache) == 1  # type: ignore[attr-defined]
    assert _chart(table(7)) == first and len(cache._cache) == 1  # type: ignore[attr-defined]
    other = _chart(table(8))
    assert other != first and len(cache._cache) == 2  # type: ignore[attr-defined]
    assert _chart(table(7, title="Uren")) not in (first, other)


def test_bad_period_gets_a_message_not_a_500(client, world, other_world) -> None:  # type: ignore[no-untyped-def]
    login(client, world.policy_officer)
    for bad in ({"kind": "quarter", "year": 2026, "number": 5}, {"kind": "month", "year": "abc"}, {"kind": "week", "year": 2026}):
        response = client.get("/policy/figures/", bad)
        assert response.status_code == 200
        assert "error" in response.content.decode()
    response = client.get("/policy/figures/", {**_query(), "municipality": other_world.municipality.pk})
    assert 'id="id_municipality-error"' in response.content.decode()
    assert client.get("/policy/figures/reach.csv", {"kind": "quarter", "year": 2026, "number": 9}).status_code == 404


def test_coordinator_today(client, world) -> None:  # type: ignore[no-untyped-def]
    build_fixture(world)
    login(client, world.coordinator)
    response = client.get("/coordinator/today/")
    assert response.status_code == 200
