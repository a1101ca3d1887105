"""`make check` is clean: ruff, complete migrations, check --deploy in production mode, bandit."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_check_is_clean() -> None:
    result = subprocess.run(["bash", str(ROOT / "scripts" / "check.sh")], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "== All checks passed" in result.stdout
