"""docs/indicators.md holds the indicators as defined in code, and each key is computed."""

from __future__ import annotations

from pathlib import Path

from sleutelnet.reporting.indicators import INDICATORS, markdown
from sleutelnet.reporting.selectors import PeriodFigures

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_docs_hold_the_table_from_the_code() -> None:
    assert markdown() in DOC.read_text(encoding="utf-8"), "run: python -c 'from sleutelnet.reporting.indicators import markdown; print(markdown())'"


def test_every_simple_key_is_computed_by_period_figures() -> None:
    for indicator in INDICATORS:
        head = indicator.key.split(".")[0].split("|")[0]
        if head in ("breakdown", "status", "reason", "decline", "state", "efficiency", "voice"):
            continue
        assert hasattr(PeriodFigures, head) or head in PeriodFigures.__dataclass_fields__, indicator.key
