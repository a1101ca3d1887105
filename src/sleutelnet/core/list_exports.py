"""Every list a user can see, as a CSV or XLSX download, with the same scope and filters as the page.

An app registers its lists in its `lists` module: a name, how to get the user's queryset from
the page's filter parameters (through the app's selectors, so the scope is the page's), the
header and one row per record. The download runs at once for up to BACKGROUND_ROWS rows and as a
background task beyond (sleutelnet.tasks); either way `core.exports` neutralises formulas and
the persons in the file are logged as exported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

from sleutelnet.core.models import User


@dataclass(frozen=True)
class ListExport:
    name: str
    #: the file's name and the task's title, translated when called
    title: Callable[[], str]
    queryset: Callable[[User, QueryDict], QuerySet[Any]]
    header: Callable[[], Sequence[str]]
    row: Callable[[Any], Sequence[Any]]
    #: the processing activity of the persons in the list (core.processing)
    activity: str


LISTS: dict[str, ListExport] = {}


def register(spec: ListExport) -> ListExport:
    LISTS[spec.name] = spec
    return spec


def get(name: str) -> ListExport:
    from django.utils.module_loading import autodiscover_modules

    if name not in LISTS:
        autodiscover_modules("lists")
    return LISTS[name]


def rows(spec: ListExport, qs: QuerySet[Any]) -> Iterator[Sequence[Any]]:
    for obj in qs.iterator(chunk_size=500):
        yield spec.row(obj)
