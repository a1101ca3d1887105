"""The admin works for administrators and never lets them edit workflow records by hand."""

from __future__ import annotations

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/",
    "/admin/core/region/",
    "/admin/core/user/",
    "/admin/core/organisation/",
    "/admin/people/keyperson/",
    "/admin/people/newcomer/",
    "/admin/deployments/request/",
    "/admin/deployments/assignment/",
    "/admin/notifications/outboxmessage/",
]


@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_render_for_a_superuser(client, world, url):
    admin_user = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_workflow_records_are_read_only(client, world):
    admin_user = f.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert client.get("/admin/deployments/request/add/").status_code == 403
    kp_url = f"/admin/people/keyperson/{world.key_person.pk}/change/"
    response = client.post(kp_url, {"full_name": "Changed"})
    world.key_person.refresh_from_db()
    assert world.key_person.full_name != "Changed"
    assert response.status_code in (200, 403)


def test_non_staff_cannot_open_the_admin(client, world):
    client.force_login(world.coordinator)
    assert client.get("/admin/").status_code == 302


def test_administrator_starts_in_the_admin(client, world):
    from sleutelnet.core.models import Membership, Role

    admin_user = f.UserFactory(is_staff=True, is_superuser=True)
    Membership.objects.create(user=admin_user, region=world.region, role=Role.ADMINISTRATOR)
    client.force_login(admin_user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
