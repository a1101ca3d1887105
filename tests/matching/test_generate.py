"""The generator: deterministic, valid, and as realistic as docs/matching.md says."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from sleutelnet.matching.generate import (
    LANGUAGE_MIX,
    PILOT_MUNICIPALITIES,
    clusters,
    generate,
    municipality_codes,
)
from sleutelnet.matching.io import load_instance
from sleutelnet.matching.plan import components, feasible_pairs


def test_same_seed_same_instance() -> None:
    assert generate(key_persons=40, requests=80, seed=3) == generate(
        key_persons=40, requests=80, seed=3
    )
    assert generate(key_persons=40, requests=80, seed=3) != generate(
        key_persons=40, requests=80, seed=4
    )


def test_municipality_codes() -> None:
    assert municipality_codes(8) == sorted(PILOT_MUNICIPALITIES)
    codes = municipality_codes(342)
    assert len(set(codes)) == 342 and codes == sorted(codes)
    assert all(re.fullmatch(r"GM\d{4}", code) for code in codes)
    assert [len(c) for c in clusters(342)].count(10) >= 30 and len(clusters(342)) == 34
    for bad in (0, 343):
        with pytest.raises(ValueError, match="municipalities"):
            municipality_codes(bad)


@pytest.fixture(scope="module")
def national() -> dict[str, object]:
    return generate(key_persons=1200, requests=5000, municipalities=342, seed=7)


def test_key_persons_are_realistic(national: dict[str, object]) -> None:
    codes = municipality_codes(342)
    cluster_of = {codes[i]: n for n, members in enumerate(clusters(342)) for i in members}
    people = national["key_persons"]
    assert isinstance(people, list)
    for kp in people:
        assert 1 <= len(kp["municipalities"]) <= 4
        assert len({cluster_of[m] for m in kp["municipalities"]}) == 1  # neighbours, one cluster
        tags = [lang["code"] for lang in kp["languages"]]
        assert tags[-1] == "nl" and 1 <= len(tags) - 1 <= 3
        assert 1.5 <= kp["capacity_hours"] <= 7.5
        for window in kp["availability"]:
            start = dt.datetime.fromisoformat(window["start"])
            end = dt.datetime.fromisoformat(window["end"])
            assert start.weekday() < 5 and 9 <= start.hour and end.hour <= 21
    shares = [len(kp["availability"]) for kp in people]
    assert 0 < min(shares) and max(shares) <= 5 * 3


def test_requests_follow_the_mix(national: dict[str, object]) -> None:
    wanted = national["requests"]
    assert isinstance(wanted, list)
    n = len(wanted)
    languages = Counter(r["language"] for r in wanted)
    for tag, share in LANGUAGE_MIX:
        assert abs(100 * languages[tag] / n - share) < 2.0, tag
    assert abs(100 * sum(r["priority"] == 3 for r in wanted) / n - 15) < 2.5
    assert {r["key_persons_needed"] for r in wanted} == {1, 2}
    for r in wanted:
        start, end = dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"])
        hours = (end - start).total_seconds() / 3600
        assert 1 <= hours <= 3 and start.weekday() < 5
        assert any(
            first <= start.hour and end.hour <= last
            for first, last in ((9, 13), (13, 17), (17, 21))
        )


def test_a_national_instance_decomposes_by_cluster(national: dict[str, object]) -> None:
    inst = load_instance(national)
    codes = municipality_codes(342)
    cluster_of = {codes[i]: n for n, members in enumerate(clusters(342)) for i in members}
    groups = components(feasible_pairs(inst))
    assert len(groups) > 34
    for group in groups:
        assert len({cluster_of[p.request.municipality] for p in group}) == 1
