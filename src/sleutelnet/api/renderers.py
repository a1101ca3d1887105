"""JSON with camelCase keys, as djangorestframework-camel-case writes it, at a fraction of the cost.

The library's renderer runs a regular expression over every key of every record on every call:
a page of 20 requests has some 650 keys, which cost more than serialising the page (bench/load.py).
The API has a fixed set of keys, so each is converted once per process and remembered. The output
is the same (tests/api/test_renderers.py checks it against the library's camelize).
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import GeneratorType
from typing import Any

from django.utils.encoding import force_str
from django.utils.functional import Promise
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict

_SNAKE = re.compile(r"[a-z0-9]?_[a-z0-9]")


def _upper(match: re.Match[str]) -> str:
    group = match.group()
    return group[0] + group[2].upper() if len(group) == 3 else group[1].upper()


@lru_cache(maxsize=4096)
def camel_key(key: str) -> str:
    """`key_persons_needed` -> `keyPersonsNeeded`; keys without an underscore stay as they are."""
    return _SNAKE.sub(_upper, key) if "_" in key else key


def camelize(data: Any) -> Any:
    """The data with every dict key in camelCase, recursively (lists, tuples, lazy strings)."""
    if isinstance(data, dict):
        out: dict[Any, Any] = ReturnDict(serializer=data.serializer) if isinstance(data, ReturnDict) else {}
        for key, value in data.items():
            if isinstance(key, Promise):
                key = force_str(key)
            out[camel_key(key) if isinstance(key, str) else key] = camelize(value)
        return out
    if isinstance(data, (list, tuple, set, frozenset, GeneratorType)):
        return [camelize(item) for item in data]
    if isinstance(data, Promise):
        return force_str(data)
    return data


class CamelCaseJSONRenderer(JSONRenderer):
    """DRF's JSON renderer, keys in camelCase (NLGov API design rules)."""

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return super().render(camelize(data), accepted_media_type, renderer_context)
