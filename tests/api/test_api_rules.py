"""NLGov REST API Design Rules, checked over HTTP: version header, no trailing slash, camelCase,
problem+json, tokens only (no session), the committed OpenAPI document and the local docs page."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from sleutelnet.api import openapi
from sleutelnet.deployments import services
from tests import factories as f
from tests.api.conftest import Api, assert_problem

LIST_PATHS = [
    "/requests",
    "/assignments",
    "/activity-reports",
    "/key-persons",
    "/newcomers",
    "/organisations",
    "/municipalities",
    "/languages",
    "/key-person-roles",
    "/life-domains",
]


@pytest.fixture
def filed(world):
    req = services.file_request(
        actor=world.requester, organisation=world.organisation, data=world.request_data()
    )
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    return req, a


def test_api_version_header_on_success_error_and_404(world, api):
    client = api(world.coordinator)
    ok = client.get("/requests")
    assert ok.status_code == 200 and ok["API-Version"] == "1.0.0"
    assert ok["Content-Type"] == "application/json"
    assert_problem(client.post("/requests", {}), 400)
    assert_problem(api(None).get("/requests"), 401)
    assert_problem(client.get("/requests/00000000-0000-0000-0000-000000000000"), 404)
    for path in (
        "/api/v1/nothing-here",
        "/api/v1",
        "/api/v2/requests",
        "/api/v1/requests/not-a-uuid",
    ):
        body = assert_problem(client.get(path), 404)
        assert body["instance"] == path
    assert_problem(client.client.delete("/api/v1/requests"), 405)
    assert Client().get("/api/v1/openapi.json")["API-Version"] == "1.0.0"


def test_trailing_slash_is_404_not_a_redirect(world, filed, api):
    client = api(world.coordinator)
    req, a = filed
    paths = LIST_PATHS + [
        f"/requests/{req.uuid}",
        f"/requests/{req.uuid}/candidates",
        f"/assignments/{a.uuid}",
        "/reach",
        "/openapi.json",
        "/docs",
    ]
    for path in paths:
        assert client.get(path).status_code == 200, path
        slashed = client.get(path + "/")
        assert_problem(slashed, 404)
        assert "Location" not in slashed
    assert_problem(client.post(f"/requests/{req.uuid}/cancel/", {"reason": "x"}), 404)


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_responses_use_camel_case_keys(world, filed, api):
    coordinator = api(world.coordinator)
    req, a = filed
    bodies = [coordinator.get(path).json() for path in LIST_PATHS]
    bodies += [
        coordinator.get(f"/requests/{req.uuid}").json(),
        coordinator.get(f"/requests/{req.uuid}/candidates").json(),
        coordinator.get(f"/assignments/{a.uuid}").json(),
        coordinator.get("/reach").json(),
        coordinator.post("/requests", {}).json(),
    ]
    keys = set().union(*(_keys(b) for b in bodies))
    assert not {k for k in keys if "_" in k}, keys
    assert {
        "startsAt",
        "keyPersonsNeeded",
        "confirmedKeyPersons",
        "invalidParams",
        "matchReasons",
        "cbsCode",
    } <= keys


def test_session_login_is_not_accepted(world, api):
    browser = Client()
    browser.force_login(world.coordinator)
    assert browser.get("/").status_code in (200, 302)  # the web app knows the session
    response = browser.get("/api/v1/requests")
    body = assert_problem(response, 401)
    assert body["type"].endswith("not-authenticated")
    assert "Token" in response["WWW-Authenticate"] or "Bearer" in response["WWW-Authenticate"]
    assert_problem(browser.post("/api/v1/requests", {}, content_type="application/json"), 401)


def test_tokens_token_and_bearer_and_bad_ones(world, api):
    assert api(world.coordinator, scheme="Token").get("/requests").status_code == 200
    assert api(world.coordinator, scheme="Bearer").get("/requests").status_code == 200
    bad = Api(None)
    bad.client.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert_problem(bad.get("/requests"), 401)
    inactive = f.member("coordinator", world.region, is_active=False)
    assert_problem(api(inactive).get("/requests"), 401)


def test_create_api_token_command(world):
    from sleutelnet.accounts.models import ApiToken, hash_key
    from sleutelnet.core.models import Role

    f.member(Role.ADMINISTRATOR, world.region)
    out = StringIO()
    call_command(
        "create_api_token", world.requester.username, "--organisation", world.organisation.name,
        "--scopes", "requests:read", "--days", "30", stdout=out,
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get(key_hash=hash_key(key))  # only the hash is stored
    assert token.scopes == ["requests:read"] and token.user == world.requester and key not in str(token.__dict__)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/requests").status_code == 200
    assert client.get("/api/v1/assignments").status_code == 403  # not in its scopes
    with pytest.raises(Exception, match="recht|scope"):
        call_command("create_api_token", world.requester.username, "--organisation", world.organisation.name, "--scopes", "everything")


def test_unhandled_errors_are_problem_json_without_traceback(world, api, monkeypatch):
    from sleutelnet.api import views

    def explode(user):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.deployment_selectors, "requests_for", explode)
    response = api(world.coordinator).get("/requests")
    body = assert_problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert body["type"].endswith("server-error")


def test_openapi_document_is_public_and_committed(db):
    committed = openapi.default_path()
    assert committed.exists(), (
        "docs/api/openapi.json is missing: run `.venv/bin/sleutelnet export_openapi`."
    )
    assert committed.read_text(encoding="utf-8") == openapi.render(), (
        "docs/api/openapi.json is out of date: run `.venv/bin/sleutelnet export_openapi` and commit the result."
    )
    response = Client().get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert response.json() == json.loads(committed.read_text(encoding="utf-8"))


def test_openapi_document_follows_the_rules(db):
    doc = openapi.generate()
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["version"] == "1.0.0"
    for path, operations in doc["paths"].items():
        assert path.startswith("/api/v1/") and not path.endswith("/"), path
        segments = [s for s in path.split("/") if s and not s.startswith("{")]
        assert all(s == s.lower() and "_" not in s for s in segments), path  # kebab-case
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                assert "API-Version" in response.get("headers", {}), (path, method, code)
                if code >= "400":
                    assert "application/problem+json" in response["content"], (path, method, code)
            for parameter in operation.get("parameters", []):
                assert "_" not in parameter["name"], (path, parameter["name"])
    for name, schema in doc["components"]["schemas"].items():
        for prop in schema.get("properties", {}):
            assert "_" not in prop, (name, prop)
    assert "invalidParams" in doc["components"]["schemas"]["ValidationProblem"]["properties"]
    assert "inzetverzoek" in doc["components"]["schemas"]["Request"]["description"]
    assert "sleutelpersoon" in doc["components"]["schemas"]["KeyPerson"]["description"]
    assert doc["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"


def test_docs_page_loads_local_assets(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "<style" not in html and "<script>" not in html  # nothing inline: the strict CSP holds here too
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    init = Client().get("/api/v1/docs?script=")  # the init script, as a file
    assert init.status_code == 200 and "/api/v1/openapi.json" in init.content.decode()
    asset = Client().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200


def test_list_queries_do_not_grow_with_the_number_of_records(world, api):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sleutelnet.core import clock

    coordinator = api(world.coordinator)
    paths = ["/requests", "/assignments", "/activity-reports", "/key-persons", "/newcomers"]

    def add(n: int) -> None:
        for i in range(n):
            start = world.request_data().starts_at + dt.timedelta(days=2 + i + len(paths) * n)
            req = services.file_request(
                actor=world.requester,
                organisation=world.organisation,
                data=world.request_data(starts_at=start, ends_at=start + dt.timedelta(hours=1)),
            )
            kp = f.KeyPersonFactory(region=world.region)
            [a] = services.offer(actor=world.coordinator, request=req, key_persons=[kp])
            f.NewcomerFactory(region=world.region, municipality=world.municipality)
            if kp.user is None:
                kp.user = f.member("key_person", world.region)
                kp.save()
            services.accept(actor=kp.user, assignment=a)
            with clock.at(req.ends_at):
                services.submit_report(
                    actor=kp.user,
                    assignment=a,
                    data=services.ReportData(
                        date=clock.today(),
                        hours=1,
                        roles_used=f.roles("translator"),
                        participants=2,
                    ),
                )

    coordinator.get("/languages")  # the token's first use writes last_used_at once; not part of a list

    def counts() -> dict[str, int]:
        result = {}
        for path in paths:
            with CaptureQueriesContext(connection) as ctx:
                assert coordinator.get(path).status_code == 200
            result[path] = len(ctx.captured_queries)
        return result

    add(2)
    few = counts()
    add(5)
    many = counts()
    assert many == few, (few, many)
