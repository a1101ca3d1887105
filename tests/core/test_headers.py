"""Every answer carries the security headers, and every cookie its flags (OWASP ASVS 3.3, 3.4, 14.3)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

import sleutelnet.conf.settings as configured
from sleutelnet.core.permissions import endpoint_for
from tests.walk import own_and_foreign, url_for, url_patterns, user_of  # noqa: F401

pytestmark = pytest.mark.django_db

REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def check_headers(response, where: str) -> list[str]:  # type: ignore[no-untyped-def]
    problems = []
    hsts = response.get("Strict-Transport-Security", "")
    match = re.search(r"max-age=(\d+)", hsts)
    if not match or int(match.group(1)) < 31536000 or "includeSubDomains" not in hsts:
        problems.append(f"{where}: HSTS {hsts!r}")
    csp = response.get("Content-Security-Policy", "")
    for needed in ("frame-ancestors 'none'", "object-src 'none'", "default-src 'self'", "script-src 'self'"):
        if needed not in csp:
            problems.append(f"{where}: CSP lacks {needed}")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        problems.append(f"{where}: CSP allows unsafe code: {csp}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{where}: no nosniff")
    if response.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"{where}: Referrer-Policy {response.get('Referrer-Policy')!r}")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"{where}: X-Frame-Options {response.get('X-Frame-Options')!r}")
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{where}: Cache-Control {response.get('Cache-Control')!r}")
    for name, morsel in response.cookies.items():
        if not morsel["secure"] or not morsel["httponly"] or morsel["samesite"] not in ("Lax", "Strict"):
            problems.append(f"{where}: cookie {name} lacks Secure/HttpOnly/SameSite")
        if not name.startswith("__Host-") and name != "django_language":
            problems.append(f"{where}: cookie {name} without the __Host- prefix")
    return problems


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "key_person", "privacy_officer", "administrator"])
def test_every_url_sends_the_security_headers(both, role, settings):  # type: ignore[no-untyped-def]
    for key, value in configured.SECURE_COOKIES.items():
        setattr(settings, key, value)
    mine, theirs = both
    user = user_of(mine, role)
    client = Client()
    if user is not None:
        client.force_login(user)
    problems: list[str] = []
    for name, pattern in url_patterns():
        endpoint = endpoint_for(name)
        if endpoint is None or "GET" not in endpoint.methods or (name.startswith("admin:") and name != "admin:index"):
            continue
        if name in ("logout", "accounts:oidc_authenticate", "accounts:oidc_callback"):
            continue
        record = own_and_foreign(endpoint.subject, role, mine, theirs)[0] if endpoint.subject else None
        url = url_for(name, pattern, record) if name != "admin:index" else "/admin/"
        response = client.get(url, secure=True)
        problems += check_headers(response, f"{role} GET {url} ({response.status_code})")
    # a login that sets the session and CSRF cookies
    login = Client()
    response = login.get("/login/", secure=True)
    problems += check_headers(response, "GET /login/")
    assert "__Host-csrftoken" in response.cookies
    assert not problems, "\n".join(problems)


def test_the_language_cookie_has_its_flags_too(world, settings):
    for key, value in configured.SECURE_COOKIES.items():
        setattr(settings, key, value)
    client = Client()
    client.get("/login/", secure=True)
    token = client.cookies["__Host-csrftoken"].value
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/", "csrfmiddlewaretoken": token}, secure=True)
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"
