"""Every page opens for its role, gives 403 to other roles and sends anonymous users to log in."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Scene

ROLES = ("coordinator", "requester", "key_person", "policy_officer")

# (name, url template, roles that may open it)
PAGES = [
    ("queue", "/coordinator/", {"coordinator"}),
    ("coordinator request", "/coordinator/requests/{open_request}/", {"coordinator"}),
    ("approvals", "/coordinator/approvals/", {"coordinator"}),
    ("plan", "/coordinator/plan/", {"coordinator"}),
    ("import plan", "/coordinator/plan/import/", {"coordinator"}),
    ("key persons", "/coordinator/key-persons/", {"coordinator"}),
    ("new key person", "/coordinator/key-persons/new/", {"coordinator"}),
    ("key person", "/coordinator/key-persons/{key_person}/", {"coordinator"}),
    ("edit key person", "/coordinator/key-persons/{key_person}/edit/", {"coordinator"}),
    ("newcomers", "/coordinator/newcomers/", {"coordinator"}),
    ("new newcomer", "/coordinator/newcomers/new/", {"coordinator"}),
    ("newcomer", "/coordinator/newcomers/{newcomer}/", {"coordinator"}),
    ("edit newcomer", "/coordinator/newcomers/{newcomer}/edit/", {"coordinator"}),
    ("coordinator figures", "/coordinator/figures/", {"coordinator"}),
    ("coordinator today", "/coordinator/today/", {"coordinator"}),
    ("my requests", "/requests/", {"requester"}),
    ("new request", "/requests/new/", {"requester"}),
    ("request", "/requests/{open_request}/", {"requester"}),
    ("edit request", "/requests/{open_request}/edit/", {"requester"}),
    ("offers", "/me/offers/", {"key_person"}),
    ("agenda", "/me/agenda/", {"key_person"}),
    ("report", "/me/assignments/{past_accepted}/report/", {"key_person"}),
    ("profile", "/me/profile/", {"key_person"}),
    ("policy figures", "/policy/figures/", {"policy_officer"}),
]


def url_for(template: str, scene: Scene) -> str:
    w = scene.world
    return template.format(
        open_request=scene.open_request.uuid,
        past_accepted=scene.past_accepted.uuid,
        key_person=w.key_person.uuid,
        newcomer=w.newcomer.uuid,
    )


def user_for(role: str, scene: Scene):  # type: ignore[no-untyped-def]
    w = scene.world
    return {
        "coordinator": w.coordinator,
        "requester": w.requester,
        "key_person": w.key_person_user,
        "policy_officer": w.policy_officer,
    }[role]


def assert_csp_clean(html: str) -> None:
    """No inline script and no inline style: our Content-Security-Policy would block them."""
    assert " style=" not in html
    assert "<style" not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag
    assert re.search(r"\son[a-z]+=", html) is None  # no onclick= and friends


@pytest.mark.parametrize(("name", "template", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access_by_role(client, scene, name, template, allowed):
    url = url_for(template, scene)
    for role in ROLES:
        client.force_login(user_for(role, scene))
        response = client.get(url)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (name, role, response.status_code)
        if expected == 200:
            html = response.content.decode()
            assert_csp_clean(html)
            assert 'id="main"' in html
            assert "Content-Security-Policy" in response.headers
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("coordinator", "/coordinator/"),
        ("requester", "/requests/"),
        ("key_person", "/me/"),
        ("policy_officer", "/policy/figures/"),
    ],
)
def test_home_sends_each_role_to_its_start_page(client, scene, role, target):
    client.force_login(user_for(role, scene))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == target


def test_navigation_shows_only_own_role(client, scene):
    client.force_login(scene.world.key_person_user)
    html = client.get("/me/offers/").content.decode()
    assert "/me/agenda/" in html
    assert "/coordinator/" not in html
    assert 'aria-current="page"' in html


def test_key_person_role_without_profile_gets_403(client, world):
    from sleutelnet.core.models import Role
    from tests import factories as f

    user = f.member(Role.KEY_PERSON, world.region)
    client.force_login(user)
    assert client.get("/me/offers/").status_code == 403


@pytest.mark.parametrize(
    "template",
    [
        "/coordinator/requests/{open_request}/offer/",
        "/coordinator/requests/{open_request}/cancel/",
        "/requests/{open_request}/cancel/",
        "/me/offers/{past_accepted}/accept/",
    ],
)
def test_actions_refuse_get(client, scene, template):
    client.force_login(scene.world.coordinator)
    response = client.get(url_for(template, scene))
    assert response.status_code in (403, 405)
