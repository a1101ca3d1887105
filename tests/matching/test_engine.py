"""Unit tests of the pure engine: every hard constraint of the contract, and the ordering."""

from __future__ import annotations

import datetime as dt

import pytest

from sleutelnet.matching import engine
from sleutelnet.matching.types import KeyPerson, Request, Window

TZ = dt.timezone(dt.timedelta(hours=1))
START = dt.datetime(2026, 12, 1, 14, 0, tzinfo=TZ)  # a Tuesday


def kp(id: str = "a", **kw: object) -> KeyPerson:
    values: dict[str, object] = dict(
        id=id,
        status="active",
        languages={"ti": 5},
        roles=frozenset({"translator"}),
        municipalities=frozenset({"GM0222"}),
        availability=(Window(START.replace(hour=9), START.replace(hour=17)),),
        capacity_hours=10.0,
        vog_valid_until=dt.date(2027, 1, 1),
    )
    values.update(kw)
    return KeyPerson(**values)  # type: ignore[arg-type]


def req(**kw: object) -> Request:
    values: dict[str, object] = dict(
        id="r1",
        municipality="GM0222",
        start=START,
        end=START + dt.timedelta(hours=2),
        language="ti",
        roles=frozenset({"translator", "connector"}),
    )
    values.update(kw)
    return Request(**values)  # type: ignore[arg-type]


def codes(person: KeyPerson, request: Request, **kw: object) -> set[str]:
    return {r.code for r in engine.why_not(request, person, **kw)}


def test_feasible_person_has_no_violations() -> None:
    assert codes(kp(), req()) == set()


@pytest.mark.parametrize(
    ("person", "request_", "code"),
    [
        (kp(status="paused"), req(), "not_active"),
        (kp(), req(excluded_key_persons=frozenset({"a"})), "excluded"),
        (kp(languages={"ti": 2}), req(), "no_language"),
        (kp(languages={"ar": 5}), req(), "no_language"),
        (kp(municipalities=frozenset({"GM0197"})), req(), "no_municipality"),
        (kp(availability=()), req(), "not_available"),
        (kp(roles=frozenset({"advisor"})), req(), "no_role"),
        (kp(gender="m"), req(gender_preference="f", gender_required=True), "gender_mismatch"),
        (kp(vog_valid_until=None), req(requires_vog=True), "vog_missing"),
        (kp(vog_valid_until=dt.date(2026, 11, 30)), req(requires_vog=True), "vog_expired"),
        (kp(capacity_hours=1.0), req(), "over_capacity"),
    ],
)
def test_each_hard_constraint_is_reported(person: KeyPerson, request_: Request, code: str) -> None:
    assert code in codes(person, request_)


def test_overlap_with_other_assignment_is_a_violation() -> None:
    busy = [("Ander verzoek", START + dt.timedelta(hours=1), START + dt.timedelta(hours=3))]
    assert "overlap" in codes(kp(), req(), busy=busy)
    touching = [("Ander verzoek", START + dt.timedelta(hours=2), START + dt.timedelta(hours=3))]
    assert "overlap" not in codes(kp(), req(), busy=touching)


def test_gender_preference_not_required_is_only_a_bonus() -> None:
    r = req(gender_preference="f")
    assert codes(kp(gender="m"), r) == set()
    ranked = engine.rank(r, [kp("m", gender="m"), kp("f", gender="f")])
    assert [c.key_person_id for c in ranked] == ["f", "m"]


def test_dialect_counts_for_the_base_language() -> None:
    assert codes(kp(languages={"ar-syrian": 5}), req(language="ar")) == set()


def test_base_language_and_other_dialects_serve_a_dialect_without_the_bonus() -> None:
    syrian = req(language="ar-syrian")
    exact, base, other = (
        kp("exact", languages={"ar-syrian": 4}),
        kp("base", languages={"ar": 4}),
        kp("other", languages={"ar-yemeni": 4}),
    )
    assert codes(base, syrian) == codes(other, syrian) == set()
    ranked = {c.key_person_id: c for c in engine.rank(syrian, [exact, base, other])}
    assert ranked["exact"].weight == ranked["base"].weight + 6.0 == ranked["other"].weight + 6.0
    texts = [r.text for r in ranked["exact"].reasons]
    assert texts[:2] == ["speaks ar-syrian (4/5)", "speaks the requested dialect"]
    assert [r.text for r in ranked["base"].reasons][0] == "speaks ar (4/5)"  # says what is spoken
    assert "dialect_match" not in {r.code for r in ranked["other"].reasons}
    no_bonus = engine.Weights.from_dict({"dialect_match": 0})
    flat = engine.rank(syrian, [exact, base], weights=no_bonus)
    assert flat[0].weight == flat[1].weight  # ties broken by id
    assert [c.key_person_id for c in flat] == ["base", "exact"]


def test_the_best_level_in_the_language_family_counts() -> None:
    weak_dialect = kp(languages={"ar-syrian": 2, "ar": 5})
    assert engine.spoken_as(weak_dialect, "ar-syrian") == ("ar", 5)
    assert codes(weak_dialect, req(language="ar-syrian")) == set()
    (cand,) = engine.rank(req(language="ar-syrian"), [weak_dialect])
    assert "dialect_match" not in {r.code for r in cand.reasons}  # the dialect itself at level 2
    assert engine.spoken_as(kp(languages={"ar-yemeni": 4, "ar-syrian": 4}), "ar") == (
        "ar-syrian",
        4,
    )
    assert engine.spoken_as(kp(languages={"ar": 4, "ar-syrian": 4}), "ar-syrian") == (
        "ar-syrian",
        4,
    )
    assert engine.spoken_as(kp(languages={"am": 5}), "ar") == ("", 0)


def test_rank_prefers_more_roles_and_continuity_and_breaks_ties_by_id() -> None:
    r = req(newcomer="n1")
    both = kp("b", roles=frozenset({"translator", "connector"}))
    one = kp("a")
    known = kp("c", history_newcomers=frozenset({"n1"}))
    twin = kp("d")
    ranked = engine.rank(r, [twin, one, known, both])
    assert [c.key_person_id for c in ranked] == ["b", "c", "a", "d"]
    texts = [reason.text for reason in ranked[0].reasons]
    assert "covers 2 of 2 requested roles" in texts


def test_rank_is_deterministic_and_lists_infeasible_last() -> None:
    people = [kp(str(i), languages={"ti": 3 + i % 3}) for i in range(6)] + [
        kp("z", status="stopped")
    ]
    first = engine.rank(req(), people, include_infeasible=True)
    assert first == engine.rank(req(), list(reversed(people)), include_infeasible=True)
    assert first[-1].key_person_id == "z" and not first[-1].feasible


def test_load_lowers_the_weight() -> None:
    rested, tired = kp("a"), kp("b", load_hours_last_30d=10.0)
    ranked = engine.rank(req(), [tired, rested])
    assert ranked[0].key_person_id == "a" and ranked[0].weight > ranked[1].weight
