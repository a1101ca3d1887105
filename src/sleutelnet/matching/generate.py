"""A deterministic generator of realistic instances (instance.schema.json), for tests and benchmarks.

Same parameters and seed, same instance (the municipality codes depend on the count only).
What it models (docs/matching.md, "Generated instances"):

* a region of 1 to 342 municipalities with CBS-like codes `GMxxxx` (a real region has 8 to 342;
  up to 8 are the Achterhoek pilot's codes). The municipalities form clusters of about ten, like
  the 35 labour-market regions; inside a cluster they lie on a ring, and a key person serves
  their home municipality and 0-3 of its nearest neighbours in the ring (1-4 in all), never
  across clusters, so a large region decomposes into components. Municipalities differ in size
  (log-normal weights), and key persons and requests follow the same sizes;
* the language mix of recent status holders (`LANGUAGE_MIX`: Syrian Arabic and Arabic 30 %,
  Tigrinya 15 %, Turkish 10 %, Farsi and Dari 10 %, Kurmanji and Sorani 8 %, Somali 5 %,
  Amharic 4 %, Yemeni Arabic 3 %, Ukrainian 5 %, English and French the rest). Requests draw
  their language from it; key persons their first language, plus 0-2 languages that go with
  it (`SECOND_LANGUAGES`: Tigrinya speakers often speak Amharic, Kurds Arabic or Turkish, ...)
  and Dutch;
* a one-week horizon (Monday to Monday); key persons are available in 30-70 % of the weekday
  day-parts (morning 09-13, afternoon 13-17, evening 17-21; adjacent ones merge into one window)
  and have 8-32 h per month, scaled to the week (1.5-7 h); requests take 1-3 h inside one
  day-part, need 1 key person (2 in 15 %), and are urgent in ~15 %, low in 5 %, else normal.

    python -m sleutelnet.matching.generate --key-persons 150 --requests 500 --municipalities 16 --seed 1 > instance.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
from collections.abc import Sequence
from typing import Any

from sleutelnet.matching.types import ROLES

#: Requests' languages and key persons' first languages: tag -> share in percent (sums to 100).
LANGUAGE_MIX: tuple[tuple[str, float], ...] = (
    ("ar-syrian", 22.0), ("ti", 15.0), ("tr", 10.0), ("ar", 8.0), ("fa", 6.0), ("kmr", 5.0),
    ("so", 5.0), ("uk", 5.0), ("am", 4.0), ("prs", 4.0), ("ckb", 3.0), ("ar-yemeni", 3.0),
    ("en", 6.0), ("fr", 4.0),
)  # fmt: skip
#: Languages that often go with a first language (a key person draws 0-2 of them).
SECOND_LANGUAGES: dict[str, tuple[str, ...]] = {
    "ar-syrian": ("en", "kmr", "tr", "fr"),
    "ar": ("en", "fr", "so"),
    "ti": ("am", "ar", "en"),
    "tr": ("kmr", "en", "ar-syrian"),
    "fa": ("prs", "en", "tr"),
    "prs": ("fa", "en", "ps"),
    "kmr": ("ar-syrian", "tr", "ckb"),
    "ckb": ("ar", "kmr", "fa"),
    "so": ("ar", "en", "am"),
    "am": ("ti", "en", "ar"),
    "ar-yemeni": ("en", "so", "ar-syrian"),
    "uk": ("ru", "en", "pl"),
    "en": ("fr", "ar", "so"),
    "fr": ("en", "ar", "ln"),
}
#: The Achterhoek pilot (Aalten, Doetinchem, Winterswijk, Oude IJsselstreek, Berkelland,
#: Bronckhorst, Montferland, Lochem): the codes of a region of up to 8 municipalities.
PILOT_MUNICIPALITIES = (
    "GM0197", "GM0222", "GM0294", "GM1509", "GM1859", "GM1876", "GM1955", "GM0262",
)  # fmt: skip
MAX_MUNICIPALITIES = 342  # the Netherlands, 2024
CLUSTER_SIZE = (
    10  # municipalities per cluster (342 -> 34 clusters, like the 35 labour-market regions)
)
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
HORIZON_DAYS = 7
WEEKS_PER_MONTH = 30.44 / HORIZON_DAYS
REQUEST_HOURS = ((1.0, 30), (1.5, 20), (2.0, 30), (2.5, 5), (3.0, 15))


def municipality_codes(count: int) -> list[str]:
    """`count` distinct CBS-like codes, sorted: the pilot's up to 8, else spread over GM0003-GM1992."""
    if not (1 <= count <= MAX_MUNICIPALITIES):
        raise ValueError(f"municipalities must be 1..{MAX_MUNICIPALITIES}, got {count}")
    if count <= len(PILOT_MUNICIPALITIES):
        return sorted(PILOT_MUNICIPALITIES[:count])
    return [f"GM{3 + (i * 1989) // count:04d}" for i in range(count)]


