"""Headless Chromium (Debian's package) driven by Playwright, against Django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    if not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(reason=f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
    # test body are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):  # type: ignore[no-untyped-def]
    """Make a fresh browser context (own cookies) per role; closed after the test."""
    contexts = []

    def make(locale: str = "nl-NL", width: int = 1280, height: int = 900):  # type: ignore[no-untyped-def]
        ctx = chromium.new_context(locale=locale, viewport={"width": width, "height": height})
        ctx.set_default_timeout(15000)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def login(page, live_server, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in as a person would: the password, then the second step the page asks for.

    Staff set up an authenticator app the first time (the code is computed from the device's
    key, as the app would); a key person types the code from the e-mail they got.
    """
    import re

    from django.core import mail
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.test_sign_in import totp_now

    mail.outbox.clear()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.form button.button--primary")
    page.wait_for_load_state()
    if "/login/setup/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        page.fill("#id_code", totp_now(device))
        page.click("form.form button.button--primary")
        page.wait_for_load_state()
        page.click("a.button--primary")  # past the backup codes
    elif "/login/verify/" in page.url:
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is not None:
            code = totp_now(device)
        else:
            code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
        page.fill("#id_code", code)
        page.click("form.form button.button--primary")
    page.wait_for_load_state()
    assert "/login/" not in page.url, page.url


@pytest.fixture(autouse=True)
def vocabulary(transactional_db: None) -> None:
    """Transactional tests flush the database after each test, data migrations included: load them again."""
    import importlib

    from django.apps import apps

    importlib.import_module("sleutelnet.people.migrations.0002_vocabulary").load(apps, None)
