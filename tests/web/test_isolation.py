"""Objects of another region are not found: 404 on every detail and action URL."""

from __future__ import annotations

import pytest

from tests.web.conftest import Scene

pytestmark = pytest.mark.django_db

# (role in `world`, method, url template filled with other_world's objects)
FOREIGN = [
    ("coordinator", "get", "/coordinator/requests/{request}/"),
    ("coordinator", "post", "/coordinator/requests/{request}/offer/"),
    ("coordinator", "post", "/coordinator/requests/{request}/cancel/"),
    ("coordinator", "post", "/coordinator/assignments/{offered}/cancel/"),
    ("coordinator", "post", "/coordinator/approvals/{reported}/approve/"),
    ("coordinator", "post", "/coordinator/approvals/{reported}/return/"),
    ("coordinator", "get", "/coordinator/key-persons/{key_person}/"),
    ("coordinator", "get", "/coordinator/key-persons/{key_person}/edit/"),
    ("coordinator", "post", "/coordinator/key-persons/{key_person}/edit/"),
    ("coordinator", "get", "/coordinator/newcomers/{newcomer}/"),
    ("coordinator", "get", "/coordinator/newcomers/{newcomer}/edit/"),
    ("coordinator", "post", "/coordinator/newcomers/{newcomer}/edit/"),
    ("requester", "get", "/requests/{request}/"),
    ("requester", "get", "/requests/{request}/edit/"),
    ("requester", "post", "/requests/{request}/edit/"),
    ("requester", "post", "/requests/{request}/cancel/"),
    ("key_person", "post", "/me/offers/{offered}/accept/"),
    ("key_person", "post", "/me/offers/{offered}/decline/"),
    ("key_person", "get", "/me/assignments/{past_accepted}/report/"),
    ("key_person", "post", "/me/assignments/{past_accepted}/report/"),
]


@pytest.mark.parametrize(("role", "method", "template"), FOREIGN, ids=[f"{m} {t}" for _r, m, t in FOREIGN])
def test_foreign_objects_are_not_found(client, scene: Scene, other_scene: Scene, role, method, template):
    o = other_scene
    url = template.format(
        request=o.open_request.uuid,
        offered=o.offered.uuid,
        reported=o.reported.uuid,
        past_accepted=o.past_accepted.uuid,
        key_person=o.world.key_person.uuid,
        newcomer=o.world.newcomer.uuid,
    )
    user = {
        "coordinator": scene.world.coordinator,
        "requester": scene.world.requester,
        "key_person": scene.world.key_person_user,
    }[role]
    client.force_login(user)
    response = getattr(client, method)(url, {"reason": "x", "comment": "x"} if method == "post" else None)
    assert response.status_code == 404, (url, response.status_code)


def test_nothing_changed_in_the_other_region(client, scene, other_scene):
    client.force_login(scene.world.coordinator)
    client.post(f"/coordinator/approvals/{other_scene.reported.uuid}/approve/")
    client.post(f"/coordinator/requests/{other_scene.open_request.uuid}/cancel/", {"reason": "weg"})
    other_scene.reported.refresh_from_db()
    other_scene.open_request.refresh_from_db()
    assert other_scene.reported.status == "reported"
    assert other_scene.open_request.status == "open"


def test_lists_show_only_own_region(client, scene, other_scene):
    client.force_login(scene.world.coordinator)
    for url in ("/coordinator/", "/coordinator/key-persons/", "/coordinator/newcomers/", "/coordinator/approvals/"):
        html = client.get(url, {"status": ["open", "filled", "closed", "cancelled"]} if url == "/coordinator/" else None).content.decode()
        assert str(other_scene.open_request.uuid) not in html
        assert other_scene.world.key_person.full_name not in html
        assert other_scene.world.newcomer.reference not in html
        assert str(other_scene.reported.uuid) not in html