def clusters(count: int) -> list[list[int]]:
    """The municipalities 0..count-1 in clusters of about `CLUSTER_SIZE` consecutive codes."""
    k = max(1, round(count / CLUSTER_SIZE))
    return [list(range(c * count // k, (c + 1) * count // k)) for c in range(k)]


def neighbours(cluster: Sequence[int], home: int) -> list[int]:
    """The other municipalities of `home`'s cluster, nearest in the ring first (ties: the next)."""
    size = len(cluster)
    at = cluster.index(home)
    out: list[int] = []
    for distance in range(1, size // 2 + 1):
        for step in (distance, -distance):
            other = cluster[(at + step) % size]
            if other != home and other not in out:
                out.append(other)
    return out


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


def language_mix(languages: int | None = None) -> tuple[list[str], list[float]]:
    """The tags and weights of the mix; `languages` keeps only the most common ones."""
    ordered = sorted(LANGUAGE_MIX, key=lambda item: (-item[1], item[0]))
    if languages is not None:
        if not (1 <= languages <= len(ordered)):
            raise ValueError(f"languages must be 1..{len(ordered)}")
        ordered = ordered[:languages]
    return [tag for tag, _ in ordered], [share for _, share in ordered]


def generate(
    *,
    key_persons: int = 30,
    requests: int = 60,
    municipalities: int = 8,
    days: int = 5,
    seed: int = 0,
    languages: int | None = None,
) -> dict[str, Any]:
    """A valid instance dict with the given sizes; `seed` fixes everything.

    `days` is the number of weekdays with availability and requests (1-5, from Monday);
    `languages` keeps only that many of the most common languages of the mix (for dense test
    instances); None is the whole mix.
    """
    if not (1 <= days <= 5):
        raise ValueError("days must be 1..5 (weekdays of the one-week horizon)")
    if key_persons < 0 or requests < 0:
        raise ValueError("counts must be >= 0")
    towns = municipality_codes(municipalities)
    langs, lang_weights = language_mix(languages)
    rng = random.Random(seed)
    size = [rng.lognormvariate(0.0, 0.8) for _ in towns]  # how many newcomers live there
    cluster_of: dict[int, list[int]] = {}
    for cluster in clusters(len(towns)):
        for town in cluster:
            cluster_of[town] = cluster
    day_list = [FIRST_DAY + dt.timedelta(days=d) for d in range(days)]
    newcomers = [f"nc-{i:04d}" for i in range(max(requests // 2, 1))]
    organisations = [f"org-{i:03d}" for i in range(max(requests // 10, 2))]
    role_weights = [3.0 if role == "translator" else 1.0 for role in ROLES]
    town_indices = list(range(len(towns)))
    kp_width = max(3, len(str(key_persons - 1)))  # kp-000 .. kp-4999: ids sort like numbers
    request_width = max(4, len(str(requests - 1)))

    people: list[dict[str, Any]] = []
    for i in range(key_persons):
        home = rng.choices(town_indices, weights=size)[0]
        extra = rng.choices((0, 1, 2, 3), weights=(35, 35, 20, 10))[0]
        serves = [home, *neighbours(cluster_of[home], home)[:extra]]
        first = rng.choices(langs, weights=lang_weights)[0]
        seconds = [tag for tag in SECOND_LANGUAGES.get(first, ()) if tag != "nl"]
        spoken = [first, *rng.sample(seconds, rng.choices((0, 1, 2), weights=(40, 40, 20))[0])]
        person: dict[str, Any] = {
            "id": f"kp-{i:0{kp_width}d}",
            "status": rng.choices(
                ("active", "paused", "candidate", "stopped"), weights=(85, 6, 5, 4)
            )[0],
        }
        gender = rng.choices(("f", "m", "x", None), weights=(45, 45, 3, 7))[0]
        if gender:
            person["gender"] = gender
        person["languages"] = [
            {
                "code": code,
                "level": rng.choice((4, 5, 5))
                if n == 0
                else rng.choices((2, 3, 4, 5), weights=(2, 3, 3, 2))[0],
            }
            for n, code in enumerate(spoken)
        ] + [{"code": "nl", "level": rng.choice((2, 3, 3, 4))}]
        person["roles"] = sorted(_pick(rng, ROLES, role_weights, rng.choice((2, 2, 3, 3, 4))))
        person["life_domains"] = sorted(rng.sample(DOMAINS, rng.randint(1, 4)))
        person["municipalities"] = sorted(towns[t] for t in serves)
        share = rng.uniform(0.3, 0.7)
        windows: list[dict[str, str]] = []
        for day in day_list:
            run: list[int] | None = None  # adjacent day-parts merge into one window
            for first_hour, last_hour in DAY_PARTS:
                if rng.random() < share:
                    run = [run[0] if run else first_hour, last_hour]
                elif run:
                    windows.append({"start": _at(day, run[0]), "end": _at(day, run[1])})
                    run = None
            if run:
                windows.append({"start": _at(day, run[0]), "end": _at(day, run[1])})
        person["availability"] = windows
        monthly = rng.randint(8, 32)
        person["capacity_hours"] = max(math.floor(monthly / WEEKS_PER_MONTH * 2) / 2, 1.0)
        if rng.random() < 0.7:
            person["vog_valid_until"] = (
                FIRST_DAY + dt.timedelta(days=rng.randint(-30, 400))
            ).isoformat()
        else:
            person["vog_valid_until"] = None
        person["load_hours_last_30d"] = round(monthly * rng.uniform(0.0, 1.2) * 2) / 2
        if rng.random() < 0.5:
            person["history"] = {
                "newcomers": sorted(rng.sample(newcomers, min(len(newcomers), rng.randint(0, 4)))),
                "organisations": sorted(
                    rng.sample(organisations, min(len(organisations), rng.randint(0, 2)))
                ),
            }
        people.append(person)

    lengths = [length for length, _ in REQUEST_HOURS]
    length_weights = [weight for _, weight in REQUEST_HOURS]
    wanted: list[dict[str, Any]] = []
    for i in range(requests):
        day = rng.choice(day_list)
        part_start, part_end = rng.choice(DAY_PARTS)
        length = rng.choices(lengths, weights=length_weights)[0]
        start = part_start + rng.randrange(int((part_end - part_start - length) * 2) + 1) / 2
        request: dict[str, Any] = {
            "id": f"r-{i:0{request_width}d}",
            "kind": rng.choice(KINDS),
            "municipality": towns[rng.choices(town_indices, weights=size)[0]],
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
        request["key_persons_needed"] = rng.choices((1, 2), weights=(85, 15))[0]
        request["priority"] = rng.choices((1, 2, 3), weights=(5, 80, 15))[0]
        if rng.random() < 0.7:
            request["newcomer"] = rng.choice(newcomers)
        request["organisation"] = rng.choice(organisations)
        if people and rng.random() < 0.05:
            request["excluded_key_persons"] = [rng.choice(people)["id"]]
        wanted.append(request)

    return {
        "version": 1,
        "horizon": {
            "start": _at(FIRST_DAY, 0),
            "end": _at(FIRST_DAY + dt.timedelta(days=HORIZON_DAYS), 0),
        },
        "min_language_level": 3,
        "key_persons": people,
        "requests": wanted,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sleutelnet.matching.generate",
        description="Write a deterministic, realistic instance (instance.schema.json) to stdout.",
    )
    parser.add_argument("--key-persons", type=int, default=150)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument(
        "--municipalities", type=int, default=8, help=f"1..{MAX_MUNICIPALITIES} (default 8)"
    )
    parser.add_argument("--days", type=int, default=5, help="weekdays with requests, 1..5")
    parser.add_argument(
        "--languages", type=int, default=None, help="only the N most common languages of the mix"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        instance = generate(
            key_persons=args.key_persons,
            requests=args.requests,
            municipalities=args.municipalities,
            days=args.days,
            languages=args.languages,
            seed=args.seed,
        )
    except ValueError as exc:
        parser.error(str(exc))
    json.dump(instance, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
