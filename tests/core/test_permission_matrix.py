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

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from sleutelnet.core import clock
from sleutelnet.core.models import Membership, Role, User
from sleutelnet.core.permissions import ANYONE, MATRIX, METHODS, ROLES, Endpoint, endpoint_for
from sleutelnet.deployments import services
from tests import factories as f
from tests.auth import api_client, login
from tests.conftest import World, make_world
from tests.web.conftest import accepted_in_past, report_data

pytestmark = pytest.mark.django_db


def url_patterns() -> list[tuple[str, URLPattern]]:
    """(view name, pattern) of every URL the project answers, as the resolver sees them."""
    found: list[tuple[str, URLPattern]] = []

    def walk(patterns: list[Any], namespaces: list[str]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, namespaces + ([p.namespace] if p.namespace else []))
            else:
                name = p.name or f"{p.lookup_str}"
                found.append((":".join([*namespaces, name]), p))

    walk(get_resolver().url_patterns, [])
    return found


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
            if Role.POLICY_OFFICER in scopes and endpoint.activity is not None:
                raise AssertionError(f"{endpoint.name}: a policy officer reaches personal data")


# --- the world the walk runs in ---------------------------------------------------------------


@dataclass
class Records:
    """One world's records of each kind: the ones a role owns, and the ones outside its scope."""

    world: World
    request: Any
    assignment: Any
    report: Any
    org2_request: Any
    org2_assignment: Any
    org2_report: Any
    other_key_person: Any
    org2: Any
    privacy_officer: User
    administrator: User
    markers: dict[str, set[str]] = field(default_factory=dict)


def build(world: World) -> Records:
    """A request of the world's organisation, accepted and reported by its key person, and the
    same for a second organisation with a second key person."""
    a = accepted_in_past(world, days_ago=2)
    report = services.submit_report(actor=world.key_person_user, assignment=a, data=report_data(a))
    org2 = f.OrganisationFactory(region=world.region, municipality=world.municipality)
    requester2 = f.member(Role.REQUESTER, world.region, org2)
    kp2_user = f.member(Role.KEY_PERSON, world.region)
    kp2 = f.KeyPersonFactory(region=world.region, user=kp2_user, email=kp2_user.email)
    start = a.request.starts_at
    with clock.at(start - dt.timedelta(days=1)):
        req2 = services.file_request(
            actor=requester2,
            organisation=org2,
            data=world.request_data(title="Tweede organisatie", starts_at=start + dt.timedelta(hours=3), ends_at=start + dt.timedelta(hours=5)),
        )
        [a2] = services.offer(actor=world.coordinator, request=req2, key_persons=[kp2])
        services.accept(actor=kp2_user, assignment=a2)
    with clock.at(start + dt.timedelta(hours=6)):
        report2 = services.submit_report(
            actor=kp2_user,
            assignment=a2,
            data=services.ReportData(date=clock.today(), hours=Decimal(2), roles_used=f.roles("translator"), participants=3),
        )
    a.refresh_from_db()
    return Records(
        world=world,
        request=a.request,
        assignment=a,
        report=report,
        org2_request=req2,
        org2_assignment=a2,
        org2_report=report2,
        other_key_person=kp2,
        org2=org2,
        privacy_officer=f.member(Role.PRIVACY_OFFICER, world.region),
        administrator=f.member(Role.ADMINISTRATOR, world.region, is_staff=True),
    )


@pytest.fixture
def both(db: None) -> tuple[Records, Records]:
    return build(make_world("Achterhoek")), build(make_world("Twente"))


def user_of(recs: Records, role: str) -> User | None:
    w = recs.world
    return {
        "anonymous": None,
        Role.COORDINATOR: w.coordinator,
        Role.REQUESTER: w.requester,
        Role.KEY_PERSON: w.key_person_user,
        Role.POLICY_OFFICER: w.policy_officer,
        Role.PRIVACY_OFFICER: recs.privacy_officer,
        Role.ADMINISTRATOR: recs.administrator,
    }[role]


def own_and_foreign(subject: str, role: str, mine: Records, theirs: Records) -> tuple[Any, list[Any]]:
    """The record of `subject` kind that `role` owns, and the records outside its scope."""
    w, o = mine.world, theirs.world
    same_region_foreign = role in (Role.REQUESTER, Role.KEY_PERSON)
    table: dict[str, tuple[Any, list[Any], list[Any]]] = {
        # kind: (own, foreign in another region, foreign in the same region for requesters/key persons)
        "request": (mine.request, [theirs.request], [mine.org2_request]),
        "assignment": (mine.assignment, [theirs.assignment], [mine.org2_assignment]),
        "report": (mine.report, [theirs.report], [mine.org2_report]),
        "key_person": (w.key_person, [o.key_person], [mine.other_key_person]),
        "newcomer": (w.newcomer, [o.newcomer], []),
        "organisation": (w.organisation, [o.organisation], [mine.org2] if role == Role.REQUESTER else []),
        "municipality": (w.municipality, [o.municipality], []),
    }
    own, other_region, same_region = table[subject]
    return own, other_region + (same_region if same_region_foreign else [])


# --- building URLs -----------------------------------------------------------------------------


ADMIN_OBJECTS = {
    "core_region": lambda r: r.world.region,
    "core_municipality": lambda r: r.world.municipality,
    "core_organisation": lambda r: r.world.organisation,
    "core_user": lambda r: r.world.coordinator,
    "auth_user": lambda r: r.world.coordinator,
    "core_membership": lambda r: Membership.objects.get(user=r.world.coordinator),
    "people_keypersonrole": None,
    "people_lifedomain": None,
    "people_language": None,
}


def admin_url(name: str, pattern: URLPattern, recs: Records) -> str | None:
    """An admin URL for the record of `recs` that the pattern names (None: skip this pattern)."""
    short = name.split(":", 1)[1]
    keys = set(pattern.pattern.regex.groupindex)
    if not keys:
        return reverse(name) if pattern.name else None
    if short == "app_list":
        return reverse(name, kwargs={"app_label": "core"})
    if short == "view_on_site":
        return None  # no model has a page of its own outside the admin
    model = next((m for m in ADMIN_OBJECTS if short.startswith(m + "_")), None)
    if model is None:
        return None
    getter = ADMIN_OBJECTS[model]
    if getter is None:  # shared vocabularies: the same for every region
        from sleutelnet.people.models import KeyPersonRole, Language, LifeDomain

        obj = {"people_keypersonrole": KeyPersonRole, "people_lifedomain": LifeDomain, "people_language": Language}[model].objects.first()
    else:
        obj = getter(recs)
    key = "id" if "id" in keys else "object_id"
    return reverse(name, kwargs={key: obj.pk}) if pattern.name else None


def url_for(name: str, pattern: URLPattern, record: Any) -> str:
    keys = set(pattern.pattern.regex.groupindex) | set(pattern.pattern.converters)
    kwargs: dict[str, Any] = {}
    if "uuid" in keys:
        kwargs["uuid"] = record.uuid
    if "token" in keys:
        kwargs["token"] = "x" * 43  # no feed has this secret
    return reverse(name, kwargs=kwargs)


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
