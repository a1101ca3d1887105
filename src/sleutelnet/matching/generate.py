"""A small deterministic generator of instances (instance.schema.json), for tests and benchmarks.

Same parameters and seed, same instance. Languages follow a Zipf-like law (a few common, a long
tail of rare ones), key persons work in one municipality and sometimes its neighbours, are
available in merged day-parts (09-13, 13-17, 17-21) and have 4-16 hours free.

    python -m sleutelnet.matching.generate --key-persons 150 --requests 400 --seed 1 > instance.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Sequence
from typing import Any

from sleutelnet.matching.types import ROLES

LANGUAGES = (
    "ar", "ti", "fa", "prs", "so", "tr", "uk", "kmr", "ckb", "am", "ps", "ru",
    "ur", "fr", "es", "en", "bn", "ha", "om", "sw", "ln", "hy", "ka", "sq",
)  # fmt: skip
MUNICIPALITIES = ("GM0197", "GM0222", "GM0294", "GM1509", "GM1859", "GM1876", "GM1955", "GM0262")
DOMAINS = (
    "language", "work", "education", "health", "family", "finances", "housing",
    "social", "legal", "digital", "administration", "safety", "other",
)  # fmt: skip
KINDS = (
    "individual_support", "group_session", "outreach", "document_review",
    "consultation", "accompaniment", "mediation",
)  # fmt: skip
DAY_PARTS = ((9, 13), (13, 17), (17, 21))
TZ = dt.timezone(dt.timedelta(hours=1))
FIRST_DAY = dt.date(2026, 12, 7)  # a Monday


def _zipf_weights(n: int, exponent: float) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(n)]


def _at(day: dt.date, hour: float) -> str:
    moment = dt.datetime.combine(day, dt.time(0, 0), tzinfo=TZ) + dt.timedelta(hours=hour)
    return moment.isoformat()


def _pick(
    rng: random.Random, options: Sequence[str], weights: Sequence[float], k: int
) -> list[str]:
    """`k` distinct options drawn by weight (deterministic for a given rng state)."""
    chosen: list[str] = []
    pool, pool_weights = list(options), list(weights)
    for _ in range(min(k, len(pool))):
        (item,) = rng.choices(pool, weights=pool_weights)
        index = pool.index(item)
        del pool[index], pool_weights[index]
        chosen.append(item)
    return chosen


def generate(
    *,
    key_persons: int = 30,
    requests: int = 60,
    languages: int = 10,
    municipalities: int = 4,
    days: int = 5,
    seed: int = 0,
    zipf: float = 1.1,
) -> dict[str, Any]:
    """A valid instance dict with the given sizes; `seed` fixes everything."""
    if not (1 <= languages <= len(LANGUAGES)):
        raise ValueError(f"languages must be 1..{len(LANGUAGES)}")
    if municipalities < 1 or days < 1 or key_persons < 0 or requests < 0:
        raise ValueError("municipalities and days must be >= 1, counts >= 0")
    rng = random.Random(seed)
    langs = LANGUAGES[:languages]
    lang_weights = _zipf_weights(languages, zipf)
    towns = [
        MUNICIPALITIES[i] if i < len(MUNICIPALITIES) else f"GM9{i:03d}"
        for i in range(municipalities)
    ]
    day_list = [FIRST_DAY + dt.timedelta(days=d) for d in range(days)]
    newcomers = [f"nc-{i:03d}" for i in range(max(requests // 2, 1))]
    organisations = [f"org-{i:02d}" for i in range(max(requests // 10, 2))]
    role_weights = [3.0 if role == "translator" else 1.0 for role in ROLES]

    people: list[dict[str, Any]] = []
    for i in range(key_persons):
        home = rng.randrange(municipalities)
        serves = {towns[home]}
        for step in (-1, 1):
            if 0 <= home + step < municipalities and rng.random() < 0.5:
                serves.add(towns[home + step])
        spoken = _pick(rng, langs, lang_weights, rng.choice((1, 1, 2, 2, 3)))
        person: dict[str, Any] = {
            "id": f"kp-{i:03d}",
            "status": rng.choices(
                ("active", "paused", "candidate", "stopped"), weights=(85, 6, 5, 4)
            )[0],
        }
        gender = rng.choices(("f", "m", "x", None), weights=(45, 45, 3, 7))[0]
        if gender:
            person["gender"] = gender
        person["languages"] = [
            {"code": code, "level": rng.choices((2, 3, 4, 5), weights=(1, 2, 3, 4))[0]}
            for code in spoken
        ] + [{"code": "nl", "level": rng.choice((2, 3, 3, 4))}]
        person["roles"] = sorted(_pick(rng, ROLES, role_weights, rng.choice((2, 2, 3, 3, 4))))
        person["life_domains"] = sorted(rng.sample(DOMAINS, rng.randint(1, 4)))
        person["municipalities"] = sorted(serves)
        share = rng.uniform(0.4, 0.8)
        windows: list[dict[str, str]] = []
        for day in day_list:
            run: list[int] | None = None  # consecutive day-parts merge into one window
            for first, last in DAY_PARTS:
                if rng.random() < share:
                    run = [run[0] if run else first, last]
                elif run:
                    windows.append({"start": _at(day, run[0]), "end": _at(day, run[1])})
                    run = None
            if run:
                windows.append({"start": _at(day, run[0]), "end": _at(day, run[1])})
        person["availability"] = windows
        person["capacity_hours"] = rng.randrange(8, 33) / 2
        if rng.random() < 0.7:
            person["vog_valid_until"] = (
                FIRST_DAY + dt.timedelta(days=rng.randint(-30, 400))
            ).isoformat()
        else:
            person["vog_valid_until"] = None
        person["load_hours_last_30d"] = float(rng.randrange(0, 41)) / 2
        if rng.random() < 0.5:
            person["history"] = {
                "newcomers": sorted(rng.sample(newcomers, min(len(newcomers), rng.randint(0, 4)))),
                "organisations": sorted(
                    rng.sample(organisations, min(len(organisations), rng.randint(0, 2)))
                ),
            }
        people.append(person)

    wanted: list[dict[str, Any]] = []
    for i in range(requests):
        day = rng.choice(day_list)
        length = rng.choice((1.0, 1.0, 1.5, 2.0, 2.0, 3.0))
        start = rng.randrange(18, int((21 - length) * 2) + 1) / 2
        request: dict[str, Any] = {
            "id": f"r-{i:04d}",
            "kind": rng.choice(KINDS),
            "municipality": rng.choice(towns),
            "start": _at(day, start),
            "end": _at(day, start + length),
            "language": rng.choices(langs, weights=lang_weights)[0],
            "roles": sorted(_pick(rng, ROLES, role_weights, rng.choice((1, 1, 2)))),
        }
        domains = rng.sample(DOMAINS, rng.choice((0, 1, 1, 2)))
        if domains:
            request["life_domains"] = sorted(domains)
        if rng.random() < 0.2:
            request["gender_preference"] = rng.choice(("f", "m"))
            request["gender_required"] = rng.random() < 0.3
        request["requires_vog"] = rng.random() < 0.25
        request["key_persons_needed"] = rng.choices((1, 2, 3), weights=(88, 10, 2))[0]
        request["priority"] = rng.choices((1, 2, 3), weights=(20, 60, 20))[0]
        if rng.random() < 0.7:
            request["newcomer"] = rng.choice(newcomers)
        request["organisation"] = rng.choice(organisations)
        if people and rng.random() < 0.05:
            request["excluded_key_persons"] = [rng.choice(people)["id"]]
        wanted.append(request)

    return {
        "version": 1,
        "horizon": {
            "start": _at(day_list[0], 0),
            "end": _at(day_list[-1] + dt.timedelta(days=1), 0),
        },
        "min_language_level": 3,
        "key_persons": people,
        "requests": wanted,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sleutelnet.matching.generate", description=__doc__
    )
    parser.add_argument("--key-persons", type=int, default=150)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--languages", type=int, default=12)
    parser.add_argument("--municipalities", type=int, default=6)
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    instance = generate(
        key_persons=args.key_persons,
        requests=args.requests,
        languages=args.languages,
        municipalities=args.municipalities,
        days=args.days,
        seed=args.seed,
    )
    json.dump(instance, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
