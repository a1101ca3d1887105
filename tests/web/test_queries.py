"""List pages use a fixed number of queries, however long the list (no N+1)."""

from __future__ import annotations

import datetime as dt

import pytest

from sleutelnet.deployments import services
from tests import factories as f

pytestmark = pytest.mark.django_db

# Each includes the processing log's writes at the end of the request: its lines and audit
# entry in one savepoint (4 statements), however many persons the page shows; and the check of
# the second factor's device (1).
QUEUE_CEILING = 19
KEY_PERSON_LIST_CEILING = 23


def file_requests(world, n):  # type: ignore[no-untyped-def]
    for i in range(n):
        data = world.request_data(title=f"Verzoek {i}")
        data.starts_at += dt.timedelta(hours=i % 5)
        data.ends_at += dt.timedelta(hours=i % 5)
        req = services.file_request(actor=world.requester, organisation=world.organisation, data=data)
        if i % 3 == 0:
            services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])


@pytest.mark.parametrize("n", [2, 25])
def test_queue_query_ceiling(client, world, django_assert_max_num_queries, n):
    file_requests(world, n)
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(QUEUE_CEILING):
        response = client.get("/coordinator/")
    assert response.status_code == 200
    assert "Verzoek 1" in response.content.decode()


@pytest.mark.parametrize("n", [2, 25])
def test_key_person_list_query_ceiling(client, world, django_assert_max_num_queries, n):
    for _ in range(n):
        f.KeyPersonFactory(region=world.region)
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(KEY_PERSON_LIST_CEILING):
        response = client.get("/coordinator/key-persons/")
    assert response.status_code == 200


def test_queue_query_count_does_not_grow(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.coordinator)
    file_requests(world, 2)
    client.get("/coordinator/")  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as few:
        client.get("/coordinator/")
    file_requests(world, 20)
    with CaptureQueriesContext(connection) as many:
        client.get("/coordinator/")
    assert len(many) == len(few)
