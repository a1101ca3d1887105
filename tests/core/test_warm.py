"""A new web worker warms itself before its first request (sleutelnet.conf.warm, gunicorn's post_worker_init)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.template import engines

from sleutelnet.conf import gunicorn as gunicorn_conf
from sleutelnet.conf.warm import _our_templates, warm_up


def _cached_names() -> set[str]:
    loader = engines["django"].engine.template_loaders[0]  # the cached loader (DEBUG off or on, Django >= 4.1)
    return set(getattr(loader, "get_template_cache", {}))


def test_the_warm_up_compiles_every_template_of_ours_and_loads_every_language() -> None:
    names = _our_templates()
    assert "web/base.html" in names and "deployments/agenda.html" in names and len(names) > 100
    engines["django"].engine.template_loaders[0].reset()  # a worker as it starts: nothing compiled yet
    done = warm_up()
    assert done.failed == []
    assert done.templates == len(names)
    assert set(names) <= _cached_names()  # the first request finds them compiled
    assert done.url_patterns > 100 and done.models > 30


_FRESH_WORKER = """
import django
django.setup()
from django.utils.translation import trans_real
from sleutelnet.conf.warm import warm_up
before = sorted(trans_real._translations)
warm_up()
print(before, sorted(trans_real._translations))
"""


def test_the_warm_up_loads_the_catalogue_of_every_language_in_a_fresh_worker() -> None:
    # In this test process other tests have loaded catalogues already; a new process has none.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sleutelnet.conf.settings"}
    result = subprocess.run([sys.executable, "-c", _FRESH_WORKER], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    before, after = result.stdout.strip().splitlines()[-1].split("] [")
    codes = [code for code, _ in settings.LANGUAGES]
    assert not any(f"'{code}'" in before for code in codes if code != "nl")
    assert all(f"'{code}'" in after for code in codes), after


def test_a_template_that_does_not_compile_is_logged_and_does_not_stop_the_worker(caplog, monkeypatch) -> None:
    from sleutelnet.conf import warm

    monkeypatch.setattr(warm, "_our_templates", lambda: ["web/base.html", "no/such/template.html"])
    with caplog.at_level(logging.WARNING, logger="sleutelnet.conf.warm"):
        done = warm_up()
    assert done.templates == 1 and done.failed == ["no/such/template.html"]
    assert "no/such/template.html" in caplog.text


class _Worker:
    """What gunicorn hands its hooks: a worker with a logger."""

    def __init__(self) -> None:
        self.log = logging.getLogger("gunicorn.error.test")


def test_gunicorn_warms_each_worker_after_loading_the_application(caplog) -> None:
    with caplog.at_level(logging.INFO, logger="gunicorn.error.test"):
        gunicorn_conf.post_worker_init(_Worker())
    line = next((r.getMessage() for r in caplog.records if r.getMessage().startswith("worker warmed in")), "")
    assert line, caplog.text
    assert f"{len(_our_templates())} templates" in line and "did not compile" not in line


@pytest.mark.parametrize("value, expected", [("", 5000), ("800", 800)])
def test_workers_are_replaced_after_many_requests_not_every_thousand(monkeypatch, value, expected) -> None:
    import importlib

    if value:
        monkeypatch.setenv("GUNICORN_MAX_REQUESTS", value)
    else:
        monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    reloaded = importlib.reload(gunicorn_conf)
    try:
        assert reloaded.max_requests == expected and reloaded.max_requests_jitter == expected // 10
    finally:
        monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
        importlib.reload(gunicorn_conf)
