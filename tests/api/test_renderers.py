"""Our camelCase renderer writes exactly what djangorestframework-camel-case's camelize wrote."""

from __future__ import annotations

import json

import pytest
from django.utils.translation import gettext_lazy
from djangorestframework_camel_case.util import camelize as library_camelize
from rest_framework.utils.encoders import JSONEncoder

from sleutelnet.api.renderers import CamelCaseJSONRenderer, camel_key, camelize
from tests.api.conftest import request_body


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("key_persons_needed", "keyPersonsNeeded"),
        ("uuid", "uuid"),
        ("life_domains", "lifeDomains"),
        ("a_1", "a1"),
        ("_private", "Private"),
        ("trailing_", "trailing_"),
        ("page_size_2x", "pageSize2x"),
        ("already_Camel", "already_Camel"),
    ],
)
def test_keys_convert_as_the_library_converts_them(key, expected):
    assert camel_key(key) == expected == library_camelize({key: 1}).popitem()[0]


def test_nested_data_and_lazy_strings_convert_as_the_library_converts_them():
    data = {
        "next_page": None,
        "results": [{"starts_at": "x", "confirmed_key_persons": [{"assignment_id": 1}]}, ("a_b", {"c_d": 2})],
        gettext_lazy("lazy_key"): gettext_lazy("lazy value"),
        3: {"int_key_parent": True},
        "a_set": {"x_y"},
    }
    ours = json.dumps(camelize(data), default=str)
    theirs = json.dumps(library_camelize(data), default=str)
    assert ours == theirs
    assert '"nextPage"' in ours and '"confirmedKeyPersons"' in ours and '"assignmentId"' in ours


@pytest.mark.django_db
def test_a_real_api_page_renders_as_the_library_renders_it(world, api):
    requester = api(world.requester)
    assert requester.post("/requests", request_body(world)).status_code == 201
    response = requester.get("/requests")
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, CamelCaseJSONRenderer)
    body = response.json()
    assert body["results"][0]["keyPersonsNeeded"] == 1 and "key_persons_needed" not in body["results"][0]
    assert json.dumps(camelize(response.data), cls=JSONEncoder) == json.dumps(library_camelize(response.data), cls=JSONEncoder)
