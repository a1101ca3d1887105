"""docs/privacy.md says what the code does: the register, the retention periods, the session limits."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

from sleutelnet.core.processing import ACTIVITIES
from sleutelnet.privacy.services import LOGIN_ATTEMPT_DAYS, RETENTION

DOC = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text(encoding="utf-8")


def row(first_cell: str) -> str:
    for line in DOC.splitlines():
        if line.startswith(f"| {first_cell} |") or line.startswith(f"| {first_cell}:"):
            return line
    raise AssertionError(f"docs/privacy.md has no table row for {first_cell!r}")


def test_the_register_of_processing_activities_is_the_codes():
    with translation.override("en"):
        for activity in ACTIVITIES.values():
            line = row(f"`{activity.code}`")
            for text in (activity.name, activity.purpose, activity.legal_basis):
                assert str(text) in line, (activity.code, str(text))


def test_the_retention_defaults_and_bounds_are_the_codes():
    for kind, period in RETENTION.items():
        line = row(f"`{kind}`")
        assert re.search(rf"\| {period.default} months", line), (kind, line)
        assert f"| {period.minimum}–{period.maximum} |" in line, (kind, line)
    assert f"{settings.AUDIT_LOG_RETENTION_MONTHS} months (`AUDIT_LOG_RETENTION_MONTHS`" in DOC
    assert f"{settings.OUTBOX_RETENTION_DAYS} days (`OUTBOX_RETENTION_DAYS`)" in DOC
    assert f"| sign-in attempts (lock-out) | {LOGIN_ATTEMPT_DAYS} days |" in DOC


def test_the_session_limits_per_role_are_the_codes():
    names = {"privacy_officer": "privacy officer", "policy_officer": "policy officer", "key_person": "key person"}
    for role, (idle, absolute) in settings.SESSION_LIMITS.items():
        assert f"| {names.get(role, role)} | {idle} minutes | {absolute} hours |" in DOC, role
