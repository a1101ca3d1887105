"""The production setup: one set of commands (Procfile = systemd units = docs), gunicorn's config,
production settings, and the deploy check that starts it all on this machine (scripts/deploy_check.py)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = "/opt/sleutelnet/.venv/bin/"
SRC = ROOT / "src" / "sleutelnet"


def _deploy_check() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deploy_check", ROOT / "scripts" / "deploy_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


read_procfile = _deploy_check().read_procfile
UNITS = {
    "web": DEPLOY / "sleutelnet-web.service",
    "worker": DEPLOY / "sleutelnet-worker.service",
    "tasks": DEPLOY / "sleutelnet-tasks.service",
}


def exec_start(unit: Path) -> str:
    [line] = [x for x in unit.read_text().splitlines() if x.startswith("ExecStart=")]
    return line.removeprefix("ExecStart=")


def test_the_systemd_units_run_the_procfile_commands() -> None:
    processes = read_procfile(DEPLOY / "Procfile")
    assert {"release", "web", "worker", "tasks"} <= processes.keys()
    for name, unit in UNITS.items():
        command = exec_start(unit)
        assert command.startswith(VENV_BIN), unit
        assert command.removeprefix(VENV_BIN) == processes[name], f"{unit.name} and the Procfile's {name!r} differ"


def test_docs_deploy_quotes_the_files_as_they_are() -> None:
    doc = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for path in (DEPLOY / "Procfile", *UNITS.values()):
        assert path.read_text(encoding="utf-8").strip() in doc, f"docs/deploy.md does not quote {path.name} as it is"
    assert "/healthz" in doc and "collectstatic" in doc and "migrate" in doc


def test_every_static_reference_exists() -> None:
    """Production's manifest storage answers 500 for a {% static %} of a file that does not exist."""
    from django.contrib.staticfiles import finders

    pattern = re.compile(r"""(?:\{%\s*static\s+|\bstatic\()\s*["']([^"']+)["']""")
    missing, seen = [], 0
    for path in [*SRC.rglob("*.html"), *SRC.rglob("*.py")]:
        for name in pattern.findall(path.read_text(encoding="utf-8", errors="replace")):
            seen += 1
            if finders.find(name) is None:
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    assert seen > 5, "found no static references: the pattern is wrong"
    assert not missing, missing


def _gunicorn_config(env: dict[str, str]) -> dict[str, str]:
    """gunicorn's own reading of sleutelnet.conf.gunicorn (--print-config), as {setting: value}."""
    clean = {k: v for k, v in os.environ.items() if k not in {"WEB_CONCURRENCY", "GUNICORN_BIND", "PORT", "LOG_FORMAT", "SLEUTELNET_MODE", "SECRET_KEY"}}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--config", "python:sleutelnet.conf.gunicorn", "--print-config", "sleutelnet.conf.wsgi"],
        env={**clean, **env}, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return {k.strip(): v.strip() for k, _sep, v in (line.partition("=") for line in result.stdout.splitlines()) if _sep}


def test_gunicorn_reads_its_settings_from_the_environment() -> None:
    from sleutelnet.conf.gunicorn import MAX_DEFAULT_WORKERS, cores

    config = _gunicorn_config({"WEB_CONCURRENCY": "3", "GUNICORN_BIND": "127.0.0.1:9123", "LOG_FORMAT": "json"})
    assert config["workers"] == "3" and config["bind"] == "['127.0.0.1:9123']"
    assert config["graceful_timeout"] == "30" and config["timeout"] == "60"
    assert "JsonFormatter" in config["logconfig_dict"] and "SecretPathFilter" in config["logconfig_dict"]
    assert config["accesslog"] == "None"  # the JSON handlers write the access lines, no plain second copy
    default = _gunicorn_config({"PORT": "9124"})
    assert default["workers"] == str(min(2 * cores() + 1, MAX_DEFAULT_WORKERS))
    assert default["bind"] == "['127.0.0.1:9124']"  # the loopback unless told otherwise
    assert "JsonFormatter" not in default["logconfig_dict"]  # development: text


def test_production_settings_collect_static_files_and_let_the_probe_through() -> None:
    secret = "k3J9-vQ2m!xR7pL0zW5tY8uB1nC4eF6gH2jK9sD3aQ7wE5rT1yU"
    code = (
        "import json, re, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'storage': s.STORAGES['staticfiles']['BACKEND'], 'finders': s.WHITENOISE_USE_FINDERS,"
        "'exempt': any(re.search(p, 'healthz') for p in s.SECURE_REDIRECT_EXEMPT), 'redirect': s.SECURE_SSL_REDIRECT,"
        "'first': s.MIDDLEWARE[:2]}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "SLEUTELNET_MODE", "PROCESSING_LOG_KEY"}}
    env = {**clean, "DJANGO_SETTINGS_MODULE": "sleutelnet.conf.settings", "SLEUTELNET_MODE": "production", "SECRET_KEY": secret, "PROCESSING_LOG_KEY": "p" * 8 + secret}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    prod = json.loads(result.stdout)
    assert prod["storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage" and prod["finders"] is False
    assert prod["redirect"] is True and prod["exempt"] is True
    assert prod["first"] == ["django.middleware.security.SecurityMiddleware", "sleutelnet.web.health.HealthCheckMiddleware"]
    # development (this test run) keeps serving from the source tree
    from django.conf import settings

    assert settings.STORAGES["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert settings.WHITENOISE_USE_FINDERS is True


def _postgres_server() -> str | None:
    """The PostgreSQL server the deploy check uses, when it answers."""
    server = os.environ.get("DEPLOY_CHECK_SERVER", "postgres://postgres@127.0.0.1:5432")
    parts = urlsplit(server)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=1).close()
    except OSError:
        return None
    return server


def test_the_deploy_check_starts_production_on_this_machine() -> None:
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs once, in the SQLite pass: it makes its own PostgreSQL database either way")
    server = _postgres_server()
    if server is None:
        pytest.skip("no PostgreSQL answers (set DEPLOY_CHECK_SERVER or start one on 127.0.0.1:5432)")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "deploy_check.py"), "--server", server, "--json"],
        capture_output=True, text=True, timeout=600,
    )
    if result.returncode == 3:
        pytest.skip(f"PostgreSQL does not accept the check: {result.stderr.strip()}")
    report = json.loads(result.stdout) if result.stdout.startswith("{") else {"passed": False, "checks": [], "figures": {}}
    failed = [f"{name}: {detail}" for name, ok, detail in report["checks"] if not ok]
    assert result.returncode == 0 and report["passed"], failed or result.stderr[-3000:]
    print(f"deploy check: {time.monotonic() - started:.1f} s, {report['figures']}")
