"""Benchmark of the reporting dashboards: the rollups against DuckDB on the raw data (bench/README.md).

One run, side by side, fixed seed: five years of national data (25 regions, 342 municipalities,
about 10 million activity reports) are generated with SQL into the real Django tables of a
PostgreSQL database of its own (`sleutelnet_bench`, kept for `--reuse`); `reporting.services.rebuild()`
computes the rollups; then, with a warm-up and 5 repetitions each, medians:

* `reporting.selectors.figures()` for a mid-size region and the last full quarter, and for the
  whole country and the last full year (the product's code path over the rollups);
* the dashboard page through Django's test client, rendering included, when the URL
  `reporting:policy_dashboard` exists (see `page_params`);
* the same aggregations in DuckDB over the raw records exported to Parquet (flattened at report
  level and at request level): the near-limit reference. The answers of both are compared;
* the plain PostgreSQL GROUP BY over the raw tables for the national totals per municipality
  (no rollups), for context.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

SEED = 20261207
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = "sleutelnet_bench"
TIME_ZONE = "Europe/Amsterdam"
#: Bumped when the generator changes, so `--reuse` does not reuse data of another generator.
GENERATOR_VERSION = 1

#: The regions (after the Dutch labour-market regions) and the city at the centre of each,
#: in order of size: region r has the r-th largest municipality at its centre.
REGIONS: tuple[tuple[str, str], ...] = (
    ("Groot Amsterdam", "Amsterdam"),
    ("Rijnmond", "Rotterdam"),
    ("Haaglanden", "'s-Gravenhage"),
    ("Midden-Utrecht", "Utrecht"),
    ("Zuidoost-Brabant", "Eindhoven"),
    ("Groningen", "Groningen"),
    ("Midden-Brabant", "Tilburg"),
    ("Flevoland", "Almere"),
    ("West-Brabant", "Breda"),
    ("Rijk van Nijmegen", "Nijmegen"),
    ("Stedendriehoek en Noordwest-Veluwe", "Apeldoorn"),
    ("Midden-Gelderland", "Arnhem"),
    ("Zuid-Kennemerland en IJmond", "Haarlem"),
    ("Twente", "Enschede"),
    ("Amersfoort", "Amersfoort"),
    ("Zaanstreek/Waterland", "Zaanstad"),
    ("Noordoost-Brabant", "'s-Hertogenbosch"),
    ("Regio Zwolle", "Zwolle"),
    ("Holland Rijnland", "Leiden"),
    ("Zuid-Limburg", "Maastricht"),
    ("Drechtsteden", "Dordrecht"),
    ("FoodValley", "Ede"),
    ("Drenthe", "Emmen"),
    ("Friesland", "Leeuwarden"),
    ("Noord-Limburg", "Venlo"),
)

# Request kinds: code, weight (per mille), title, planned hours (low, high).
KINDS: tuple[tuple[str, int, str, float, float], ...] = (
    ("individual_support", 400, "Individuele ondersteuning", 1.0, 2.5),
    ("group_session", 170, "Groepsbijeenkomst", 1.5, 3.0),
    ("outreach", 80, "Outreach in de wijk", 2.0, 5.0),
    ("document_review", 90, "Meelezen voorlichtingsmateriaal", 0.5, 2.0),
    ("consultation", 80, "Consult voor professionals", 1.0, 2.0),
    ("accompaniment", 130, "Begeleiding naar afspraak", 1.5, 4.0),
    ("mediation", 50, "Bemiddeling", 1.0, 3.0),
)
ORG_KINDS: tuple[tuple[str, str, int], ...] = (
    ("municipality", "Gemeente", 280),
    ("vluchtelingenwerk", "VluchtelingenWerk", 180),
    ("coa", "COA", 100),
    ("ggd", "GGD", 70),
    ("school", "Basisschool", 90),
    ("gp_practice", "Huisartsenpraktijk", 50),
    ("housing_corporation", "Woningcorporatie", 50),
    ("uwv", "UWV", 40),
    ("language_school", "Taalschool", 70),
    ("employer", "Werkgever", 30),
    ("welfare", "Welzijnsorganisatie", 30),
    ("other", "Overig", 10),
)
CHAINS: tuple[tuple[str, int], ...] = (("reception", 15), ("intake", 25), ("execution", 50), ("completion", 10))
#: Language (code, variant) -> weight among the requests.
LANGUAGE_WEIGHTS: dict[tuple[str, str], int] = {
    ("ar", "syrian"): 180, ("ti", ""): 160, ("uk", ""): 140, ("ar", ""): 100, ("tr", ""): 80,
    ("prs", ""): 60, ("fa", ""): 60, ("so", ""): 50, ("am", ""): 40, ("ckb", ""): 30,
    ("kmr", ""): 30, ("ru", ""): 30, ("en", ""): 15, ("fr", ""): 10, ("ar", "yemeni"): 10, ("nl", ""): 5,
}  # fmt: skip
ROLE_WEIGHTS = (30, 20, 15, 10, 15, 5, 5)  # translator, connector, educator, activator, trust builder, role model, advisor
DECLINES: tuple[tuple[str, int], ...] = (
    ("not_available", 40), ("too_far", 15), ("too_busy", 20), ("not_suitable", 10), ("personal", 10), ("other", 5),
)  # fmt: skip
#: Assignment fates (index 1..6): assignment status, request status.
FATES: tuple[tuple[str, str], ...] = (
    ("approved", "closed"),
    ("reported", "filled"),
    ("declined", "open"),
    ("cancelled", "cancelled"),
    ("offered", "open"),
    ("accepted", "filled"),
)
P_REPORT = 0.92  # of the requests that took place: approved (or reported, the last two weeks)
GROWTH = 1.0  # the volume doubles over the five years
FUTURE_DAYS = 21  # requests planned up to three weeks ahead
SLOTS = 100_000  # resolution of the weighted draw of a municipality


@dataclass(frozen=True)
class Spec:
    """The size of the generated country."""

    regions: int = 25
    municipalities: int = 342
    key_persons: int = 25_000
    newcomers: int = 500_000
    reports: int = 10_000_000
    start: str = "2022-01-01"
    seed: int = SEED
    generator: int = GENERATOR_VERSION


QUICK_SPEC = Spec(regions=2, municipalities=10, key_persons=200, newcomers=2_000, reports=20_000)


@dataclass(frozen=True)
class Settings:
    quick: bool = False
    reuse: bool = False
    keep_rollups: bool = False  # with reuse: also keep the rollups (and the rebuild time) of the earlier run
    keep: bool = True  # keep the database afterwards (for --reuse)
    database: str = DATABASE
    spec: Spec = field(default_factory=Spec)
    warmup: int = 1
    repetitions: int = 5
    raw_repetitions: int = 3  # the plain GROUP BY over 10 million rows takes seconds per run
    region_ms_target: float = 300.0
    national_ms_target: float = 1000.0
    duckdb_ratio_target: float = 3.0

    @classmethod
    def for_quick(cls) -> Settings:
        return cls(
            quick=True,
            keep=False,
            database=f"sleutelnet_bench_quick_{os.getpid()}",
            spec=QUICK_SPEC,
            warmup=1,
            repetitions=2,
            raw_repetitions=1,
        )


# --- helpers ----------------------------------------------------------------------------------------


def _median_ms(seconds: Sequence[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _timed(run: Callable[[], Any], warmup: int, repetitions: int) -> tuple[dict[str, Any], Any]:
    for _ in range(warmup):
        run()
    seconds, result = [], None
    for _ in range(repetitions):
        started = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - started)
    return {
        "median_ms": _median_ms(seconds),
        "p95_ms": round(_percentile(seconds, 0.95) * 1000, 2),
        "runs_ms": [round(s * 1000, 2) for s in seconds],
    }, result


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b <= 0 else round(a / b, 3)


def _apportion(total: int, weights: Sequence[float], minimum: int = 1) -> list[int]:
    """Split `total` over `weights` (largest remainder), each share at least `minimum`."""
    n = len(weights)
    rest = total - minimum * n
    if rest < 0:
        raise ValueError(f"cannot give {n} shares at least {minimum} out of {total}")
    w = sum(weights)
    exact = [rest * x / w for x in weights]
    shares = [math.floor(e) for e in exact]
    order = sorted(range(n), key=lambda i: (shares[i] - exact[i], i))
    for i in order[: rest - sum(shares)]:
        shares[i] += 1
    return [s + minimum for s in shares]


def _slots(weights: Sequence[float], values: Sequence[Any], size: int) -> list[Any]:
    """An array of `size` entries in which each value appears in proportion to its weight."""
    out: list[Any] = []
    for value, count in zip(values, _apportion(size, weights, 1), strict=True):
        out.extend([value] * count)
    return out


def machine(cur: Any) -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    cur.execute("SHOW server_version")
    server = cur.fetchone()[0]
    settings = {}
    for name in ("shared_buffers", "work_mem", "max_parallel_workers_per_gather", "jit"):
        cur.execute(f"SHOW {name}")
        settings[name] = cur.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "postgresql": server,
        "postgresql_settings": settings,
        "duckdb": version("duckdb"),
        "django": version("django"),
        "psycopg": version("psycopg"),
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


# --- the database -----------------------------------------------------------------------------------


def _connect(database: str, autocommit: bool = True) -> Any:
    import psycopg

    return psycopg.connect(f"{PG_URL}/{database}", autocommit=autocommit)


def postgres_answers() -> str | None:
    """None when the server answers, else why not."""
    try:
        with _connect("postgres") as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means: no server to run against
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def _database_exists(name: str) -> bool:
    with _connect("postgres") as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def create_database(name: str) -> None:
    from psycopg import sql

    with _connect("postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    from psycopg import sql

    with _connect("postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


_DJANGO_DATABASE: str | None = None


def setup_django(database: str) -> None:
    """Django on the benchmark's database, DEBUG off (no query log), before anything imports models."""
    os.environ["DATABASE_URL"] = f"{PG_URL}/{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sleutelnet.conf.settings"
    os.environ["DEBUG"] = "0"
    global _DJANGO_DATABASE
    if _DJANGO_DATABASE not in (None, database):
        raise RuntimeError(f"Django is already set up on {_DJANGO_DATABASE}")
    import django

    django.setup()
    _DJANGO_DATABASE = database


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)  # call_command skips the system checks


