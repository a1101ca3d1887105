"""schemathesis against /api/v1/openapi.json with a token of each role: no server error and no
answer that breaks the document, over every operation (bounded: a few examples per operation).

The document is loaded from the application itself (WSGI, in this process), so the calls see the
test database. Each operation runs as every role, and anonymously.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from sleutelnet.conf.wsgi import application
from sleutelnet.core.models import Role
from tests import factories as f
from tests.auth import api_token
from tests.conftest import make_world

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
ROLES = [Role.COORDINATOR, Role.REQUESTER, Role.KEY_PERSON, Role.POLICY_OFFICER, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():  # type: ignore[no-untyped-def]
    """The calls go through the real WSGI handler, which closes old database connections at every
    request; inside the test's transaction that would close it (Django's test client does the same)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db: None) -> dict[str, str]:
    """A world with records in it, and a token per role (scopes: all)."""
    world = make_world()
    users = {
        Role.COORDINATOR: world.coordinator,
        Role.REQUESTER: world.requester,
        Role.KEY_PERSON: world.key_person_user,
        Role.POLICY_OFFICER: world.policy_officer,
        Role.PRIVACY_OFFICER: f.member(Role.PRIVACY_OFFICER, world.region),
        Role.ADMINISTRATOR: f.member(Role.ADMINISTRATOR, world.region),
    }
    return {role: api_token(user) for role, user in users.items()}


#: Examples per operation; each goes out as the next role in turn, so every role is used.
EXAMPLES = 2 * (len(ROLES) + 1)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_error_and_no_answer_outside_the_document(case, tokens):  # type: ignore[no-untyped-def]
    turn = tokens.setdefault("_turn", 0)  # type: ignore[call-overload]
    tokens["_turn"] = turn + 1  # type: ignore[assignment]
    role = [None, *ROLES][turn % (len(ROLES) + 1)]
    headers = {"Accept-Language": "nl"}
    if role is not None:
        headers["Authorization"] = f"Bearer {tokens[role]}"
    case.call_and_validate(headers=headers, checks=CHECKS)
