"""`requests_for` filters by plain columns for coordinators and requesters, so a page of the list
is an index range (request_org_starts_idx, request_region_starts_idx) and not a sort of every
request of the organisation; only a key person's view goes through the assignments, and there
each request still comes once. Found by the load benchmark (bench/load.py): the API list of a
big organisation read and sorted ~46,000 requests per page."""

from __future__ import annotations

import pytest
from django.db import connection

from sleutelnet.core.models import Membership, Role
from sleutelnet.deployments import selectors, services
from sleutelnet.deployments.models import Request
from tests import factories as f


def _sql(qs: object) -> str:
    return str(qs.query)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_requesters_and_coordinators_filter_directly_and_see_the_right_requests(world, other_world) -> None:
    own = [services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
           for _ in range(2)]  # fmt: skip
    other_org = f.OrganisationFactory(region=world.region, municipality=world.municipality)
    coordinators_own = services.file_request(actor=world.coordinator, organisation=other_org, data=world.request_data())
    services.file_request(actor=other_world.requester, organisation=other_world.organisation, data=other_world.request_data())

    mine = selectors.requests_for(world.requester)
    assert sorted(r.id for r in mine) == sorted(r.id for r in own)
    assert "IN (SELECT" not in _sql(mine).upper()

    region = selectors.requests_for(world.coordinator)
    assert sorted(r.id for r in region) == sorted([*(r.id for r in own), coordinators_own.id])
    assert "IN (SELECT" not in _sql(region).upper()


@pytest.mark.django_db
def test_a_key_person_sees_each_offered_request_once(world) -> None:
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    second = f.KeyPersonFactory(region=world.region)
    services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person, second])  # two assignment rows
    # The key person also files requests for the organisation: two ways to see the same request.
    Membership.objects.create(user=world.key_person_user, region=world.region, role=Role.REQUESTER, organisation=world.organisation)

    seen = list(selectors.requests_for(world.key_person_user))
    assert len(seen) == len({r.id for r in seen}) == Request.objects.filter(organisation=world.organisation).count()


@pytest.mark.django_db
def test_the_list_indexes_exist() -> None:
    with connection.cursor() as cur:
        constraints = connection.introspection.get_constraints(cur, Request._meta.db_table)
    columns = {name: c["columns"] for name, c in constraints.items() if c["index"]}
    assert columns.get("request_org_starts_idx") == ["organisation_id", "starts_at", "id"]
    assert columns.get("request_region_starts_idx") == ["region_id", "starts_at", "id"]
