"""The API's fast read of a request (`RequestSerializer.read`) gives what DRF's generic loop over
the declared fields gives: the same keys, in the same order, with the same values, for requests
of every shape and for each kind of reader. A field added to the serializer but not to `read`
fails here."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from sleutelnet.api.serializers import RequestSerializer
from sleutelnet.deployments import selectors, services
from sleutelnet.deployments.models import Request
from tests import factories as f

pytestmark = pytest.mark.django_db


def _requests(world) -> list[Request]:  # type: ignore[no-untyped-def]
    plain = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    full = services.file_request(
        actor=world.coordinator,
        organisation=world.organisation,
        data=world.request_data(
            title="Spreekuur met tolk",
            description="Twee gezinnen, één tolk",
            newcomer=world.newcomer,
            participants_expected=12,
            gender_preference="f",
            key_persons_needed=2,
            urgency=3,
            life_domains=f.domains("education", "health"),
        ),
    )
    [offer] = services.offer(actor=world.coordinator, request=full, key_persons=[world.key_person])
    services.accept(actor=world.key_person_user, assignment=offer)
    cancelled = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(
            life_domains=[], gender_preference="m", gender_required=True, requires_vog=True, needs_certified_interpreter=True
        ),
    )
    services.cancel_request(actor=world.requester, request=cancelled, reason="De school is dicht")
    return [plain, full, cancelled]


@pytest.mark.parametrize("reader", ["coordinator", "requester", "key_person_user"])
def test_the_fast_read_of_a_request_is_the_generic_one(world, reader) -> None:  # type: ignore[no-untyped-def]
    made = _requests(world)
    user = getattr(world, reader)
    rows = list(
        selectors.with_confirmed_assignments(selectors.requests_for(user)).filter(id__in=[r.id for r in made]).order_by("id")
    )
    assert rows, "the reader sees none of the requests"
    serializer = RequestSerializer(context={"request": SimpleNamespace(user=user)})
    seen_shapes = set()
    for r in rows:
        fast = serializer.to_representation(r)
        generic = serializer.for_reader(r, serializers.Serializer.to_representation(serializer, r))
        assert list(fast) == list(generic), (list(fast), list(generic))
        assert list(fast.items()) == list(generic.items())
        # and the same JSON: == alone takes 1 for true and 2.0 for Decimal("2.0")
        assert JSONRenderer().render(fast) == JSONRenderer().render(generic)
        seen_shapes.add((fast["status"], fast["newcomer"] is None, bool(fast["confirmed_key_persons"])))
    if reader != "key_person_user":
        # an open request, a cancelled one, one with a newcomer and a confirmed key person
        assert len(seen_shapes) == 3, seen_shapes


@pytest.mark.parametrize("reader", ["coordinator", "requester"])
def test_a_list_of_requests_reads_the_codes_as_the_relations_give_them(world, reader, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    """The API list leaves out the prefetch of roles and life domains and reads their codes for
    the whole page (`RequestListSerializer`): the same lists, in the vocabulary's order."""
    made = _requests(world)
    user = getattr(world, reader)
    context = {"request": SimpleNamespace(user=user)}

    def page(vocabulary: bool) -> list[Request]:
        qs = selectors.with_confirmed_assignments(selectors.requests_for(user, vocabulary=vocabulary))
        return list(qs.filter(id__in=[r.id for r in made]).order_by("id"))

    expected = RequestSerializer(page(True), many=True, context=context).data
    rows = page(False)
    with django_assert_max_num_queries(2):  # one per link table, for the whole page
        got = RequestSerializer(rows, many=True, context=context).data
    assert JSONRenderer().render(got) == JSONRenderer().render(expected)
    # a page with and without the prefetch mixed, and a queryset instead of a list
    mixed = [page(True)[0], *page(False)[1:]]
    assert JSONRenderer().render(RequestSerializer(mixed, many=True, context=context).data) == JSONRenderer().render(expected)
    qs = selectors.with_confirmed_assignments(selectors.requests_for(user, vocabulary=False)).filter(id__in=[r.id for r in made])
    assert JSONRenderer().render(RequestSerializer(qs.order_by("id"), many=True, context=context).data) == JSONRenderer().render(expected)
    assert [r["life_domains"] for r in got] == [["education"], ["education", "health"], []]
    assert all(r["roles"] == ["translator", "educator"] for r in got)