def _meta(cur: Any) -> dict[str, Any]:
    cur.execute("SELECT to_regclass('bench.meta') IS NOT NULL")
    if not cur.fetchone()[0]:
        return {}
    cur.execute("SELECT key, value FROM bench.meta")
    return {k: v for k, v in cur.fetchall()}


def _set_meta(cur: Any, **values: Any) -> None:
    cur.execute("CREATE TABLE IF NOT EXISTS bench.meta (key text PRIMARY KEY, value jsonb NOT NULL)")
    for key, value in values.items():
        cur.execute(
            "INSERT INTO bench.meta VALUES (%s, %s::jsonb) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (key, json.dumps(value)),
        )


# --- generating the country -------------------------------------------------------------------------

#: The tables loaded in bulk: their secondary indexes and their foreign and unique keys are
#: dropped before the load and made again after it (one sort per index instead of 10 million
#: inserts into it, and one join per foreign key instead of a trigger per row).
BULK_TABLES = (
    "people_keyperson",
    "people_newcomer",
    "deployments_request",
    "deployments_assignment",
    "deployments_activityreport",
    "deployments_activityreport_roles_used",
    "deployments_activityreport_life_domains",
)
SMALL_TABLES = (
    "core_region",
    "core_municipality",
    "core_organisation",
    "core_user",
    "core_membership",
    "allowances_allowancerate",
)


@dataclass
class Plan:
    """What the generator draws from, computed in Python from the spec (small; deterministic)."""

    spec: Spec
    as_of: dt.date
    regions: list[tuple[int, str]]
    municipalities: list[tuple[int, int, str, float]]  # id, region id, name, weight
    kp_ranges: dict[int, tuple[int, int]]  # municipality -> (first id, count)
    kp_region_ranges: dict[int, tuple[int, int]]
    nc_ranges: dict[int, tuple[int, int]]
    requests: int
    span_days: int


def make_plan(spec: Spec, as_of: dt.date) -> Plan:
    rng = random.Random(spec.seed)
    names = [name for name, _ in REGIONS[: spec.regions]]
    if len(names) < spec.regions:
        names += [f"Regio {i + 1}" for i in range(len(names), spec.regions)]
    regions = list(enumerate(names, start=1))
    # Municipality k (1 = largest) weighs k^-0.7 (Amsterdam ~ 30 times the median), with noise.
    weights = [k**-0.7 * rng.uniform(0.85, 1.15) for k in range(1, spec.municipalities + 1)]
    weights[: spec.regions] = sorted(weights[: spec.regions], reverse=True)
    region_pull = [rng.uniform(0.4, 2.0) for _ in regions]
    munis: list[tuple[int, int, str, float]] = []
    for k in range(1, spec.municipalities + 1):
        if k <= spec.regions:  # the centre of region k
            region = k
            name = REGIONS[k - 1][1] if k <= len(REGIONS) else f"Stad {k}"
        else:
            region = rng.choices(range(1, spec.regions + 1), weights=region_pull)[0]
            name = f"Gemeente {k:03d}"
        munis.append((k, region, name, weights[k - 1]))
    # Key persons and newcomers, numbered by region and then municipality, in proportion to size.
    ordered = sorted(munis, key=lambda m: (m[1], m[0]))
    kp_counts = _apportion(spec.key_persons, [m[3] for m in ordered])
    nc_counts = _apportion(spec.newcomers, [m[3] for m in ordered])
    kp_ranges, nc_ranges, kp_region = {}, {}, {}
    next_kp = next_nc = 1
    for m, kc, nc in zip(ordered, kp_counts, nc_counts, strict=True):
        kp_ranges[m[0]] = (next_kp, kc)
        nc_ranges[m[0]] = (next_nc, nc)
        first, count = kp_region.get(m[1], (next_kp, 0))
        kp_region[m[1]] = (first, count + kc)
        next_kp += kc
        next_nc += nc
    start = dt.date.fromisoformat(spec.start)
    span_days = (as_of - start).days + FUTURE_DAYS
    # Requests are spread over [start, as_of + 21 days] with a density growing linearly; those
    # that took place (ended before today) carry a report with probability P_REPORT.
    t_past = ((as_of - start).days - 1) / span_days
    past_share = (t_past + GROWTH * t_past**2 / 2) / (1 + GROWTH / 2)
    requests = math.ceil(spec.reports / (past_share * P_REPORT))
    return Plan(spec, as_of, regions, munis, kp_ranges, kp_region, nc_ranges, requests, span_days)


def _by_id(mapping: dict[int, Any], n: int, default: Any = 0) -> list[Any]:
    return [mapping.get(i, default) for i in range(1, n + 1)]


def _exec(conn: Any, statement: str, params: Any = None) -> int:
    with conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.rowcount


def _session(conn: Any) -> None:
    for setting in (
        "SET synchronous_commit = off",
        "SET work_mem = '256MB'",
        "SET maintenance_work_mem = '2GB'",
        "SET max_parallel_maintenance_workers = 2",
        f"SET TIME ZONE '{TIME_ZONE}'",
    ):
        conn.execute(setting)


def _parallel(database: str, jobs: Sequence[tuple[str, str, Any]], log: Callable[[str], None]) -> list[dict[str, Any]]:
    """Run statements two at a time, each on its own connection (the machine has two cores)."""

    def one(job: tuple[str, str, Any]) -> dict[str, Any]:
        name, statement, params = job
        started = time.perf_counter()
        with _connect(database) as conn:
            _session(conn)
            rows = _exec(conn, statement, params)
        seconds = round(time.perf_counter() - started, 2)
        log(f"  {name}: {rows:,} rows in {seconds:.1f} s")
        return {"step": name, "rows": rows, "seconds": seconds}

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(one, jobs))


