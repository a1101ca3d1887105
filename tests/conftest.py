"""Shared fixtures: one complete region ('world') and a second one for isolation tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from sleutelnet.core.models import Municipality, Organisation, Region, Role, User
from sleutelnet.deployments.services import RequestData
from sleutelnet.people.models import KeyPerson, Newcomer
from tests import factories as f


@dataclass
class World:
    """A region with one user per role, a key person with a login, and a newcomer."""

    region: Region
    municipality: Municipality
    organisation: Organisation
    coordinator: User
    requester: User
    policy_officer: User
    key_person_user: User
    key_person: KeyPerson
    newcomer: Newcomer

    def request_data(self, **overrides: object) -> RequestData:
        """A valid request for tomorrow 10:00-12:00 in Tigrinya."""
        start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
        values: dict[str, object] = dict(
            title="Ouderavond basisschool",
            kind="group_session",
            language=f.language("ti"),
            roles=f.roles("translator", "educator"),
            life_domains=f.domains("education"),
            municipality=self.municipality,
            place="De Regenboog, Doetinchem",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            chain_link="execution",
        )
        values.update(overrides)
        return RequestData(**values)  # type: ignore[arg-type]


def make_world(name: str = "Achterhoek") -> World:
    region = f.RegionFactory(name=name)
    municipality = f.MunicipalityFactory(region=region)
    organisation = f.OrganisationFactory(region=region, municipality=municipality)
    kp_user = f.member(Role.KEY_PERSON, region)
    kp = f.KeyPersonFactory(region=region, user=kp_user, email=kp_user.email)
    return World(
        region=region,
        municipality=municipality,
        organisation=organisation,
        coordinator=f.member(Role.COORDINATOR, region),
        requester=f.member(Role.REQUESTER, region, organisation),
        policy_officer=f.member(Role.POLICY_OFFICER, region),
        key_person_user=kp_user,
        key_person=kp,
        newcomer=f.NewcomerFactory(region=region, municipality=municipality),
    )


@pytest.fixture
def world(db: None) -> World:
    return make_world()


@pytest.fixture
def other_world(db: None) -> World:
    return make_world("Twente")



def pytest_configure(config: pytest.Config) -> None:
    """Hashing passwords the production way costs ~0.3 s each; tests need none of that strength."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def vocabulary_again(transactional_db: None) -> None:
    """Transactional tests flush the database after each test, data migrations included: load them again."""
    import importlib

    from django.apps import apps

    importlib.import_module("sleutelnet.people.migrations.0002_vocabulary").load(apps, None)


@pytest.fixture(autouse=True)
def _force_login_passes_both_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that are not about signing in sign in with `client.force_login`: let it pass the
    second step too (tests.auth.mark_verified). Tests of signing in use the real pages, or
    `tests.auth.password_only_login`."""
    from django.test import Client

    from tests.auth import login

    monkeypatch.setattr(Client, "force_login", lambda self, user, backend=None: login(self, user))


# --- the log scan: no personal data, BSN, password, token or session id in the application log -------
import logging as _logging  # noqa: E402
import re as _re  # noqa: E402


@pytest.fixture
def both(db: None):  # type: ignore[no-untyped-def]
    """Two regions with records of every kind, for the tests that walk every URL (tests.walk)."""
    from tests.walk import build

    return build(make_world("Achterhoek")), build(make_world("Twente"))


class _LogCapture(_logging.Handler):
    """Keeps every log record the whole run writes, as text, for the scan at the end."""

    def __init__(self) -> None:
        from sleutelnet.core.log_filters import SecretPathFilter

        super().__init__(level=_logging.DEBUG)
        self.lines: list[str] = []
        self.addFilter(SecretPathFilter())  # as the application's console handler does (settings.LOGGING)

    def emit(self, record: _logging.LogRecord) -> None:
        try:
            text = f"{record.name}: {record.getMessage()}"
        except Exception:  # noqa: BLE001 - a broken record is still scanned by what it has
            text = f"{record.name}: {record.msg!r} {record.args!r}"
        if record.exc_info:
            text += "\n" + _logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


_CAPTURE = _LogCapture()

#: What must never be in the application log (OWASP ASVS 16.2.5, BIO 8.15.02).
_FORBIDDEN = [
    ("a key person's name", _re.compile(r"Sleutelpersoon \d+|Tesfay\w* \w+")),
    ("a newcomer's name or reference", _re.compile(r"Nieuwkomer \d+|\bNC-\d{4}\b|ZQ-ERASE|Zuleikha|Hiwet")),
    ("a password", _re.compile(_re.escape(f.PASSWORD) + "|sleutelnet-demo|wrong-password-123")),
    ("an API token", _re.compile(r"\bsn_[A-Za-z0-9_-]{20,}")),
    ("a sign-in link or calendar secret", _re.compile(r"/login/link/[A-Za-z0-9_-]{16,}|/calendar/[A-Za-z0-9_-]{16,}")),
    ("an authorization header or session cookie", _re.compile(r"(?i)\bbearer [A-Za-z0-9_-]{10,}|sessionid=|csrftoken=")),
    ("an e-mail address", _re.compile(r"[\w.+-]+@example\.org")),
    ("a phone number", _re.compile(r"\b06[- ]?\d{8}\b")),
]


def pytest_sessionstart(session: pytest.Session) -> None:
    _logging.getLogger().addHandler(_CAPTURE)


@pytest.fixture(autouse=True)
def _log_capture_in_place() -> None:
    """Something may configure logging again (dictConfig replaces the root's handlers): re-attach."""
    root = _logging.getLogger()
    if _CAPTURE not in root.handlers:
        root.addHandler(_CAPTURE)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when the application log holds personal data or secrets."""
    from sleutelnet.core.sensitive import bsn_like
    from tests.auth import ISSUED_KEYS

    _logging.getLogger().removeHandler(_CAPTURE)
    found: list[str] = []
    for line in _CAPTURE.lines:
        for what, pattern in _FORBIDDEN:
            if pattern.search(line):
                found.append(f"{what}: {line[:300]}")
        if bsn_like(line):
            found.append(f"a BSN-like number: {line[:300]}")
        if any(key in line for key in ISSUED_KEYS):
            found.append(f"an issued API token: {line[:300]}")
    if session.testscollected > 200 and len(_CAPTURE.lines) < 100:
        found.append(f"the scan saw only {len(_CAPTURE.lines)} log lines in {session.testscollected} tests: it proves nothing")
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = f"\nLOG SCAN FAILED: {len(found)} log lines hold personal data or secrets:\n" + "\n".join(sorted(set(found))[:50])
        if reporter is not None:
            reporter.write_line(message, red=True)
        else:
            print(message)
        session.exitstatus = 1
    elif _CAPTURE.lines is not None:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"Log scan: {len(_CAPTURE.lines)} log lines, none with personal data or secrets.")
