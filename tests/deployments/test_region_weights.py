"""Matching weights are configurable per region: stored as overrides, validated, used by rank and plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sleutelnet.deployments import services
from sleutelnet.deployments.matching import candidates_for, region_instance, region_weights
from sleutelnet.deployments.planning import propose
from sleutelnet.matching.engine import DEFAULT_WEIGHTS

pytestmark = pytest.mark.django_db


def test_defaults_without_overrides(world):
    assert region_weights(world.region) == DEFAULT_WEIGHTS


def test_invalid_overrides_are_refused_naming_the_term(world):
    world.region.matching_weights = {"per_rol": 3}
    with pytest.raises(ValidationError) as exc:
        world.region.full_clean()
    assert "per_rol" in str(exc.value)
    world.region.matching_weights = {"per_role": -1}
    with pytest.raises(ValidationError):
        world.region.full_clean()


def test_overrides_change_the_weight_in_rank_and_plan(world):
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    [(_kp, before)] = [(kp, c) for kp, c in candidates_for(req) if kp.id == world.key_person.id]
    world.region.matching_weights = {"fill": 500}
    world.region.save()
    req.refresh_from_db()
    [(_kp, after)] = [(kp, c) for kp, c in candidates_for(req) if kp.id == world.key_person.id]
    assert after.weight == pytest.approx(before.weight + 400)

    start = timezone.now()
    review = propose(region_instance(world.region, start, start + dt.timedelta(days=7)))
    [line] = review.lines
    assert line.weight == pytest.approx(after.weight)


def test_a_broken_stored_value_falls_back_to_the_defaults(world):
    type(world.region).objects.filter(pk=world.region.pk).update(matching_weights={"nonsense": "x"})
    world.region.refresh_from_db()
    assert region_weights(world.region) == DEFAULT_WEIGHTS