def _secondary_ddl(cur: Any) -> tuple[list[str], list[str], list[str]]:
    """(drop statements, index statements, foreign-key statements) for the bulk tables."""
    cur.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype
        FROM pg_constraint
        WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')
        ORDER BY contype, conrelid::regclass::text, conname
        """,
        (list(BULK_TABLES),),
    )
    constraints = cur.fetchall()
    cur.execute(
        """
        SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
        FROM pg_index
        WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary
          AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE contype IN ('p', 'u', 'x'))
        ORDER BY 1
        """,
        (list(BULK_TABLES),),
    )
    indexes = cur.fetchall()
    drops, make, fks = [], [], []
    for table, name, definition, kind in constraints:  # foreign keys ('f') sort before unique ('u')
        drops.append(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        (fks if kind == "f" else make).append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        drops.append(f"DROP INDEX {name}")
        make.append(definition)
    return drops, make, fks


def _django_defaults(cur: Any) -> list[str]:
    """Give the NOT NULL columns the generator does not name their Django default in the database
    for the load (fields added to the models after this file was written); the statements to undo it."""
    from django.apps import apps
    from django.db import connection
    from psycopg import sql

    models = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    undo = []
    for table in (*SMALL_TABLES, *BULK_TABLES):
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
            " AND table_name = %s AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
            (table,),
        )
        bare = {row[0] for row in cur.fetchall()}
        for f in models[table]._meta.concrete_fields:
            # a default, or the empty string Django gives a blank text field without one
            if f.column in bare and (f.has_default() or (f.empty_strings_allowed and not f.null)) and not f.unique:
                value = f.get_db_prep_save(f.get_default(), connection)
                target = sql.SQL("ALTER TABLE {} ALTER COLUMN {}").format(sql.Identifier(table), sql.Identifier(f.column))
                cur.execute(sql.SQL("{} SET DEFAULT {}").format(target, sql.Literal(value)))
                undo.append(sql.SQL("{} DROP DEFAULT").format(target).as_string(cur))
    return undo


def _small_tables(cur: Any, plan: Plan) -> None:
    """Regions, municipalities, organisations, users, memberships and allowance rates."""
    rng = random.Random(plan.spec.seed + 1)

    def uid() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    created = dt.datetime.combine(dt.date.fromisoformat(plan.spec.start) - dt.timedelta(days=60), dt.time(9))
    r_count = len(plan.regions)
    cur.executemany(
        "INSERT INTO core_region (id, uuid, created_at, updated_at, name, matching_weights, small_count_threshold)"
        " VALUES (%s, %s, %s, %s, %s, '{}', 5)",
        [(rid, uid(), created, created, name) for rid, name in plan.regions],
    )
    cur.executemany(
        "INSERT INTO core_municipality (id, uuid, created_at, updated_at, name, cbs_code, region_id)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        [(mid, uid(), created, created, name, f"GM{mid:04d}", rid) for mid, rid, name, _ in plan.municipalities],
    )
    orgs = []
    for rid, rname in plan.regions:
        for k, (kind, label, _) in enumerate(ORG_KINDS, start=1):
            oid = (rid - 1) * len(ORG_KINDS) + k
            orgs.append((oid, uid(), created, created, f"{label} {rname}", kind, rid if kind == "municipality" else None, rid))
    cur.executemany(
        "INSERT INTO core_organisation (id, uuid, created_at, updated_at, name, kind, municipality_id, region_id)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        orgs,
    )
    # Users 1..R: a coordinator per region; then a requester per organisation (user R + org id).
    users = [(rid, f"coordinator-{rid}", "Coördinator", name) for rid, name in plan.regions]
    users += [(r_count + o[0], f"requester-{o[0]}", "Aanvrager", o[4]) for o in orgs]
    cur.executemany(
        "INSERT INTO core_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,"
        " is_active, date_joined, uuid, preferred_language)"
        " VALUES (%s, '!', false, %s, %s, %s, %s, false, true, %s, %s, '')",
        [(i, username, first, last[:150], f"{username}@bench.invalid", created, uid()) for i, username, first, last in users],
    )
    members = [(rid, "coordinator", rid, None) for rid, _ in plan.regions]
    members += [(o[7], "requester", r_count + o[0], o[0]) for o in orgs]
    cur.executemany(
        "INSERT INTO core_membership (region_id, role, user_id, organisation_id) VALUES (%s, %s, %s, %s)", members
    )
    rates = []
    for rid, _ in plan.regions:
        base = Decimal("4.00") + Decimal("0.10") * (rid % 5)
        rates += [
            (rid, dt.date(2022, 1, 1), base),
            (rid, dt.date(2024, 1, 1), base + Decimal("0.50")),
            (rid, dt.date(2025, 7, 1), min(base + Decimal("0.80"), Decimal("5.60"))),
        ]
    cur.executemany(
        "INSERT INTO allowances_allowancerate (region_id, valid_from, per_hour) VALUES (%s, %s, %s)", rates
    )


def _arrays(plan: Plan, cur: Any) -> dict[str, Any]:
    """The parameters of the big statements: weighted draws as arrays (a draw is one subscript)."""
    spec = plan.spec
    cur.execute("SELECT id, code, variant FROM people_language ORDER BY id")
    languages = cur.fetchall()
    cur.execute("SELECT id FROM people_keypersonrole ORDER BY position, id")
    roles = [r[0] for r in cur.fetchall()]
    cur.execute("SELECT id FROM people_lifedomain ORDER BY position, id")
    domains = [r[0] for r in cur.fetchall()]
    munis = plan.municipalities
    m = len(munis)
    return {
        "muni_slots": _slots([w for *_, w in munis], [mid for mid, *_ in munis], SLOTS),
        "muni_region": [rid for _, rid, _, _ in munis],
        "muni_name": [name for _, _, name, _ in munis],
        "kp_first": [plan.kp_ranges[i][0] for i in range(1, m + 1)],
        "kp_count": [plan.kp_ranges[i][1] for i in range(1, m + 1)],
        "kpr_first": [plan.kp_region_ranges[r][0] for r in range(1, spec.regions + 1)],
        "kpr_count": [plan.kp_region_ranges[r][1] for r in range(1, spec.regions + 1)],
        "nc_first": [plan.nc_ranges[i][0] for i in range(1, m + 1)],
        "nc_count": [plan.nc_ranges[i][1] for i in range(1, m + 1)],
        "kind_slots": _slots([k[1] for k in KINDS], list(range(1, len(KINDS) + 1)), 1000),
        "kind_code": [k[0] for k in KINDS],
        "kind_title": [k[2] for k in KINDS],
        "kind_lo": [k[3] for k in KINDS],
        "kind_hi": [k[4] for k in KINDS],
        "org_slots": _slots([k[2] for k in ORG_KINDS], list(range(1, len(ORG_KINDS) + 1)), 1000),
        "chain_slots": _slots([c[1] for c in CHAINS], list(range(1, len(CHAINS) + 1)), 100),
        "chain_code": [c[0] for c in CHAINS],
        "lang_slots": _slots(
            [LANGUAGE_WEIGHTS.get((code, variant), 5) for _, code, variant in languages],
            [lid for lid, _, _ in languages],
            1000,
        ),
        "role_slots": _slots(list(ROLE_WEIGHTS[: len(roles)]), list(range(len(roles))), 100),
        "role_ids": roles,
        "domain_ids": domains,
        "decline_slots": _slots([d[1] for d in DECLINES], list(range(1, len(DECLINES) + 1)), 100),
        "decline_code": [d[0] for d in DECLINES],
        "assignment_status": [f[0] for f in FATES],
        "request_status": [f[1] for f in FATES],
        "n_roles": len(roles),
        "n_domains": len(domains),
        "n_orgs": len(ORG_KINDS),
        "n_regions": spec.regions,
    }


def _literal(value: Any) -> str:
    """`value` as an SQL literal: arrays become constants the planner folds once, not a parameter
    coerced on every one of 11 million rows."""
    if isinstance(value, list | tuple):
        items = []
        for v in value:
            if isinstance(v, str):
                items.append('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"')
            else:
                items.append(repr(v))
        return "'{" + ",".join(items).replace("'", "''") + "}'"
    return str(int(value))


def _bind(statement: str, values: dict[str, Any]) -> str:
    """Put the arrays of `_arrays()` into a statement written with %(name)s placeholders."""
    for name, value in values.items():
        statement = statement.replace(f"%({name})s", _literal(value))
    if "%(" in statement:
        raise ValueError(f"unbound placeholder in {statement[:200]}")
    return statement.replace("%%", "%")


def _u(key: int) -> str:
    """A uniform draw in [0, 1) fixed by the row number and `key` (the seed is in bench.u)."""
    return f"bench.u(i, {key})"


def _gen_sql(plan: Plan, a: dict[str, Any]) -> str:
    """The plan of every request: one row per request, every draw made once (bench.gen)."""
    n, span, g = plan.requests, plan.span_days, GROWTH
    as_of = f"(DATE '{plan.as_of.isoformat()}'::timestamp AT TIME ZONE '{TIME_ZONE}')"
    recent = f"({as_of} - interval '14 days')"
    return f"""
    CREATE UNLOGGED TABLE bench.gen AS
    WITH a AS (
      SELECT i,
        (%(muni_slots)s::int[])[1 + floor({_u(1)} * {SLOTS})::int] AS muni,
        (%(kind_slots)s::int[])[1 + floor({_u(2)} * 1000)::int] AS kind,
        (%(org_slots)s::int[])[1 + floor({_u(3)} * 1000)::int] AS org_k,
        (%(lang_slots)s::int[])[1 + floor({_u(4)} * 1000)::int] AS lang,
        (%(chain_slots)s::int[])[1 + floor({_u(5)} * 100)::int] AS chain,
        (-1 + sqrt(1 + 2 * {g} * ((i - 1 + {_u(6)}) / {n}) * (1 + {g} / 2))) / {g} AS t
      FROM generate_series(1, {n}::bigint) i
      OFFSET 0  -- a fence: each layer computes its columns once per row instead of inlining them
    ), b AS (
      SELECT a.*,
        (%(muni_region)s::int[])[muni] AS region,
        ((DATE '{plan.spec.start}' + least(floor(t * {span})::int, {span} - 1))
          + make_interval(hours => 8 + floor({_u(7)} * 11)::int, mins => 30 * floor({_u(8)} * 2)::int))
          AT TIME ZONE '{TIME_ZONE}' AS starts_at,
        round((((%(kind_lo)s::float8[])[kind] + ((%(kind_hi)s::float8[])[kind] - (%(kind_lo)s::float8[])[kind]) * {_u(9)}) * 2)::numeric) / 2 AS planned,
        make_interval(hours => 2 + floor({_u(10)} ^ 2 * 40 * 24)::int) AS lead,
        exp(ln(0.3) + {_u(11)} * ln(2000)) AS delay_h
      FROM a OFFSET 0
    ), c AS (
      SELECT b.*,
        starts_at + make_interval(mins => (greatest(planned, 0.5) * 60)::int) AS ends_at,
        CASE WHEN starts_at - lead < {as_of} THEN starts_at - lead
             ELSE {as_of} - make_interval(mins => 60 + floor({_u(12)} * 2880)::int) END AS created_at
      FROM b OFFSET 0
    ), d AS (
      SELECT c.*,
        CASE WHEN ends_at < {as_of} THEN
               CASE WHEN {_u(13)} < {P_REPORT} THEN
                      CASE WHEN ends_at > {recent} AND {_u(14)} < 0.6 THEN 2 ELSE 1 END
                    WHEN {_u(13)} < 0.96 THEN 3
                    WHEN {_u(13)} < 0.98 THEN 4
                    WHEN {_u(13)} < 0.995 THEN 5
                    ELSE 6 END
             ELSE CASE WHEN {_u(13)} < 0.6 THEN 6 WHEN {_u(13)} < 0.9 THEN 5 WHEN {_u(13)} < 0.97 THEN 3 ELSE 4 END
        END AS fate,
        least(greatest(created_at + make_interval(secs => delay_h * 3600), created_at + interval '5 minutes'),
              starts_at - interval '30 minutes', {as_of} - interval '1 minute') AS answer_at
      FROM c OFFSET 0
    )
    SELECT i, muni, region, kind, (region - 1) * %(n_orgs)s + org_k AS org, org_k, lang, chain, t,
      starts_at, ends_at, created_at, fate,
      created_at + (answer_at - created_at) * 0.3 AS offered_at,
      CASE WHEN fate IN (1, 2, 3, 6) THEN answer_at END AS responded_at,
      CASE WHEN fate = 3 THEN (%(decline_code)s::text[])[(%(decline_slots)s::int[])[1 + floor({_u(15)} * 100)::int]] ELSE '' END AS decline,
      CASE WHEN kind = 1 THEN (%(nc_first)s::int[])[muni]
        + least((%(nc_count)s::int[])[muni] - 1, floor((t * 0.8 + 0.2 * {_u(16)}) * (%(nc_count)s::int[])[muni])::int) END AS newcomer,
      CASE WHEN fate = 4 AND {_u(17)} < 0.5 THEN NULL
           WHEN {_u(18)} < 0.85 THEN (%(kp_first)s::int[])[muni] + floor((%(kp_count)s::int[])[muni] * {_u(19)} ^ 1.6)::int
           ELSE (%(kpr_first)s::int[])[region] + floor((%(kpr_count)s::int[])[region] * {_u(20)})::int END AS key_person,
      greatest(0.5, round(planned * (0.75 + 0.5 * {_u(21)}) * 2) / 2)::numeric(4, 1) AS hours,
      CASE kind
        WHEN 1 THEN 1 + ({_u(22)} < 0.1)::int
        WHEN 2 THEN 4 + floor(46 * {_u(22)} ^ 2)::int
        WHEN 3 THEN 8 + floor(192 * {_u(22)} ^ 3)::int
        WHEN 4 THEN 1
        WHEN 5 THEN 1 + floor(4 * {_u(22)})::int
        WHEN 6 THEN 1 + ({_u(22)} < 0.2)::int
        ELSE 2 + floor(5 * {_u(22)})::int END AS participants,
      1 + ({_u(23)} < 0.45)::int + ({_u(24)} < 0.15)::int AS n_roles,
      (%(role_slots)s::int[])[1 + floor({_u(25)} * 100)::int] AS r0,
      1 + floor({_u(26)} * (%(n_roles)s - 1))::int AS r_step,
      CASE WHEN {_u(27)} < 0.2 THEN 0 WHEN {_u(27)} < 0.6 THEN 1 WHEN {_u(27)} < 0.85 THEN 2 ELSE 3 END AS n_domains,
      floor({_u(28)} * %(n_domains)s)::int AS d0,
      1 + floor({_u(29)} * (%(n_domains)s - 1))::int AS d_step
    FROM d
    """


def _load_statements(plan: Plan) -> dict[str, str]:
    """INSERT ... SELECT from bench.gen into each Django table (every NOT NULL column given)."""
    as_of = f"(DATE '{plan.as_of.isoformat()}'::timestamp AT TIME ZONE '{TIME_ZONE}')"
    r_count = plan.spec.regions
    report_fates = "(1, 2)"
    return {
        "key persons": f"""
            INSERT INTO people_keyperson (id, uuid, created_at, updated_at, full_name, email, phone, ui_language,
              capacity_hours_per_month, status, gender, region_id, paused_by_self)
            SELECT k.i, md5('kp' || k.i)::uuid, DATE '{plan.spec.start}' - 30, DATE '{plan.spec.start}' - 30,
              'Sleutelpersoon ' || k.i, '', '', 'nl', 8 + 4 * floor(bench.u(k.i, 101) * 5), 'active',
              CASE WHEN bench.u(k.i, 102) < 0.55 THEN 'f' ELSE 'm' END, m.region, false
            FROM bench.muni m, generate_series(m.kp_first, m.kp_first + m.kp_count - 1) AS k(i)""",
        "newcomers": f"""
            INSERT INTO people_newcomer (id, uuid, created_at, updated_at, reference, display_name, dutch_level,
              learning_route, municipality_id, region_id, email, phone)
            SELECT n.i, md5('nc' || n.i)::uuid, DATE '{plan.spec.start}' - 30, DATE '{plan.spec.start}' - 30,
              'NC' || lpad(n.i::text, 7, '0'), chr(65 + (n.i % 26)::int) || '.',
              (ARRAY['none', 'a0', 'a1', 'a2', 'b1', 'b2'])[1 + floor(bench.u(n.i, 103) * 6)::int],
              (ARRAY['b1', 'education', 'z', 'unknown'])[1 + floor(bench.u(n.i, 104) * 4)::int],
              m.id, m.region, '', ''
            FROM bench.muni m, generate_series(m.nc_first, m.nc_first + m.nc_count - 1) AS n(i)""",
        "requests": f"""
            INSERT INTO deployments_request (id, uuid, created_at, updated_at, title, description, kind, place,
              starts_at, ends_at, chain_link, key_persons_needed, gender_preference, gender_required, requires_vog,
              urgency, needs_certified_interpreter, participants_expected, status, cancel_reason, language_id,
              municipality_id, newcomer_id, organisation_id, region_id, requested_by_id)
            SELECT i, md5('rq' || i)::uuid, created_at, greatest(created_at, coalesce(responded_at, created_at)),
              (%(kind_title)s::text[])[kind], '', (%(kind_code)s::text[])[kind], (%(muni_name)s::text[])[muni],
              starts_at, ends_at, (%(chain_code)s::text[])[chain], 1, '', false, false, 2, false,
              CASE WHEN kind IN (2, 3) THEN participants END, (%(request_status)s::text[])[fate],
              CASE WHEN fate = 4 THEN 'Vervalt' ELSE '' END, lang, muni, newcomer, org, region, {r_count} + org
            FROM bench.gen""",
        "assignments": """
            INSERT INTO deployments_assignment (id, uuid, created_at, updated_at, status, offered_at, responded_at,
              match_reasons, decline_reason, cancel_reason, review_comment, key_person_id, offered_by_id,
              request_id, decline_code, region_id)
            SELECT i, md5('as' || i)::uuid, offered_at, coalesce(responded_at, offered_at),
              (%(assignment_status)s::text[])[fate], offered_at, responded_at, '[]'::jsonb, '',
              CASE WHEN fate = 4 THEN 'Verzoek vervallen' ELSE '' END, '', key_person, region, i, decline, region
            FROM bench.gen""",
        "activity reports": f"""
            INSERT INTO deployments_activityreport (id, uuid, created_at, updated_at, date, hours, participants,
              participants_little_dutch, participants_first_contact, outcome, follow_up, submitted_at,
              reviewed_at, reviewed_by_id, assignment_id, follow_up_code, outcome_code, key_person_id)
            SELECT i, md5('ar' || i)::uuid, s.submitted, coalesce(s.reviewed, s.submitted),
              (starts_at AT TIME ZONE '{TIME_ZONE}')::date, hours, participants,
              CASE WHEN kind = 1 THEN CASE WHEN bench.u(i, 31) < 0.7 THEN participants ELSE 0 END
                   ELSE round(participants * (0.3 + 0.6 * bench.u(i, 31)))::int END,
              round(participants * 0.4 * bench.u(i, 32))::int, '', '', s.submitted, s.reviewed,
              CASE WHEN fate = 1 THEN region END, i,
              CASE WHEN bench.u(i, 33) < 0.8 THEN 'none' ELSE 'organisation' END,
              CASE WHEN bench.u(i, 34) < 0.9 THEN 'done' ELSE 'partly' END, key_person
            FROM bench.gen,
              LATERAL (SELECT least(ends_at + make_interval(mins => floor(bench.u(i, 35) * 4320)::int), {as_of}) AS submitted) s0,
              LATERAL (SELECT s0.submitted,
                CASE WHEN fate = 1 THEN least(s0.submitted + make_interval(mins => floor(bench.u(i, 36) * 7200)::int), {as_of}) END AS reviewed) s
            WHERE fate IN {report_fates}""",
        "roles used": f"""
            INSERT INTO deployments_activityreport_roles_used (activityreport_id, keypersonrole_id)
            SELECT i, (%(role_ids)s::int[])[1 + (r0 + j * r_step) %% %(n_roles)s]
            FROM bench.gen, generate_series(0, 2) AS j
            WHERE fate IN {report_fates} AND j < n_roles""",
        "life domains": f"""
            INSERT INTO deployments_activityreport_life_domains (activityreport_id, lifedomain_id)
            SELECT i, (%(domain_ids)s::int[])[1 + (d0 + j * d_step) %% %(n_domains)s]
            FROM bench.gen, generate_series(0, 2) AS j
            WHERE fate IN {report_fates} AND j < n_domains""",
    }


def generate(settings: Settings, as_of: dt.date, log: Callable[[str], None]) -> dict[str, Any]:
    """Fill the (migrated, empty) database; returns the steps with their times."""
    spec = settings.spec
    plan = make_plan(spec, as_of)
    steps: list[dict[str, Any]] = []
    started = time.perf_counter()

    def step(name: str, run: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = run()
        seconds = round(time.perf_counter() - t0, 2)
        rows = out if isinstance(out, int) else None
        steps.append({"step": name, "rows": rows, "seconds": seconds})
        log(f"  {name}: {'' if rows is None else f'{rows:,} rows in '}{seconds:.1f} s")
        return out

    log(f"generate: {plan.requests:,} requests planned for ~{spec.reports:,} reports up to {as_of}")
    with _connect(settings.database) as conn:
        _session(conn)
        cur = conn.cursor()
        cur.execute("CREATE SCHEMA IF NOT EXISTS bench")
        cur.execute(
            f"""CREATE OR REPLACE FUNCTION bench.u(i bigint, k int) RETURNS float8
            LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
            $$ SELECT (hashint8extended(i, k + {spec.seed}::bigint) & 281474976710655)::float8 / 281474976710656 $$"""
        )
        undo_defaults = _django_defaults(cur)
        step("regions, municipalities, organisations, users, rates", lambda: _small_tables(cur, plan))
        arrays = _arrays(plan, cur)
        cur.execute(
            "CREATE UNLOGGED TABLE bench.muni (id int PRIMARY KEY, region int, kp_first int, kp_count int,"
            " nc_first int, nc_count int)"
        )
        cur.executemany(
            "INSERT INTO bench.muni VALUES (%s, %s, %s, %s, %s, %s)",
            [(mid, rid, *plan.kp_ranges[mid], *plan.nc_ranges[mid]) for mid, rid, _, _ in plan.municipalities],
        )
        drops, indexes, fks = _secondary_ddl(cur)
        step(f"drop {len(drops)} secondary indexes and keys", lambda: [cur.execute(s) for s in drops] and None)
        step("draw the requests (bench.gen)", lambda: _exec(conn, _bind(_gen_sql(plan, arrays), arrays)))
    loads = _load_statements(plan)
    for batch in (("key persons", "newcomers"), ("requests", "assignments"), ("activity reports", "roles used"), ("life domains",)):
        steps += _parallel(settings.database, [(name, _bind(loads[name], arrays), None) for name in batch], log)
    with _connect(settings.database) as conn:
        _session(conn)
        cur = conn.cursor()
        cur.execute("DROP TABLE bench.gen")
        cur.execute("DROP TABLE bench.muni")
        for statement in undo_defaults:
            cur.execute(statement)
        step(f"recreate {len(indexes)} indexes and unique keys", lambda: [cur.execute(s) for s in indexes] and None)
        step(f"recreate and validate {len(fks)} foreign keys", lambda: [cur.execute(s) for s in fks] and None)

        def sequences() -> None:
            for table in (*SMALL_TABLES, *BULK_TABLES):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
                )

        step("reset the id sequences", sequences)
    steps += _parallel(
        settings.database,
        [(f"vacuum analyze {t}", f"VACUUM (ANALYZE) {t}", None) for t in (*BULK_TABLES, *SMALL_TABLES)],
        lambda _: None,
    )
    vacuum = [s for s in steps if s["step"].startswith("vacuum")]
    steps = [s for s in steps if not s["step"].startswith("vacuum")]
    steps.append({"step": "vacuum analyze", "rows": None, "seconds": round(sum(s["seconds"] for s in vacuum), 2)})
    log(f"  vacuum analyze: {steps[-1]['seconds']:.1f} s (two at a time)")
    seconds = round(time.perf_counter() - started, 1)
    with _connect(settings.database) as conn:
        _set_meta(
            conn.cursor(),
            spec=asdict(spec),
            as_of=as_of.isoformat(),
            requests=plan.requests,
            generated_seconds=seconds,
            steps=steps,
            complete=True,
        )
    return {"seconds": seconds, "steps": steps, "reused": False, "as_of": as_of.isoformat()}


def prepare(settings: Settings, log: Callable[[str], None]) -> dict[str, Any]:
    """The database with its data: reused when asked and complete for this spec, else made anew."""
    if settings.reuse and _database_exists(settings.database):
        with _connect(settings.database) as conn:
            meta = _meta(conn.cursor())
        if meta.get("complete") and meta.get("spec") == asdict(settings.spec):
            log(f"reusing {settings.database} (generated {meta['as_of']} in {meta['generated_seconds']} s)")
            setup_django(settings.database)
            migrate()
            return {
                "seconds": meta["generated_seconds"],
                "steps": meta["steps"],
                "reused": True,
                "as_of": meta["as_of"],
            }
        log(f"{settings.database} holds no complete data for this spec: generating anew")
    log(f"create database {settings.database} and migrate")
    t0 = time.perf_counter()
    create_database(settings.database)
    setup_django(settings.database)
    migrate()
    migrate_seconds = round(time.perf_counter() - t0, 2)
    from django.utils import timezone

    as_of = timezone.localdate()
    out = generate(settings, as_of, log)
    out["steps"].insert(0, {"step": "create database and migrate", "rows": None, "seconds": migrate_seconds})
    out["seconds"] = round(out["seconds"] + migrate_seconds, 1)
    with _connect(settings.database) as conn:
        _set_meta(conn.cursor(), generated_seconds=out["seconds"], steps=out["steps"])
    log(f"generated in {out['seconds']:.0f} s")
    return out


# --- sizes ----------------------------------------------------------------------------------------------

SIZE_TABLES = (
    "core_municipality",
    "people_keyperson",
    "people_newcomer",
    "deployments_request",
    "deployments_assignment",
    "deployments_activityreport",
    "deployments_activityreport_roles_used",
    "deployments_activityreport_life_domains",
    "reporting_rollup",
    "reporting_newcomermonth",
    "reporting_keypersonmonth",
)


def sizes(database: str) -> dict[str, Any]:
    with _connect(database) as conn:
        cur = conn.cursor()
        tables = {}
        for table in SIZE_TABLES:
            cur.execute(f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}")  # noqa: S608 - our names
            rows, size = cur.fetchone()
            tables[table] = {"rows": rows, "bytes": size}
        cur.execute("SELECT count(*) FROM reporting_rollup WHERE subject = 'report'")
        report_cells = cur.fetchone()[0]
        cur.execute("SELECT pg_database_size(current_database())")
        total = cur.fetchone()[0]
        cur.execute("SELECT min(date), max(date) FROM deployments_activityreport")
        first, last = cur.fetchone()
    return {
        "tables": tables,
        "rollup_report_cells": report_cells,
        "database_bytes": total,
        "reports_from": str(first),
        "reports_until": str(last),
    }


# --- the product's side: rollups and figures() ---------------------------------------------------------


DERIVED_TABLES = ("reporting_regionrollup", "reporting_periodcount", "reporting_keypersonperiod")


def derive(database: str, log: Callable[[str], None]) -> dict[str, Any]:
    """With kept base rollups: compute only what is derived from them (region rollups, unique
    counts, key-person periods), as `rebuild()` ends with."""
    from sleutelnet.reporting import services

    started = time.perf_counter()
    rows = services.rebuild_derived()
    seconds = round(time.perf_counter() - started, 1)
    with _connect(database) as conn:
        for table in DERIVED_TABLES:
            conn.execute(f"VACUUM (ANALYZE) {table}")
    log(f"  derived tables in {seconds:.0f} s: {rows}")
    return {"seconds": seconds, "rows": rows}


def rebuild(database: str, log: Callable[[str], None]) -> dict[str, Any]:
    from sleutelnet.core import clock
    from sleutelnet.reporting import services

    log("rebuild: reporting.services.rebuild() over all raw records")
    now = clock.now()
    started = time.perf_counter()
    rows = services.rebuild()
    seconds = round(time.perf_counter() - started, 1)
    log(f"  rebuilt in {seconds:.0f} s: {rows}")
    t0 = time.perf_counter()
    with _connect(database) as conn:
        for table in ("reporting_rollup", "reporting_newcomermonth", "reporting_keypersonmonth", *DERIVED_TABLES):
            conn.execute(f"VACUUM (ANALYZE) {table}")
    vacuum = round(time.perf_counter() - t0, 1)
    log(f"  vacuum analyze of the rollup tables: {vacuum:.0f} s")
    return {"seconds": seconds, "rows": rows, "now": now.isoformat(), "vacuum_seconds": vacuum}


@dataclass(frozen=True)
class Case:
    name: str  # region | national
    kind: str  # quarter | year
    start: dt.date
    end: dt.date
    prev_start: dt.date
    regions: list[int] | None
    label: str


def cases(database: str, as_of: dt.date) -> list[Case]:
    from sleutelnet.reporting.periods import Period

    quarter = Period.containing("quarter", as_of).previous()
    year = Period.containing("year", as_of).previous()
    with _connect(database) as conn:
        # The mid-size region: the median by approved reports in the last full year.
        rows = conn.execute(
            "SELECT region_id, sum(count) FROM reporting_rollup WHERE subject = 'report' AND dimension = 'total'"
            " AND month >= %s AND month < %s GROUP BY region_id ORDER BY 2, 1",
            (year.start, year.end),
        ).fetchall()
        region = rows[len(rows) // 2][0]
        name = conn.execute("SELECT name FROM core_region WHERE id = %s", (region,)).fetchone()[0]
    return [
        Case("region", "quarter", quarter.start, quarter.end, quarter.previous().start, [region],
             f"{name}, Q{quarter.number} {quarter.start.year}"),
        Case("national", "year", year.start, year.end, year.previous().start, None, f"national, {year.start.year}"),
    ]  # fmt: skip


def ours(case: Case) -> Any:
    from sleutelnet.reporting.periods import Period
    from sleutelnet.reporting.selectors import Scope, figures

    return figures(Scope(regions=case.regions), Period.containing(case.kind, case.start))


def canonical_figures(f: Any) -> dict[str, Any]:
    """figures() as plain comparable values."""
    out: dict[str, Any] = {}
    for flag, fig in ((1, f.current), (0, f.previous)):
        key = str(flag)
        out[key] = {
            "totals": _sums(fig.totals),
            "by_municipality": {str(m): _sums(s) for m, s in fig.by_municipality.items() if s.count},
            "breakdown": {
                f"{dim}={value}": _sums(s)
                for dim, values in fig.breakdown.items()
                for value, s in values.items()
                if s.count
            },
            "newcomers": fig.newcomers,
            "newcomers_little_dutch": fig.newcomers_little_dutch,
            "newcomers_by_municipality": {str(m): n for m, n in fig.newcomers_by_municipality.items() if n},
            "requests": {
                f"{dim}={value}": n for dim, values in fig.requests.items() for value, n in values.items() if n
            },
            "requests_by_municipality": {str(m): n for m, n in fig.requests_by_municipality.items() if n},
            "key_person_hours": sorted(Decimal(h) for h in fig.key_person_hours),
        }
    return out


def _sums(s: Any) -> tuple[int, Decimal, int, int, int, Decimal]:
    return (int(s.count), Decimal(s.hours), int(s.participants), int(s.little_dutch), int(s.first_contact), Decimal(s.allowance))


# --- the page -------------------------------------------------------------------------------------------

PAGE_URL_NAME = "reporting:policy_dashboard"


def page_params(case: Case) -> dict[str, str]:
    """GET parameters of the dashboard page for a case (reporting.forms.PeriodForm: kind, year, number)."""
    number = (case.start.month - 1) // 3 + 1 if case.kind == "quarter" else 1
    return {"kind": case.kind, "year": str(case.start.year), "number": str(number)}


def _page_period_checked(case: Case, params: dict[str, str]) -> bool | None:
    """Whether the page's period form reads `params` as the case's period (None: cannot tell)."""
    try:
        from sleutelnet.core.models import Municipality
        from sleutelnet.reporting.forms import PeriodForm

        form = PeriodForm(params, municipalities=Municipality.objects.none())
        return form.is_valid() and form.period().start == case.start and form.period().kind == case.kind
    except Exception:  # noqa: BLE001 - the form is the product's to change; then we cannot tell
        return None


def page_client(case: Case) -> tuple[Any, str] | str:
    """A test client signed in (both steps) as a policy officer of the case's region(s), and the URL;
    or why the page cannot be measured yet."""
    try:
        from django.urls import reverse

        url = reverse(PAGE_URL_NAME)
    except Exception as exc:  # noqa: BLE001 - NoReverseMatch, or a URLconf that does not import yet
        return f"{PAGE_URL_NAME} is not available: {type(exc).__name__}: {exc}"
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sleutelnet.core.models import Membership, Region, Role, User

    username = f"bench-policy-{case.name}"
    user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@bench.invalid"})
    regions = case.regions if case.regions is not None else list(Region.objects.values_list("id", flat=True))
    for region_id in regions:
        Membership.objects.get_or_create(user=user, region_id=region_id, role=Role.POLICY_OFFICER)
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client, url


def measure_page(case: Case, settings: Settings) -> dict[str, Any]:
    made = page_client(case)
    if isinstance(made, str):
        return {"available": False, "reason": made}
    client, url = made
    params = page_params(case)
    checked = _page_period_checked(case, params)
    if checked is False:
        return {"available": False, "reason": f"the period form does not read {params}: fix page_params()"}

    def get() -> int:
        response = client.get(url, params)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} {params}: HTTP {response.status_code}")
        return len(response.content)

    try:
        timing, size = _timed(get, settings.warmup, settings.repetitions)
    except Exception as exc:  # noqa: BLE001 - the page is being built: report, do not stop the run
        return {"available": False, "reason": f"{type(exc).__name__}: {exc}", "url": url, "params": params}
    return {"available": True, "url": url, "params": params, "period_checked": checked, "bytes": size, **timing}


# --- DuckDB on the raw data -----------------------------------------------------------------------------

EXPORTS: dict[str, tuple[str, dict[str, str]]] = {
    # name: (PostgreSQL query, DuckDB column types)
    "requests": (
        f"SELECT id, municipality_id, region_id, created_at AT TIME ZONE 'UTC', created_at AT TIME ZONE '{TIME_ZONE}',"
        " starts_at AT TIME ZONE 'UTC', status, kind, organisation_id, language_id, chain_link, newcomer_id"
        " FROM deployments_request",
        {"id": "BIGINT", "municipality_id": "BIGINT", "region_id": "BIGINT", "created_at": "TIMESTAMP",
         "created_local": "TIMESTAMP", "starts_at": "TIMESTAMP", "status": "VARCHAR", "kind": "VARCHAR",
         "organisation_id": "BIGINT", "language_id": "BIGINT", "chain_link": "VARCHAR", "newcomer_id": "BIGINT"},
    ),
    "assignments": (
        "SELECT id, request_id, key_person_id, status, responded_at AT TIME ZONE 'UTC', decline_code"
        " FROM deployments_assignment",
        {"id": "BIGINT", "request_id": "BIGINT", "key_person_id": "BIGINT", "status": "VARCHAR",
         "responded_at": "TIMESTAMP", "decline_code": "VARCHAR"},
    ),
    "reports": (
        "SELECT id, assignment_id, date, hours, participants, participants_little_dutch, participants_first_contact"
        " FROM deployments_activityreport",
        {"id": "BIGINT", "assignment_id": "BIGINT", "date": "DATE", "hours": "DECIMAL(4,1)",
         "participants": "INTEGER", "little_dutch": "INTEGER", "first_contact": "INTEGER"},
    ),
    "roles": (
        "SELECT activityreport_id, keypersonrole_id FROM deployments_activityreport_roles_used",
        {"report_id": "BIGINT", "role_id": "BIGINT"},
    ),
    "domains": (
        "SELECT activityreport_id, lifedomain_id FROM deployments_activityreport_life_domains",
        {"report_id": "BIGINT", "domain_id": "BIGINT"},
    ),
    "organisations": ("SELECT id, kind FROM core_organisation", {"id": "BIGINT", "kind": "VARCHAR"}),
    "rates": (
        "SELECT region_id, valid_from, per_hour FROM allowances_allowancerate",
        {"region_id": "BIGINT", "valid_from": "DATE", "per_hour": "DECIMAL(8,2)"},
    ),
}  # fmt: skip

FLATTEN_REPORTS = """
COPY (
  WITH rl AS (SELECT report_id, list(role_id ORDER BY role_id) AS roles FROM csv_roles GROUP BY report_id),
       dl AS (SELECT report_id, list(domain_id ORDER BY domain_id) AS domains FROM csv_domains GROUP BY report_id),
       base AS (
         SELECT q.municipality_id, q.region_id, r.date, r.hours, r.participants, r.little_dutch, r.first_contact,
                q.kind, q.chain_link, o.kind AS org_kind, q.language_id, q.newcomer_id, a.key_person_id,
                a.status = 'approved' AS approved, coalesce(rl.roles, []) AS roles, coalesce(dl.domains, []) AS domains
         FROM csv_reports r
         JOIN csv_assignments a ON a.id = r.assignment_id
         JOIN csv_requests q ON q.id = a.request_id
         JOIN csv_organisations o ON o.id = q.organisation_id
         LEFT JOIN rl ON rl.report_id = r.id
         LEFT JOIN dl ON dl.report_id = r.id
       )
  SELECT base.*, coalesce(rt.per_hour, 0)::DECIMAL(8,2) AS rate
  FROM base ASOF LEFT JOIN csv_rates rt ON rt.region_id = base.region_id AND base.date >= rt.valid_from
  ORDER BY base.date
) TO '{path}' (FORMAT parquet)
"""

FLATTEN_REQUESTS = """
COPY (
  WITH a AS (
    SELECT request_id,
           count(*) AS n_assignments,
           bool_or(status IN ('accepted', 'reported', 'approved')) AS filled,
           min(responded_at) FILTER (WHERE status IN ('accepted', 'reported', 'approved')) AS first_accept,
           list(coalesce(nullif(decline_code, ''), 'other')) FILTER (WHERE status = 'declined') AS declines,
           count(*) FILTER (WHERE status = 'cancelled') AS n_cancelled,
           bool_or(status = 'offered') AS any_offered
    FROM csv_assignments GROUP BY request_id
  ), top AS (
    SELECT request_id, first(code ORDER BY n DESC, code) AS top_decline
    FROM (SELECT request_id, coalesce(nullif(decline_code, ''), 'other') AS code, count(*) AS n
          FROM csv_assignments WHERE status = 'declined' GROUP BY ALL)
    GROUP BY request_id
  )
  SELECT q.municipality_id, q.region_id, q.created_at, q.created_local, q.starts_at, q.status, q.kind,
         o.kind AS org_kind, coalesce(a.n_assignments, 0) AS n_assignments, coalesce(a.filled, false) AS filled,
         a.first_accept, coalesce(a.declines, []) AS declines, coalesce(a.n_cancelled, 0) AS n_cancelled,
         coalesce(a.any_offered, false) AS any_offered, top.top_decline
  FROM csv_requests q
  JOIN csv_organisations o ON o.id = q.organisation_id
  LEFT JOIN a ON a.request_id = q.id
  LEFT JOIN top ON top.request_id = q.id
  ORDER BY q.created_local
) TO '{path}' (FORMAT parquet)
"""


def export_parquet(database: str, folder: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """The raw tables to CSV (COPY from PostgreSQL), then flattened by DuckDB into two Parquet files."""
    import duckdb

    started = time.perf_counter()
    with _connect(database) as conn:
        cur = conn.cursor()
        for name, (query, _) in EXPORTS.items():
            with open(folder / f"{name}.csv", "wb") as out, cur.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
                for chunk in copy:
                    out.write(chunk)
    csv_seconds = round(time.perf_counter() - started, 1)
    log(f"  COPY to CSV: {csv_seconds:.0f} s")
    t0 = time.perf_counter()
    db = duckdb.connect()
    for name, (_, columns) in EXPORTS.items():
        types = ", ".join(f"'{c}': '{t}'" for c, t in columns.items())
        db.execute(
            f"CREATE TEMP VIEW csv_{name} AS SELECT * FROM read_csv('{folder / (name + '.csv')}',"
            f" header = false, columns = {{{types}}}, nullstr = '')"
        )
    db.execute(FLATTEN_REPORTS.format(path=folder / "reports.parquet"))
    db.execute(FLATTEN_REQUESTS.format(path=folder / "requests.parquet"))
    db.close()
    for name in EXPORTS:
        (folder / f"{name}.csv").unlink()
    parquet_seconds = round(time.perf_counter() - t0, 1)
    log(f"  DuckDB flatten to Parquet: {parquet_seconds:.0f} s")
    return {
        "csv_seconds": csv_seconds,
        "parquet_seconds": parquet_seconds,
        "reports_parquet_bytes": (folder / "reports.parquet").stat().st_size,
        "requests_parquet_bytes": (folder / "requests.parquet").stat().st_size,
    }


def _duck_filters(case: Case, column: str) -> tuple[str, str]:
    """(WHERE clause over the window and the scope, period flag expression)."""
    where = f"{column} >= DATE '{case.prev_start}' AND {column} < DATE '{case.end}'"
    if case.regions is not None:
        where += f" AND region_id IN ({', '.join(str(r) for r in case.regions)})"
    return where, f"CASE WHEN {column} >= DATE '{case.start}' THEN 1 ELSE 0 END"


MEASURES_SQL = (
    "count(*) AS n, sum(hours) AS hours, sum(participants) AS participants, sum(little_dutch) AS little_dutch,"
    " sum(first_contact) AS first_contact, sum(hours * rate) AS allowance"
)


def duck_queries(case: Case, folder: Path, now: dt.datetime) -> dict[str, str]:
    """The aggregations figures() computes, straight from the raw records."""
    reports, requests = folder / "reports.parquet", folder / "requests.parquet"
    where, flag = _duck_filters(case, "date")
    r = f"(SELECT *, {flag} AS p FROM read_parquet('{reports}') WHERE approved AND {where})"
    qwhere, qflag = _duck_filters(case, "created_local")
    now_utc = now.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    q = f"""(SELECT *, {qflag} AS p,
        CASE WHEN filled THEN 'filled' WHEN status = 'cancelled' THEN 'cancelled'
             WHEN starts_at <= TIMESTAMP '{now_utc}' THEN 'unfilled' ELSE 'waiting' END AS st
      FROM read_parquet('{requests}') WHERE {qwhere})"""
    delay = """CASE WHEN first_accept IS NULL THEN NULL
      WHEN greatest(0, trunc(epoch(first_accept - created_at) / 3600)) < 48 THEN greatest(0, trunc(epoch(first_accept - created_at) / 3600))::INT
      ELSE least(trunc(epoch(first_accept - created_at) / 3600 / 24), 60)::INT * 24 END"""
    reason = """CASE WHEN st = 'cancelled' THEN 'cancelled'
      WHEN st = 'unfilled' THEN CASE WHEN n_assignments = 0 THEN 'no_offer'
        WHEN top_decline IS NOT NULL THEN 'declined:' || top_decline
        WHEN any_offered THEN 'no_answer' ELSE 'withdrawn' END END"""
    return {
        "reports": f"""
            SELECT p, municipality_id, kind, chain_link, org_kind, language_id, len(roles) AS n_roles,
                   len(domains) AS n_domains, GROUPING(municipality_id, kind, chain_link, org_kind, language_id,
                   len(roles), len(domains)) AS g, {MEASURES_SQL}
            FROM {r} t
            GROUP BY GROUPING SETS ((p, municipality_id), (p, kind), (p, chain_link), (p, org_kind),
                                    (p, language_id), (p, len(roles)), (p, len(domains)))""",
        "roles": f"""SELECT p, role, {MEASURES_SQL}
            FROM (SELECT p, unnest(roles) AS role, hours, participants, little_dutch, first_contact, rate FROM {r} t)
            GROUP BY p, role""",
        "domains": f"""SELECT p, domain, {MEASURES_SQL}
            FROM (SELECT p, unnest(domains) AS domain, hours, participants, little_dutch, first_contact, rate FROM {r} t)
            GROUP BY p, domain""",
        "newcomers": f"""SELECT p, municipality_id, count(DISTINCT newcomer_id),
              count(DISTINCT newcomer_id) FILTER (WHERE little_dutch > 0)
            FROM {r} t WHERE newcomer_id IS NOT NULL GROUP BY p, municipality_id""",
        "key_persons": f"""SELECT p, key_person_id, sum(hours) FROM {r} t
            WHERE key_person_id IS NOT NULL GROUP BY p, key_person_id""",
        "requests": f"""
            SELECT p, municipality_id, kind, org_kind, st, reason, delay,
                   GROUPING(municipality_id, kind, org_kind, st, reason, delay) AS g, count(*) AS n
            FROM (SELECT *, {reason} AS reason, {delay} AS delay FROM {q} t0) t
            GROUP BY GROUPING SETS ((p, municipality_id), (p, kind), (p, org_kind), (p, st), (p, reason), (p, delay))""",
        "request_assignments": f"""
            SELECT p, 'decline' AS dim, code AS value, count(*) AS n
            FROM (SELECT p, unnest(declines) AS code FROM {q} t0) GROUP BY p, code
            UNION ALL
            SELECT p, 'cancelled', 'assignment', sum(n_cancelled) FROM {q} t1 WHERE n_cancelled > 0 GROUP BY p""",
    }


def run_duck(db: Any, queries: dict[str, str]) -> dict[str, list[tuple[Any, ...]]]:
    return {name: db.execute(sql).fetchall() for name, sql in queries.items()}


def canonical_duck(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, Any]:
    """DuckDB's answers in the shape of canonical_figures()."""
    out: dict[str, Any] = {
        str(p): {
            "totals": [0, Decimal(0), 0, 0, 0, Decimal(0)],
            "by_municipality": {},
            "breakdown": {},
            "newcomers": 0,
            "newcomers_little_dutch": 0,
            "newcomers_by_municipality": {},
            "requests": defaultdict(int),
            "requests_by_municipality": {},
            "key_person_hours": [],
        }
        for p in (0, 1)
    }

    def sums(row: Sequence[Any]) -> tuple[int, Decimal, int, int, int, Decimal]:
        n, hours, participants, ld, fc, allowance = row
        return (int(n), Decimal(hours), int(participants), int(ld), int(fc), Decimal(allowance))

    dims = ("municipality", "kind", "chain", "org_kind", "language", "n_roles", "n_domains")
    for p, *keys, g, n, hours, participants, ld, fc, allowance in rows["reports"]:
        fig = out[str(p)]
        s = sums((n, hours, participants, ld, fc, allowance))
        index = next(i for i in range(len(dims)) if not (g >> (len(dims) - 1 - i)) & 1)
        if index == 0:
            fig["by_municipality"][str(keys[0])] = s
            fig["totals"] = [a + b for a, b in zip(fig["totals"], s, strict=True)]
        else:
            fig["breakdown"][f"{dims[index]}={keys[index]}"] = s
    for name, dim in (("roles", "role"), ("domains", "domain")):
        for p, value, *measures in rows[name]:
            out[str(p)]["breakdown"][f"{dim}={value}"] = sums(measures)
    for p, municipality, n, ld in rows["newcomers"]:
        fig = out[str(p)]
        fig["newcomers"] += n
        fig["newcomers_little_dutch"] += ld
        fig["newcomers_by_municipality"][str(municipality)] = n
    for p, _, hours in rows["key_persons"]:
        out[str(p)]["key_person_hours"].append(Decimal(hours))
    rdims = ("municipality", "kind", "org_kind", "status", "reason", "delay")
    for p, *keys, g, n in rows["requests"]:
        fig = out[str(p)]
        index = next(i for i in range(len(rdims)) if not (g >> (len(rdims) - 1 - i)) & 1)
        value = keys[index]
        if index == 0:
            fig["requests_by_municipality"][str(value)] = n
            fig["requests"]["total="] += n
        elif value is not None:
            fig["requests"][f"{rdims[index]}={value}"] += n
    for p, dim, value, n in rows["request_assignments"]:
        out[str(p)]["requests"][f"{dim}={value}"] += int(n)
    for fig in out.values():
        fig["totals"] = tuple(fig["totals"])
        fig["requests"] = dict(fig["requests"])
        fig["key_person_hours"].sort()
    return out


