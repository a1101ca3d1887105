"""The matching engine imports no Django and nothing else of ours (DESIGN.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "src" / "sleutelnet" / "matching"


def test_no_django_or_app_imports_in_the_engine() -> None:
    offenders = []
    files = sorted(ENGINE.rglob("*.py"))
    assert files
    for path in files:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith("django") or (
                    name.startswith("sleutelnet") and not name.startswith("sleutelnet.matching")
                ):
                    offenders.append(f"{path.name}: {name}")
    assert not offenders, offenders


def test_engine_runs_where_django_cannot_be_imported() -> None:
    code = (
        "import sys; sys.modules['django'] = None\n"
        "import sleutelnet.matching.engine, sleutelnet.matching.types\n"
        "print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
