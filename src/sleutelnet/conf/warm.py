"""Warm a new web worker before it takes requests (gunicorn's `post_worker_init`, sleutelnet.conf.gunicorn).

Django builds much of what a page needs on first use: the URL patterns (which import every
view, serializer and form), each model's lists of fields and relations, each template, and each
language's translation catalogue. In a
fresh worker the first request pays for all of it, about 0.3 s of CPU here, and the first page of
each kind some 50-100 ms more. gunicorn replaces a worker every GUNICORN_MAX_REQUESTS requests,
so without this some visitor of every new worker waits for its start. Done here, the worker is
ready when gunicorn gives it its first request, and the other workers serve meanwhile.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

logger = logging.getLogger(__name__)

#: Our own templates only: the package's apps (the admin's are compiled when someone opens it).
PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATE_SUFFIXES = (".html", ".txt", ".ics")


@dataclass
class Warmed:
    """What the warm-up did, for the worker's log line and for the tests."""

    url_patterns: int = 0
    models: int = 0
    templates: int = 0
    languages: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _count_patterns(patterns: list[object]) -> int:
    total = 0
    for p in patterns:
        inner = getattr(p, "url_patterns", None)
        total += _count_patterns(inner) if inner is not None else 1
    return total


def _our_templates() -> list[str]:
    """Template names (as `get_template` takes them) in the templates folder of each of our apps."""
    names: set[str] = set()
    for folder in PACKAGE.glob("*/templates"):
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in TEMPLATE_SUFFIXES:
                names.add(path.relative_to(folder).as_posix())
    return sorted(names)


def warm_up() -> Warmed:
    """Build the URL patterns and the models' field caches, compile our templates and load every
    interface language.

    A template that does not compile is logged and left for its page to report, so a mistake in
    one page cannot keep the whole site from starting (an app that cannot be imported fails here
    as it would on the first request).
    """
    from django.apps import apps
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    started = time.perf_counter()
    out = Warmed()
    resolver = get_resolver()
    out.url_patterns = _count_patterns(resolver.url_patterns)
    resolver.reverse_dict  # noqa: B018 - builds the lookup {% url %} and reverse() use
    for model in apps.get_models():  # the field lists and relations a query's compiler walks
        opts = model._meta
        opts.get_fields(include_hidden=True)
        opts.related_objects  # noqa: B018 - a cached property
        opts.fields_map  # noqa: B018
        out.models += 1
    engine = engines["django"]
    for name in _our_templates():
        try:
            engine.get_template(name)  # the cached loader keeps the compiled template
        except Exception as exc:  # noqa: BLE001 - logged; the page itself shows the error to its tests
            out.failed.append(name)
            logger.warning("warm-up: template %s does not compile: %s", name, exc)
        else:
            out.templates += 1
    current = translation.get_language()
    try:
        for code, _name in settings.LANGUAGES:
            translation.activate(code)  # loads the language's merged catalogue, once per process
            out.languages.append(code)
    finally:
        if current:
            translation.activate(current)
        else:
            translation.deactivate()
    out.seconds = round(time.perf_counter() - started, 3)
    return out
