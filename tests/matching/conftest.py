"""Hypothesis profiles for the engine's property-based tests (pure Python, no Django needed).

`matching` (the default) is derandomized: every run, on every machine, tries the same examples,
so CI cannot turn red by chance. `matching-explore` draws new examples each run (set
HYPOTHESIS_PROFILE=matching-explore locally to search harder); a failure it finds prints the
example, which then belongs in a regular test.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings

_COMMON: dict[str, Any] = {
    "deadline": None,  # HiGHS and the first import are slow once; timing is the benchmark's job
    "database": None,  # no .hypothesis/ folder in the repository
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("matching", max_examples=80, derandomize=True, **_COMMON)
settings.register_profile("matching-explore", max_examples=500, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "matching"))
