"""Production mode refuses to start insecure; every environment variable is documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "SLEUTELNET_MODE", "PROCESSING_LOG_KEY"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "sleutelnet.conf.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SLEUTELNET_MODE": "production"}, "insecure SECRET_KEY"),
        ({"SLEUTELNET_MODE": "production", "SECRET_KEY": "short"}, "insecure SECRET_KEY"),
        ({"SLEUTELNET_MODE": "production", "SECRET_KEY": "x" * 60, "DEBUG": "true"}, "DEBUG"),
        ({"SLEUTELNET_MODE": "production", "SECRET_KEY": "x" * 60}, "insecure SECRET_KEY"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        (
            {"SLEUTELNET_MODE": "production", "SECRET_KEY": "k3J9-vQ2m!xR7pL0zW5tY8uB1nC4eF6gH2jK9sD3aQ7wE5rT1yU", "DEBUG": "false"},
            "PROCESSING_LOG_KEY",
        ),
    ],
)
def test_refuses_insecure_or_invalid_settings(env: dict[str, str], message: str) -> None:
    result = _start(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_strong_secret() -> None:
    secret = "k3J9-vQ2m!xR7pL0zW5tY8uB1nC4eF6gH2jK9sD3aQ7wE5rT1yU"
    result = _start(
        {"SLEUTELNET_MODE": "production", "SECRET_KEY": secret, "DEBUG": "false", "PROCESSING_LOG_KEY": "p" * 8 + secret}
    )
    assert result.returncode == 0, result.stderr


def test_every_environment_variable_is_documented() -> None:
    from sleutelnet.conf.env import READ

    documented = set(re.findall(r"^\|\s*`([A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text(), re.M))
    assert READ, "settings read no variables?"
    missing = sorted(set(READ) - documented)
    assert not missing, f"Add these to docs/configuration.md: {missing}"


@pytest.mark.django_db
def test_postgresql_runs_without_jit_and_parallel_plans() -> None:
    """JIT compilation and parallel plans cost more than they save on the pages' short queries
    (DATABASE_JIT, DATABASE_PARALLEL_WORKERS); so does searching every join order of a card's
    eight relations (DATABASE_JOIN_COLLAPSE_LIMIT)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting; this pass runs on SQLite")
    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == "off"
        cur.execute("SHOW max_parallel_workers_per_gather")
        assert cur.fetchone()[0] == "0"
        cur.execute("SHOW join_collapse_limit")
        assert cur.fetchone()[0] == "6"
