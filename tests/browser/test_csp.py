"""The strict Content-Security-Policy breaks nothing: Chromium reports no violation on the pages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login
from tests.conftest import make_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def watch(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Collect every CSP violation the browser reports (console and securitypolicyviolation)."""
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None)
    return seen


def test_the_api_docs_render_under_the_strict_policy(live_server, new_page):  # type: ignore[no-untyped-def]
    page = new_page()
    violations = watch(page)
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15000)
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    assert "Sleutelnet API" in page.inner_text(".swagger-ui .info .title")
    assert not violations, violations


def test_pages_of_every_role_have_no_violations(live_server, new_page):  # type: ignore[no-untyped-def]
    world = make_world()
    for user, paths in (
        (world.coordinator, ["/coordinator/", "/coordinator/key-persons/", "/coordinator/newcomers/", "/coordinator/plan/"]),
        (world.key_person_user, ["/me/offers/", "/me/agenda/", "/me/profile/"]),
    ):
        page = new_page()
        violations = watch(page)
        login(page, live_server, user.username, PASSWORD)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
        # (the coordinator's sign-in went through the set-up page with its SVG QR code)
        assert not violations, (user.username, violations)
