"""No bad input ever causes a 500: every property of every write endpoint (taken from the OpenAPI
document) and every query key of every list gets a range of wrong values."""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuid_lib
from typing import Any

import pytest

from sleutelnet.api import openapi
from sleutelnet.core import clock
from sleutelnet.deployments import services
from tests import factories as f
from tests.api.conftest import request_body

BAD_VALUES: list[Any] = [
    None,
    "",
    "x" * 10_000,
    "\x00",
    "\ud800",
    -1,
    10**30,
    1.5,
    1e308,
    True,
    [None],
    {"a": 1},
    "2024-13-45",
    "9999-12-31T23:59:59+14:00",
    str(uuid_lib.UUID(int=0)),
]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi.generate()


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _properties(doc: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    body = doc["paths"]["/api/v1" + path.split("?")[0]][method].get("requestBody")
    if body is None:
        return {}
    return _resolve(doc, body["content"]["application/json"]["schema"]).get("properties", {})


#: Fewer values for updates: they share the serializers of the creates, which get all values.
UPDATE_VALUES: list[Any] = [None, "x" * 10_000, "\ud800", 10**30, True, [None], {"a": 1}]


def _variants(doc: dict[str, Any], properties: dict[str, Any], values: list[Any]):  # type: ignore[no-untyped-def]
    """(name, value) pairs: each property with each bad value; list-of-object items, per inner property."""
    for name, schema in properties.items():
        for bad in values:
            yield name, bad
        items = schema.get("items")
        if schema.get("type") == "array" and items is not None and "$ref" in items:
            for inner in _resolve(doc, items).get("properties", {}):
                for bad in values:
                    yield name, [{inner: bad}]


def _check(response: Any, label: Any) -> None:
    assert response.status_code < 500, (label, response.status_code, response.content[:500])
    assert response["API-Version"] == "1.0.0"
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/problem+json"), label
        if response.status_code == 400 and response.json().get("invalidParams") is not None:
            assert response.json()["invalidParams"], label


def _send(client: Any, method: str, path: str, body: Any) -> Any:
    """The body as ASCII JSON, as a client would send it (lone surrogates escaped as \\ud800)."""
    return client.client.generic(
        method.upper(), "/api/v1" + path, json.dumps(body), content_type="application/json"
    )


def _path_template(path: str) -> str:
    parts = path.split("/")
    return "/".join("{uuid}" if len(p) == 36 and p.count("-") == 4 else p for p in parts)


def test_no_write_endpoint_answers_500(world, other_world, api, document):
    req = services.file_request(
        actor=world.requester, organisation=world.organisation, data=world.request_data()
    )
    later = req.starts_at + dt.timedelta(days=1)
    second = services.file_request(
        actor=world.requester,
        organisation=world.organisation,
        data=world.request_data(
            title="Tweede", starts_at=later, ends_at=later + dt.timedelta(hours=2)
        ),
    )
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    services.accept(actor=world.key_person_user, assignment=a)
    kp2 = f.KeyPersonFactory(region=world.region)
    [offered] = services.offer(actor=world.coordinator, request=second, key_persons=[kp2])

    requester, coordinator, key_person = (
        api(world.requester),
        api(world.coordinator),
        api(world.key_person_user),
    )
    cases = [
        (requester, "post", "/requests", request_body(world)),
        (requester, "patch", f"/requests/{second.uuid}", {}),
        (coordinator, "put", f"/requests/{second.uuid}", request_body(world)),
        (coordinator, "post", "/key-persons", {"fullName": "Semhar"}),
        (coordinator, "patch", f"/key-persons/{kp2.uuid}", {}),
        (key_person, "patch", f"/key-persons/{world.key_person.uuid}", {}),
        (
            coordinator,
            "post",
            "/newcomers",
            {"reference": "R-1", "displayName": "A", "municipality": world.municipality.cbs_code},
        ),
        (coordinator, "patch", f"/newcomers/{world.newcomer.uuid}", {}),
        (coordinator, "post", f"/requests/{second.uuid}/offer", {}),
        (coordinator, "post", f"/assignments/{offered.uuid}/return", {}),
        (
            key_person,
            "post",
            f"/assignments/{a.uuid}/report",
            {
                "date": clock.today().isoformat(),
                "hours": 2,
                "rolesUsed": ["translator"],
                "participants": 3,
            },
        ),
        (key_person, "post", f"/assignments/{a.uuid}/accept", {}),
        (coordinator, "post", f"/assignments/{a.uuid}/approve", {}),
        (key_person, "post", f"/assignments/{a.uuid}/decline", {}),
        (key_person, "post", f"/assignments/{a.uuid}/cancel", {}),
        (requester, "post", f"/requests/{req.uuid}/cancel", {}),
    ]
    tried = 0
    with clock.at(req.ends_at + dt.timedelta(hours=1)):
        for client, method, path, base in cases:
            properties = _properties(document, _path_template(path), method)
            assert properties or path.endswith(("/accept", "/approve")), path
            values = UPDATE_VALUES if method in ("put", "patch") else BAD_VALUES
            for name, bad in _variants(document, properties, values):
                response = _send(client, method, path, {**base, name: bad})
                _check(
                    response, (method, path, name, bad if not isinstance(bad, str) else bad[:20])
                )
                tried += 1
            for body in ([], "text", 5, None, {"unknown": 1}):
                _check(_send(client, method, path, body), (method, path, body))
    assert tried > 1000


def test_no_query_answers_500(world, api, document):
    clients = [api(world.coordinator), api(world.policy_officer)]
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for name in names:
            for bad in (
                "",
                "x" * 10_000,
                "-1",
                "1e308",
                "\x00",
                "2024-13-45",
                "null",
                "[]",
                "GM0000",
                "ti-",
            ):
                for client in clients:
                    _check(client.get(path, {name: bad}), (path, name, bad[:20]))
