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
