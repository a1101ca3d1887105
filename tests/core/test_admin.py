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
    "/admin/core/membership/",
    "/admin/people/language/",
    "/admin/people/keypersonrole/",
]

#: Personal data of newcomers and key persons and the workflow records are not in the admin:
#: they are reached only through the scoped, logged pages and API.
NOT_IN_ADMIN = [
    "/admin/people/keyperson/",
    "/admin/people/newcomer/",
    "/admin/deployments/request/",
    "/admin/deployments/assignment/",
    "/admin/deployments/activityreport/",
    "/admin/notifications/outboxmessage/",
]


def administrator(world):
    from sleutelnet.core.models import Role

    return f.member(Role.ADMINISTRATOR, world.region, is_staff=True)


@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_render_for_an_administrator(client, world, url):
    client.force_login(administrator(world))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", NOT_IN_ADMIN)
def test_personal_and_workflow_records_are_not_in_the_admin(client, world, url):
    client.force_login(administrator(world))
    assert client.get(url).status_code == 404


def test_only_administrators_open_the_admin(client, world):
    for user in (world.coordinator, f.UserFactory(is_staff=True, is_superuser=True)):
        client.force_login(user)
        assert client.get("/admin/").status_code == 403


def test_administrator_starts_in_the_admin(client, world):
    from sleutelnet.core.models import Membership, Role

    admin_user = f.UserFactory(is_staff=True, is_superuser=True)
    Membership.objects.create(user=admin_user, region=world.region, role=Role.ADMINISTRATOR)
    client.force_login(admin_user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
