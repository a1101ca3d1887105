"""The figures in headless Chromium: the policy dashboard and the quarterly report pass axe-core,
show their charts (server-rendered SVG images), and the report prints without the page's controls."""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import login
from tests.browser.test_portal import AXE, AXE_RUN
from tests.conftest import make_world
from tests.factories import PASSWORD
from tests.reporting.test_indicators import build_fixture, last_month

pytestmark = pytest.mark.django_db(transaction=True)


def _axe(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if AXE.exists():
        page.evaluate(AXE.read_text(encoding="utf-8"))
        serious = page.evaluate(AXE_RUN)
        assert not serious, f"{name}: {serious}"
    elif os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail("axe-core is missing: run `npm ci --prefix tests/browser`")


def test_dashboard_and_quarterly_report(live_server, new_page):  # type: ignore[no-untyped-def]
    world = make_world()
    build_fixture(world)
    m = last_month()
    query = f"kind=quarter&year={m.year}&number={(m.month - 1) // 3 + 1}"
    page = new_page(locale="nl-NL", width=1280, height=900)
    login(page, live_server, world.policy_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/policy/figures/?{query}")
    assert page.locator("h1").inner_text().startswith("Cijfers")
    charts = page.locator("img.chart")
    assert charts.count() >= 10
    # every chart is a decoded image with a size, and says in words what it shows
    assert page.evaluate("[...document.querySelectorAll('img.chart')].every(i => i.complete && i.naturalWidth > 100)")
    assert all(len(charts.nth(i).get_attribute("alt") or "") > 20 for i in range(charts.count()))
    assert "<5" in page.locator("section[aria-labelledby=t-reach] tfoot").inner_text()
    _axe(page, "policy dashboard")
    # one click from the dashboard to the report; printing hides the controls
    page.get_by_role("link", name="Kwartaalrapport").click()
    page.wait_for_load_state()
    assert "/policy/figures/report/" in page.url
    _axe(page, "quarterly report")
    page.emulate_media(media="print")
    assert not page.locator("[data-print]").is_visible()
    assert not page.locator(".site-nav").is_visible()
    assert page.locator("img.chart").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_coordinator_pages(live_server, new_page):  # type: ignore[no-untyped-def]
    world = make_world()
    build_fixture(world)
    page = new_page(locale="nl-NL", width=1280, height=900)
    login(page, live_server, world.coordinator.username, PASSWORD)
    page.goto(f"{live_server.url}/coordinator/today/")
    _axe(page, "today")
    page.goto(f"{live_server.url}/coordinator/figures/")
    assert page.locator("img.chart").count() >= 10
    _axe(page, "coordinator figures")
    with page.expect_download() as download:
        page.locator("section[aria-labelledby=t-reach] a", has_text="XLSX").click()
    assert download.value.suggested_filename.startswith("sleutelnet-reach-")