def compare(a: dict[str, Any], b: dict[str, Any], path: str = "") -> list[str]:
    """Differences between two canonical answers (money within half a cent per rollup cell)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{path}/{key}: only in {'ours' if key in a else 'DuckDB'}")
            else:
                out += compare(a[key], b[key], f"{path}/{key}")
        return out
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == 6 == len(b):
        head_a, head_b = a[:5], b[:5]
        if head_a != head_b or abs(a[5] - b[5]) > Decimal("0.005") * max(1, a[0]):
            return [f"{path}: ours {a}, DuckDB {b}"]
        return []
    if isinstance(a, list) and isinstance(b, list):
        return [] if a == b else [f"{path}: {len(a)} values in ours, {len(b)} in DuckDB, or different sums"]
    return [] if a == b else [f"{path}: ours {a!r}, DuckDB {b!r}"]


# --- the raw baseline in PostgreSQL --------------------------------------------------------------------


def raw_totals_sql(case: Case) -> str:
    scope = "" if case.regions is None else f" AND q.region_id IN ({', '.join(map(str, case.regions))})"
    return f"""
    SELECT CASE WHEN ar.date >= DATE '{case.start}' THEN 1 ELSE 0 END AS p, q.municipality_id,
           count(*), sum(ar.hours), sum(ar.participants), sum(ar.participants_little_dutch),
           sum(ar.participants_first_contact),
           sum(ar.hours * coalesce((SELECT rt.per_hour FROM allowances_allowancerate rt
                                    WHERE rt.region_id = q.region_id AND rt.valid_from <= ar.date
                                    ORDER BY rt.valid_from DESC LIMIT 1), 0))
    FROM deployments_activityreport ar
    JOIN deployments_assignment a ON a.id = ar.assignment_id
    JOIN deployments_request q ON q.id = a.request_id
    WHERE a.status = 'approved' AND ar.date >= DATE '{case.prev_start}' AND ar.date < DATE '{case.end}'{scope}
    GROUP BY 1, 2"""  # noqa: S608 - dates and ids of our own


# --- the whole benchmark --------------------------------------------------------------------------------


def run(settings: Settings, log: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    import duckdb

    started = time.perf_counter()
    with _connect("postgres") as conn:
        info = machine(conn.cursor())
    try:
        generation = prepare(settings, log)
        as_of = dt.date.fromisoformat(generation["as_of"])
        with _connect(settings.database) as conn:
            earlier = _meta(conn.cursor()).get("rebuild")
        if settings.keep_rollups and generation["reused"] and earlier:
            rebuilt = {**earlier, "reused": True, "derived": derive(settings.database, log)}
            log(f"keeping the rollups of the earlier run (rebuilt in {earlier['seconds']} s)")
        else:
            rebuilt = {**rebuild(settings.database, log), "reused": False}
            with _connect(settings.database) as conn:
                _set_meta(conn.cursor(), rebuild=rebuilt)
        data = sizes(settings.database)
        log(
            f"data: {data['tables']['deployments_activityreport']['rows']:,} reports,"
            f" {data['database_bytes'] / 2**30:.1f} GiB"
        )
        chosen = cases(settings.database, as_of)
        with tempfile.TemporaryDirectory(prefix="sleutelnet-bench-") as tmp:
            folder = Path(tmp)
            log("export the raw records to Parquet")
            exported = export_parquet(settings.database, folder, log)
            db = duckdb.connect()
            threads = db.execute("SELECT current_setting('threads')").fetchone()[0]
            results: dict[str, Any] = {}
            for case in chosen:
                log(f"{case.name} ({case.label}): figures() x{settings.warmup}+{settings.repetitions}")
                fig_timing, fig = _timed(lambda c=case: ours(c), settings.warmup, settings.repetitions)
                log(f"  figures(): {fig_timing['median_ms']:.0f} ms")
                log(f"{case.name}: page")
                page = measure_page(case, settings)
                if page["available"]:
                    log(f"  page: {page['median_ms']:.0f} ms")
                else:
                    log(f"  page: skipped ({page['reason'][:120]})")
                queries = duck_queries(case, folder, dt.datetime.fromisoformat(rebuilt["now"]))
                duck_timing, duck_rows = _timed(
                    lambda q=queries: run_duck(db, q), settings.warmup, settings.repetitions
                )
                log(f"  DuckDB: {duck_timing['median_ms']:.0f} ms")
                differences = compare(canonical_figures(fig), canonical_duck(duck_rows))
                if differences:
                    log(f"  {len(differences)} differences from DuckDB, e.g. {differences[:3]}")
                with _connect(settings.database) as conn:
                    sql = raw_totals_sql(case)
                    raw_timing, raw_rows = _timed(
                        lambda s=sql: conn.execute(s).fetchall(), min(settings.warmup, 1), settings.raw_repetitions
                    )
                    plan = conn.execute(f"EXPLAIN {sql}").fetchall()
                log(f"  PostgreSQL GROUP BY on the raw tables (totals): {raw_timing['median_ms']:.0f} ms")
                raw_count = sum(int(row[2]) for row in raw_rows if row[0] == 1)
                results[case.name] = {
                    "label": case.label,
                    "period": {"kind": case.kind, "start": str(case.start), "end": str(case.end),
                               "previous_start": str(case.prev_start)},
                    "regions": case.regions,
                    "figures": fig_timing,
                    "page": page,
                    "duckdb": duck_timing,
                    "ratio_ours_to_duckdb": _ratio(fig_timing["median_ms"], duck_timing["median_ms"]),
                    "ratio_page_to_duckdb": _ratio(page.get("median_ms"), duck_timing["median_ms"]),
                    "raw_postgres_totals": {
                        **raw_timing,
                        "parallel_workers": any("Gather" in line[0] for line in plan),
                        "matches_figures": raw_count == fig.current.totals.count,
                    },
                    "reports_in_period": fig.current.totals.count,
                    "reports_in_window": fig.current.totals.count + fig.previous.totals.count,
                    "duckdb_matches_figures": not differences,
                    "differences": differences[:20],
                }  # fmt: skip
            db.close()
    finally:
        if not settings.keep:
            from django.db import connections

            connections.close_all()
            drop_database(settings.database)
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    info["duckdb_threads"] = threads
    return {
        "benchmark": "reporting",
        "quick": settings.quick,
        "machine": info,
        "settings": {
            "seed": settings.spec.seed,
            "spec": asdict(settings.spec),
            "database": settings.database,
            "kept": settings.keep,
            "warmup": settings.warmup,
            "repetitions": settings.repetitions,
            "raw_repetitions": settings.raw_repetitions,
            "django_debug": False,
        },
        "generation": generation,
        "rebuild": rebuilt,
        "data": data,
        "export": exported,
        "cases": results,
        "targets": targets(results, settings),
        "seconds_total": round(time.perf_counter() - started, 1),
    }


def targets(cases_: dict[str, Any], settings: Settings) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name, limit in (("region", settings.region_ms_target), ("national", settings.national_ms_target)):
        if name not in cases_:
            continue
        c = cases_[name]
        out.append({"target": f"{name} dashboard figures() under {limit:g} ms (median)", "case": name,
                    "measured": c["figures"]["median_ms"], "limit": limit,
                    "pass": c["figures"]["median_ms"] < limit})  # fmt: skip
        if c["page"].get("available"):
            out.append({"target": f"{name} dashboard page under {limit:g} ms (median)", "case": name,
                        "measured": c["page"]["median_ms"], "limit": limit,
                        "pass": c["page"]["median_ms"] < limit})  # fmt: skip
        ratio = c["ratio_ours_to_duckdb"]
        out.append({"target": f"{name} figures() within {settings.duckdb_ratio_target:g}x of DuckDB on the raw data",
                    "case": name, "measured": ratio, "limit": settings.duckdb_ratio_target,
                    "pass": None if ratio is None else ratio <= settings.duckdb_ratio_target})  # fmt: skip
        out.append({"target": f"{name}: DuckDB on the raw data gives the same figures", "case": name,
                    "measured": c["duckdb_matches_figures"], "limit": True,
                    "pass": c["duckdb_matches_figures"]})  # fmt: skip
    return out


# --- the table in bench/README.md ----------------------------------------------------------------------

BEGIN = "<!-- reporting-results:begin (bench/run.py writes this part) -->"
END = "<!-- reporting-results:end -->"


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def _size(n: int) -> str:
    return f"{n / 2**30:.2f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


def table(result: dict[str, Any]) -> str:
    m, s = result["machine"], result["settings"]
    gen, rb, data = result["generation"], result["rebuild"], result["data"]
    t = data["tables"]
    intro = (
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, PostgreSQL"
        f" {m['postgresql']} (shared_buffers {m['postgresql_settings']['shared_buffers']}, work_mem"
        f" {m['postgresql_settings']['work_mem']}: the server's defaults), DuckDB {m['duckdb']}"
        f" ({m['duckdb_threads']} threads), Python {m['python']}, Django {m['django']}; load average"
        f" {', '.join(map(str, m['load_average_start']))} at the start and"
        f" {', '.join(map(str, m['load_average_end']))} at the end. Seed {s['seed']},"
        f" {s['warmup']} warm-up and {s['repetitions']} repetitions, medians (p95 in brackets);"
        f" the raw PostgreSQL GROUP BY {s['raw_repetitions']} repetitions."
    )
    lines = [
        intro,
        "",
        f"Data: {t['core_municipality']['rows']} municipalities in {s['spec']['regions']} regions,"
        f" {t['people_keyperson']['rows']:,} key persons, {t['people_newcomer']['rows']:,} newcomers,"
        f" {t['deployments_request']['rows']:,} requests (one assignment each),"
        f" {t['deployments_activityreport']['rows']:,} activity reports from {data['reports_from']} to"
        f" {data['reports_until']} with {t['deployments_activityreport_roles_used']['rows']:,} roles and"
        f" {t['deployments_activityreport_life_domains']['rows']:,} life domains; database {_size(data['database_bytes'])}."
        f" Generated in {gen['seconds']:,.0f} s{' (an earlier run; reused)' if gen['reused'] else ''};"
        f" `rebuild()` {rb['seconds']:,.0f} s{' (an earlier run; its rollups kept)' if rb.get('reused') else ''}"
        f" for {sum(rb['rows'].values()):,} rollup rows"
        f" ({', '.join(f'{k} {v:,}' for k, v in rb['rows'].items())}).",
        "",
        "| query | ours (PG rollups) | DuckDB raw | ratio | page (with rendering) | raw PG GROUP BY, totals only | reports in period (window) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, c in result["cases"].items():
        page = c["page"]
        page_part = f"{_ms(page['median_ms'])} ({_ms(page['p95_ms'])})" if page.get("available") else "– (no page yet)"
        raw = c["raw_postgres_totals"]
        ratio = "–" if c["ratio_ours_to_duckdb"] is None else f"{c['ratio_ours_to_duckdb']:.2f}"
        lines.append(
            f"| {name}: {c['label']} | {_ms(c['figures']['median_ms'])} ({_ms(c['figures']['p95_ms'])})"
            f" | {_ms(c['duckdb']['median_ms'])} ({_ms(c['duckdb']['p95_ms'])}) | {ratio} | {page_part}"
            f" | {_ms(raw['median_ms'])} | {c['reports_in_period']:,} ({c['reports_in_window']:,}) |"
        )
    lines += ["", "| target | measured | result |", "| --- | --- | --- |"]
    for target in result["targets"]:
        verdict = "–" if target["pass"] is None else ("PASS" if target["pass"] else "FAIL")
        measured = target["measured"]
        if isinstance(measured, bool):
            shown = "yes" if measured else "no"
        elif measured is None:
            shown = "–"
        elif "within" in target["target"]:
            shown = f"{measured:.2f}x"
        else:
            shown = _ms(measured)
        lines.append(f"| {target['target']} | {shown} | {verdict} |")
    lines += ["", "| step | rows | seconds |", "| --- | --- | --- |"]
    for st in gen["steps"]:
        rows = "" if st["rows"] is None or st["rows"] < 0 else f"{st['rows']:,}"
        lines.append(f"| {st['step']} | {rows} | {st['seconds']:,.1f} |")
    lines.append(f"| `reporting.services.rebuild()` | {sum(rb['rows'].values()):,} | {rb['seconds']:,.1f} |")
    lines += ["", "| table | rows | size (with indexes) |", "| --- | --- | --- |"]
    for name, v in t.items():
        lines.append(f"| {name} | {v['rows']:,} | {_size(v['bytes'])} |")
    exp = result["export"]
    lines.append(
        f"| Parquet: reports, requests (flattened) | {t['deployments_activityreport']['rows']:,},"
        f" {t['deployments_request']['rows']:,} | {_size(exp['reports_parquet_bytes'])},"
        f" {_size(exp['requests_parquet_bytes'])} |"
    )
    return "\n".join(lines)


def update_readme(text: str, result: dict[str, Any]) -> str:
    block = f"{BEGIN}\n{table(result)}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + block + tail
    return text.rstrip("\n") + "\n\n" + block + "\n"


def unavailable() -> str | None:
    """Why the reporting benchmark cannot run here (None: it can)."""
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return "duckdb is not installed (pip install 'duckdb>=1.1', in the test extras)"
    reason = postgres_answers()
    return None if reason is None else f"no PostgreSQL at {PG_URL}: {reason}"


if __name__ == "__main__":  # pragma: no cover
    print("Run bench/run.py --bench reporting", file=sys.stderr)
