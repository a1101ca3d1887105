"""The permission matrix holds for every URL, every method, every role, own and foreign records.

The URLs come from Django's resolver, not from a list kept by hand: a new page or endpoint
without an entry in `core.permissions.MATRIX` fails `test_every_url_has_an_entry`. For every
URL, method and role (and anonymous) the answer must be the one the matrix gives:

- a method the matrix does not list: 405, for everyone;
- anonymous on a page that needs a login: to the login page (web) or 401 (API);
- a role the matrix does not list for that method: 403;
- an allowed role on a record outside its scope (another region, another organisation,
  another key person): 404, and nothing of that record in the answer;
- an allowed role on its own record: an answer of the view (never 401, 403, 404, 405 or 5xx);
- lists and searches of an allowed role: nothing of the foreign records in the answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sleutelnet.core.models import Role, User
from sleutelnet.core.permissions import ANYONE, MATRIX, METHODS, ROLES, Endpoint, endpoint_for
from tests.auth import api_client, login
from tests.walk import Records, admin_url, own_and_foreign, url_for, url_patterns, user_of  # noqa: F401

pytestmark = pytest.mark.django_db


def test_every_url_has_an_entry() -> None:
    missing = [name for name, _p in url_patterns() if endpoint_for(name) is None]
    assert not missing, f"URLs without an entry in core.permissions.MATRIX: {missing}"


def test_every_entry_has_a_url() -> None:
    names = {name for name, _p in url_patterns()}
    stale = [name for name in MATRIX if name != "admin:*" and name not in names]
    assert not stale, f"Entries of the matrix without a URL: {stale}"


def test_policy_officers_see_aggregates_only_and_privacy_officers_no_workflow() -> None:
    for endpoint in MATRIX.values():
        for method in endpoint.methods:
            scopes = endpoint.roles_for(method)
            # The one exception: in the voice loop a policy officer works with key persons as
            # advisers, by name (docs/privacy.md, section 4); never with newcomers' data.
            if Role.POLICY_OFFICER in scopes and endpoint.activity not in (None, "voice"):
                raise AssertionError(f"{endpoint.name}: a policy officer reaches personal data")


# --- the walk -------------------------------------------------------------------------------------


def call(client: Any, method: str, url: str) -> Any:
    if isinstance(client, APIClient):
        return getattr(client, method.lower())(url, {}, format="json")
    if method == "GET":
        return client.get(url)
    return getattr(client, method.lower())(url, {} if method == "POST" else "", **({} if method == "POST" else {"content_type": "application/x-www-form-urlencoded"}))


def client_for(user: User | None, api: bool) -> Any:
    if api:
        return api_client(user)
    client = Client()
    if user is not None:
        login(client, user)
    return client


def expected_refusal(endpoint: Endpoint, method: str, role: str) -> int | None:
    """The status the matrix demands before any record is looked up; None when the role may pass."""
    allowed = endpoint.roles_for(method)
    if not allowed:
        return 405
    if ANYONE in allowed:
        return None
    if role == "anonymous":
        return 401 if endpoint.is_api else 302
    return None if role in allowed else 403


def markers_of(records: list[Any]) -> list[str]:
    """Strings that would betray a record in an answer: its UUID and, for people, their names."""
    out = []
    for r in records:
        out.append(str(r.uuid))
        for attr in ("full_name", "reference", "display_name"):
            if getattr(r, attr, ""):
                out.append(getattr(r, attr))
    return out


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_the_matrix_holds_everywhere(both: tuple[Records, Records], role: str) -> None:
    mine, theirs = both
    user = user_of(mine, role)
    failures: list[str] = []
    everything_foreign = [theirs.request, theirs.assignment, theirs.report, theirs.world.key_person, theirs.world.newcomer]
    if role in (Role.REQUESTER, Role.KEY_PERSON):
        everything_foreign += [mine.org2_request, mine.org2_assignment, mine.org2_report, mine.other_key_person]
    web, api = client_for(user, False), client_for(user, True)
    for name, pattern in url_patterns():
        endpoint = endpoint_for(name)
        assert endpoint is not None, name
        for method in METHODS:
            client = api if endpoint.is_api else web
            if user is not None and not endpoint.is_api and "_auth_user_id" not in client.session:
                login(client, user)  # a sign-out page ended the session
            if name.startswith("admin:"):
                targets = [(admin_url(name, pattern, mine), "own"), (admin_url(name, pattern, theirs), "foreign")]
                if targets[0][0] is None:
                    continue
                if targets[0][0] == targets[1][0]:  # the same for every region (index, lists, vocabularies)
                    targets = targets[:1]
            elif endpoint.subject:
                own, foreign = own_and_foreign(endpoint.subject, role, mine, theirs)
                targets = [(url_for(name, pattern, own), "own")] + [(url_for(name, pattern, x), "foreign") for x in foreign]
            else:
                targets = [(url_for(name, pattern, None), "own")]
            refusal = expected_refusal(endpoint, method, role)
            admin_own = None
            for url, kind in targets:
                response = call(client, method, url)
                got = response.status_code
                where = f"{role} {method} {url} ({kind})"
                if kind == "own" and name.startswith("admin:"):
                    admin_own = got
                if refusal is not None:
                    if got != refusal:
                        failures.append(f"{where}: {got}, the matrix says {refusal}")
                    elif refusal == 302 and not response["Location"].startswith("/login/"):
                        failures.append(f"{where}: sent to {response['Location']}, not to the login page")
                    continue
                if kind == "foreign":
                    if name.startswith("admin:") and got == admin_own and got in (403, 405):
                        pass  # the admin refuses this action for every record (superusers only)
                    elif got != 404:
                        failures.append(f"{where}: {got}, a record outside the scope must be 404")
                    body = response.content.decode(errors="replace")
                    leaked = [m for m in markers_of(everything_foreign) if m in body and m not in url]
                    if leaked:
                        failures.append(f"{where}: the answer shows {leaked}")
                    continue
                if name.startswith("admin:") and got in (403, 405):
                    continue  # the admin's own finer rules (superuser-only actions, POST-only logout)
                if got >= 500 or got in (401, 403, 405) or (got == 404 and endpoint.subject and "token" not in str(pattern.pattern)):
                    failures.append(f"{where}: {got} for a record in scope")
                if got == 200 and method == "GET" and not endpoint.subject:
                    body = response.content.decode(errors="replace")
                    leaked = [m for m in markers_of(everything_foreign) if m in body]
                    if leaked:
                        failures.append(f"{where}: the list shows records outside the scope: {leaked}")
    assert not failures, "\n".join(failures)
