"""Load benchmark: the production setup under a mix of coordinators, key persons and API calls (bench/README.md).

One run, on this machine, loopback only:

* the data: bench/reporting.py's generator (`prepare`, `rebuild`) with the people counts of the
  Netherlands (342 municipalities, 5,000 key persons, 150,000 newcomers) and five years of
  requests and reports, into a database of its own (`sleutelnet_load`, kept for `--reuse`). The
  server never writes into it: every server start (each trial, and the run) gets a fresh copy
  (`CREATE DATABASE ... TEMPLATE`, `sleutelnet_load_run`, dropped after), so every run and every
  trial starts from the same state, not from what the writes of earlier ones left;
* the actors (a child process, Django on that copy): sessions in the database that passed
  both sign-in steps for coordinators and key persons, API tokens of integrations, and the ids
  they visit, in a JSON file for locust;
* gunicorn in production mode (sync workers; `-c python:sleutelnet.conf.gunicorn` when that
  file exists) serving bench/loadsite: the product's URLs plus two minimal DRF lists;
* locust headless in its own process (bench/locustfile.py), one phase at a time: a short mix
  per worker count to choose the count, then the mix (50 users, 5 minutes) and the throughput
  phases (the two minimal DRF lists and our API list, each alone with no think time, at 16 and at 50
  users) with the chosen count. Percentiles come from every request's time (locust's samples);
  the CPU of locust, gunicorn and the rest of the machine is read from /proc around each phase.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import reporting  # noqa: E402 - bench/reporting.py: the generator of the data

DATABASE = "sleutelnet_load"
#: The people of the Netherlands with five years of requests; two million reports keep the
#: generation and the rebuild of the rollups within a quarter of an hour on two cores.
LOAD_SPEC = reporting.Spec(key_persons=5_000, newcomers=150_000, reports=2_000_000)
QUICK_SPEC = reporting.Spec(regions=2, municipalities=10, key_persons=100, newcomers=1_000, reports=5_000)
BEGIN = "<!-- load-results:begin (bench/run.py writes this part) -->"
END = "<!-- load-results:end -->"
MIX = ("MixCoordinator", "MixKeyPerson", "MixApi")


@dataclass(frozen=True)
class Settings:
    quick: bool = False
    reuse: bool = False
    keep: bool = True
    database: str = DATABASE
    spec: reporting.Spec = field(default_factory=lambda: LOAD_SPEC)
    users: int = 50
    spawn_rate: float = 10.0
    seconds: int = 300
    think: tuple[float, float] = (1.0, 3.0)
    #: The same 50 users at a slower pace after the mix (about a third of its rate): where the
    #: targets hold on this machine. Informative; the targets are judged on the mix above.
    slow_think: tuple[float, float] = (3.0, 9.0)
    slow_seconds: int = 180
    #: Tried in short phases; the best runs the whole mix. 5 is production's default on two cores
    #: (sleutelnet.conf.gunicorn: 2 x cores + 1); 3 was this bench's choice while the mix saturated them.
    workers: tuple[int, ...] = (3, 5)
    trial_seconds: int = 60
    trial_baseline_seconds: int = 30
    baseline_users: tuple[int, ...] = (16, 50)
    baseline_seconds: int = 60
    coordinators: int = 20
    key_persons: int = 20
    tokens: int = 10
    read_p95_ms: float = 150.0
    write_p95_ms: float = 300.0
    p99_ms: float = 1000.0
    ratio_target: float = 0.6

    @property
    def copy(self) -> str:
        """The database the server runs on: a fresh copy of `database` for every server start."""
        return f"{self.database}_run"

    @classmethod
    def for_quick(cls) -> Settings:
        return cls(
            quick=True, keep=False, database=f"sleutelnet_load_quick_{os.getpid()}", spec=QUICK_SPEC,
            users=5, spawn_rate=5, seconds=8, think=(0.2, 0.5), slow_think=(0.4, 1.0), slow_seconds=4, workers=(2,), baseline_users=(4,),
            baseline_seconds=3, coordinators=2, key_persons=2, tokens=2,
        )  # fmt: skip


def unavailable() -> str | None:
    """Why the load benchmark cannot run here (None: it can)."""
    from importlib.util import find_spec

    for module in ("locust", "gunicorn", "psutil"):  # found, not imported: locust patches the process (gevent)
        if find_spec(module) is None:
            return f"{module} is not installed (pip install -e '.[bench]')"
    reason = reporting.postgres_answers()
    return None if reason is None else f"no PostgreSQL at {reporting.PG_URL}: {reason}"


# --- the child process: data and actors (Django on the load database) ----------------------------


def make_actors(settings: Settings) -> dict[str, Any]:
    """Signed-in sessions (both steps) for coordinators and key persons, API tokens, and what they visit."""
    from django.conf import settings as django_settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sleutelnet.accounts.middleware import SEEN_AT, SIGNED_IN_AT
    from sleutelnet.accounts.models import ApiToken, hash_key
    from sleutelnet.core.models import Membership, Municipality, Organisation, Role, User
    from sleutelnet.people.models import KeyPerson, KeyPersonRole

    backend = "django.contrib.auth.backends.ModelBackend"  # what a password sign-in records
    now = timezone.now()

    def session(user: User) -> str:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
        store[SIGNED_IN_AT] = store[SEEN_AT] = time.time()
        store.create()
        return store.session_key  # type: ignore[return-value]

    coordinators = []
    members = Membership.objects.filter(role=Role.COORDINATOR).select_related("user").order_by("region_id", "id")
    for m in list(members)[: settings.coordinators]:
        with connection.cursor() as cur:  # open requests of the region: their detail page ranks candidates
            cur.execute(
                "SELECT uuid FROM deployments_request WHERE region_id = %s AND status IN ('open', 'filled')"
                " AND starts_at > now() ORDER BY starts_at LIMIT 20",
                [m.region_id],
            )
            requests = [str(r[0]) for r in cur.fetchall()]
        coordinators.append({"user": m.user.username, "region": m.region_id, "session": session(m.user), "requests": requests})

    with connection.cursor() as cur:  # per region the key person with the most assignments to report on
        cur.execute(
            """
            SELECT DISTINCT ON (k.region_id) k.id, k.region_id, count(*) AS n
            FROM deployments_assignment a JOIN deployments_request r ON r.id = a.request_id
              JOIN people_keyperson k ON k.id = a.key_person_id
            WHERE a.status = 'accepted' AND r.starts_at < now()
            GROUP BY k.id, k.region_id ORDER BY k.region_id, n DESC, k.id
            """
        )
        chosen = cur.fetchall()
    if len(chosen) < settings.key_persons:  # small data: any key persons of the regions
        extra = KeyPerson.objects.exclude(id__in=[c[0] for c in chosen]).order_by("id")
        chosen += [(kp.id, kp.region_id, 0) for kp in extra[: settings.key_persons - len(chosen)]]
    key_persons = []
    for kp_id, region_id, n in chosen[: settings.key_persons]:
        kp = KeyPerson.objects.get(id=kp_id)
        user = kp.user
        if user is None:
            user, _ = User.objects.get_or_create(
                username=f"bench-kp-{kp.id}", defaults={"email": f"bench-kp-{kp.id}@bench.invalid", "first_name": kp.full_name[:150]}
            )
            kp.user = user
            kp.save(update_fields=["user"])
        Membership.objects.get_or_create(user=user, region_id=region_id, role=Role.KEY_PERSON)
        key_persons.append({"user": user.username, "region": region_id, "session": session(user), "to_report": n})

    roles = list(KeyPersonRole.objects.order_by("position", "id").values_list("code", flat=True))
    tokens = []
    regions = sorted({m.region_id for m in members})
    for i in range(settings.tokens):
        region = regions[i % len(regions)]
        requester = i % 2 == 0
        if requester:
            org = Organisation.objects.filter(region_id=region, memberships__role=Role.REQUESTER).order_by("id").first()
            user = Membership.objects.filter(organisation=org, role=Role.REQUESTER).order_by("id").first().user  # type: ignore[union-attr]
        else:
            org = Organisation.objects.filter(region_id=region).order_by("id").first()
            user = Membership.objects.filter(region_id=region, role=Role.COORDINATOR).order_by("id").first().user  # type: ignore[union-attr]
        key = "sn_" + secrets.token_urlsafe(32)
        ApiToken.objects.create(
            name=f"bench load {i}", organisation=org, user=user, key_hash=hash_key(key), prefix=key[:10],
            scopes=["requests:read", "requests:write", "reach:read"], expires_at=now + dt.timedelta(days=1),
        )  # fmt: skip
        municipality = Municipality.objects.filter(region_id=region).order_by("id").first()
        tokens.append({
            "role": "requester" if requester else "coordinator", "user": user.username, "region": region, "organisation_id": org.id,
            "key": key, "municipality": municipality.cbs_code if municipality else "", "roles": roles,
        })  # fmt: skip
    return {
        # this process runs in development mode; the server in production mode, with its cookie names
        "session_cookie": getattr(django_settings, "SECURE_COOKIES", {}).get("SESSION_COOKIE_NAME", django_settings.SESSION_COOKIE_NAME),
        "coordinators": coordinators,
        "key_persons": key_persons,
        "tokens": tokens,
    }


def child_prepare(settings: Settings, log: Callable[[str], None]) -> dict[str, Any]:
    """In the child process: the data (generated or reused), the rollups and the sizes, in the
    template database; vacuumed and analysed, so every copy starts with its statistics."""
    generation = reporting.prepare(replace_reporting(settings), log)
    with reporting._connect(settings.database) as conn:
        meta = reporting._meta(conn.cursor())
    if generation["reused"] and meta.get("rebuild"):
        rebuilt = {**meta["rebuild"], "reused": True}
    else:
        rebuilt = {**reporting.rebuild(settings.database, log), "reused": False}
        with reporting._connect(settings.database) as conn:
            reporting._set_meta(conn.cursor(), rebuild=rebuilt)
    if not (generation["reused"] and meta.get("vacuumed")):
        log(f"VACUUM (ANALYZE) {settings.database}, once: the copies inherit its visibility map and statistics")
        with reporting._connect(settings.database) as conn:
            started = time.perf_counter()
            conn.execute("VACUUM (ANALYZE)")
            reporting._set_meta(conn.cursor(), vacuumed=round(time.perf_counter() - started, 1))
    return {"generation": generation, "rebuild": rebuilt, "data": reporting.sizes(settings.database)}


def child_actors(settings: Settings, database: str, actors_file: Path) -> None:
    """In a child process on a fresh copy: the actors, written into the copy, listed for locust."""
    reporting.setup_django(database)
    actors_file.write_text(json.dumps(make_actors(settings), indent=1), encoding="utf-8")


def fresh_copy(template: str, copy: str) -> float:
    """The copy the server runs on, made anew from the template; the seconds it took.

    FILE_COPY copies the template's files (with its vacuum and statistics) instead of writing
    every row through the WAL as PostgreSQL 15's default strategy does: seconds, not minutes, for
    a database of several GB. The template must have no connections; the child that prepared it
    has ended."""
    from psycopg import sql

    started = time.perf_counter()
    with reporting._connect("postgres") as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(sql.Identifier(copy), sql.Identifier(template))
        )
    return round(time.perf_counter() - started, 1)


def replace_reporting(settings: Settings) -> reporting.Settings:
    return reporting.Settings(
        quick=settings.quick, reuse=settings.reuse, keep=settings.keep, database=settings.database, spec=settings.spec
    )


# --- the server -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(settings: Settings, secret_key: str, log_key: str, data_dir: Path) -> dict[str, str]:
    """Production mode, as deploy/ runs it, on the load database; the bench's URLconf beside the product's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    python_path = [str(HERE), str(ROOT / "src")] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])
    env.update(
        SLEUTELNET_MODE="production", DEBUG="0", SECRET_KEY=secret_key, PROCESSING_LOG_KEY=log_key,
        ALLOWED_HOSTS="127.0.0.1", DATABASE_URL=f"{reporting.PG_URL}/{settings.copy}",
        DATABASE_CONN_MAX_AGE="60", DJANGO_SETTINGS_MODULE="loadsite.settings", PYTHONPATH=os.pathsep.join(python_path),
        SLEUTELNET_DATA_DIR=str(data_dir), LOG_LEVEL="WARNING",
        # No retention job in the measured phases: the generated five years pass their periods all
        # at once, and the first run (a million requests, in steps of RETENTION_BATCH) would take
        # the worker about two hours; docs/privacy.md, section 5.
        RETENTION_HOUR="24",
    )  # fmt: skip
    return env


GUNICORN_CONFIG = ROOT / "src" / "sleutelnet" / "conf" / "gunicorn.py"


def start_server(env: dict[str, str], workers: int, port: int, log_file: Path) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).with_name("gunicorn"))]
    if GUNICORN_CONFIG.exists():
        command += ["-c", "python:sleutelnet.conf.gunicorn"]
    command += ["--workers", str(workers), "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
                "--timeout", "60", "sleutelnet.conf.wsgi:application"]  # fmt: skip
    handle = log_file.open("ab")
    server = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=str(ROOT))
    # The worker of the process file (deploy/Procfile) beside it: mail, tasks and the figures the
    # writes queue (REPORTING_REFRESH=deferred in production). Its CPU is part of the run.
    worker_log = log_file.with_name(log_file.stem + "_worker.log").open("ab")
    server.worker = subprocess.Popen(  # type: ignore[attr-defined]
        [str(Path(sys.executable).with_name("sleutelnet")), "run_worker"], env=env, stdout=worker_log,
        stderr=subprocess.STDOUT, cwd=str(ROOT),
    )  # fmt: skip
    deadline = time.time() + 60
    url = f"http://127.0.0.1:{port}/bench/minimal/"
    while time.time() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode}): {log_file.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(  # noqa: S310 - our own loopback server
                urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"}), timeout=5
            ) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        stop_server(server)
        raise RuntimeError(f"gunicorn did not answer in 60 s: {log_file.read_text(errors='replace')[-2000:]}")
    return server


def stop_server(server: subprocess.Popen[bytes]) -> None:
    for process in (server, getattr(server, "worker", None)):
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- CPU --------------------------------------------------------------------------------------------


def _proc_stat() -> tuple[float, float]:
    """(busy, total) jiffies of all cores."""
    with open("/proc/stat", encoding="ascii") as handle:
        values = [float(x) for x in handle.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its children, live and ended (gunicorn: the master and its workers)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
            if p is root:  # workers that ended (max_requests) and were reaped by the master
                total += t.children_user + t.children_system
        except psutil.NoSuchProcess:
            pass
    return total


#: A PostgreSQL client backend's process title names its client: "postgres: 15/main: user db 127.0.0.1(5678) idle".
_CLIENT_TITLE = re.compile(r"\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]|::1\(\d+\)")


def _postgres_cpu() -> dict[str, Any]:
    """CPU seconds of the PostgreSQL server on this machine: all of it ("total", with the backends
    that ended, through the postmaster, which reaps them: a backend ends when Django drops a
    connection after CONN_MAX_AGE), and per process id its background processes ("background":
    checkpointer, WAL writer, background writer, autovacuum, parallel workers, ...). Empty when no
    server runs here or it cannot be read."""
    import psutil

    total = 0.0
    background: dict[int, float] = {}
    found = False
    for proc in psutil.process_iter(["name", "cmdline"]):
        try:
            if proc.info["name"] != "postgres":
                continue
            times = proc.cpu_times()
            parent = proc.parent()
            if parent is None or parent.name() != "postgres":  # the postmaster
                found = True
                total += times.user + times.system + times.children_user + times.children_system
                continue
            total += times.user + times.system
            if not _CLIENT_TITLE.search(" ".join(proc.info["cmdline"] or [])):
                background[proc.pid] = times.user + times.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return {"total": total, "background": background} if found else {}


def _postgres_shares(before: dict[str, Any], after: dict[str, Any], wall: float, cores: int) -> dict[str, float]:
    """PostgreSQL's share of both cores over a phase, and its client backends' part of it: the total
    less the background processes' CPU in the phase (each process from its CPU at the start, or from
    zero when it started later). A background process that ended during the phase counts with the
    backends: it can only make their part larger, never larger than the total."""
    if not before or not after:
        return {}
    spent = after["total"] - before["total"]
    background = sum(cpu - before["background"].get(pid, 0.0) for pid, cpu in after["background"].items())
    return {
        "postgres_share": round(spent / (wall * cores), 3),
        # the client backends: the queries of gunicorn, the worker and the bench's own checks
        "postgres_backends_share": round(max(spent - background, 0.0) / (wall * cores), 3),
    }


# --- a phase ----------------------------------------------------------------------------------------


def _percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return round(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo), 1)


def summarise(samples: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    def figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
        ms = [r["ms"] for r in rows]
        return {
            "requests": len(rows), "errors": sum(1 for r in rows if not r["ok"]),
            "rps": round(len(rows) / seconds, 1) if seconds else None,
            "p50_ms": _percentile(ms, 0.50), "p95_ms": _percentile(ms, 0.95), "p99_ms": _percentile(ms, 0.99),
            "max_ms": round(max(ms), 1) if ms else None,
        }  # fmt: skip

    kinds = {kind: figures([r for r in samples if r["name"].startswith(kind + ":")]) for kind in ("read", "write")}
    endpoints = {name: figures([r for r in samples if r["name"] == name]) for name in sorted({r["name"] for r in samples})}
    return {"all": figures(samples), "kinds": kinds, "endpoints": endpoints}


def drain(url: str, limit: float = 90.0) -> float:
    """Wait until the server has worked off what an earlier phase left queued (requests whose
    client was stopped still run in the sync workers): the minimal list answers fast twice."""
    started = time.perf_counter()
    fast = 0
    while fast < 2 and time.perf_counter() - started < limit:
        t0 = time.perf_counter()
        try:
            probe = urllib.request.Request(f"{url}/bench/minimal/", headers={"X-Forwarded-Proto": "https"})  # noqa: S310 - loopback
            with urllib.request.urlopen(probe, timeout=limit):  # noqa: S310 - our own loopback server
                pass
        except OSError:
            time.sleep(0.5)
        fast = fast + 1 if time.perf_counter() - t0 < 0.2 else 0
    return round(time.perf_counter() - started, 1)


def figures_drain(database: str, limit: float = 900.0) -> tuple[int, float]:
    """Wait until the worker has recomputed the figures the writes of an earlier phase queued
    (REPORTING_REFRESH=deferred): the queued municipality-months at the start, and the seconds."""
    started = time.perf_counter()
    backlog = -1
    with reporting._connect(database) as conn:
        cur = conn.cursor()
        while time.perf_counter() - started < limit:
            try:
                cur.execute("SELECT count(DISTINCT (municipality_id, month)) FROM reporting_pendingrefresh")
                left = int(cur.fetchone()[0])
            except Exception:  # noqa: BLE001 - an older schema without the queue: nothing to wait for
                conn.rollback()
                return 0, 0.0
            backlog = left if backlog < 0 else backlog
            if left == 0:
                break
            time.sleep(1.0)
    return max(backlog, 0), round(time.perf_counter() - started, 1)


def vacuum(database: str) -> dict[str, Any]:
    """What autovacuum does in production, done before a phase when the server has it off.

    This machine's PostgreSQL runs with `autovacuum = off` (its CI configuration). Without it the
    dead rows of earlier phases and runs pile up: the worker rewrites rollup rows for every
    municipality-month the writes queue, and after three runs the region rollups had 166,000 dead
    rows beside 263,000 live ones, which every figures page then reads past. With autovacuum on
    (PostgreSQL's default, and production's) those tables are vacuumed about once a run.
    """
    with reporting._connect(database) as conn:
        setting = str(conn.execute("SHOW autovacuum").fetchone()[0])
        if setting == "on":
            return {"autovacuum": "on", "vacuumed_seconds": None}
        started = time.perf_counter()
        conn.execute("VACUUM (ANALYZE)")
        return {"autovacuum": setting, "vacuumed_seconds": round(time.perf_counter() - started, 1)}


def run_phase(
    label: str, classes: Sequence[str], users: int, seconds: int, settings: Settings, url: str, actors: Path,
    folder: Path, server: subprocess.Popen[bytes], log: Callable[[str], None], think: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """One locust run in its own process; its samples, percentiles and the CPU shares."""
    samples_file = folder / f"{label}.jsonl"
    pace = think or settings.think
    env = {**os.environ, "LOAD_ACTORS": str(actors), "LOAD_SAMPLES": str(samples_file),
           "LOAD_THINK": f"{pace[0]},{pace[1]}"}  # fmt: skip
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(users),
        "-r", str(min(settings.spawn_rate, users) if "Mix" in classes[0] else users), "-t", f"{seconds}s",
        "-H", url, "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING", "--exit-code-on-error", "0",
        "--csv", str(folder / label), *classes,
    ]  # fmt: skip
    backlog, figures_wait = figures_drain(settings.copy)
    vacuumed = vacuum(settings.copy)
    drained = drain(url)
    busy0, total0 = _proc_stat()
    server0 = _tree_cpu(server.pid)
    worker = getattr(server, "worker", None)
    worker0 = _tree_cpu(worker.pid) if worker is not None else 0.0
    pg0 = _postgres_cpu()
    started = time.perf_counter()
    with open(folder / f"{label}.log", "wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=str(ROOT))
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    busy1, total1 = _proc_stat()
    server1 = _tree_cpu(server.pid)
    worker1 = _tree_cpu(worker.pid) if worker is not None else 0.0
    pg1 = _postgres_cpu()
    cores = os.cpu_count() or 1
    postgres = _postgres_shares(pg0, pg1, wall, cores)
    if not samples_file.exists():
        raise RuntimeError(f"locust wrote no samples ({label}): {(folder / f'{label}.log').read_text(errors='replace')[-2000:]}")
    samples = [json.loads(line) for line in samples_file.read_text(encoding="utf-8").splitlines() if line]
    first = min((s["t"] for s in samples), default=0.0)
    last = max((s["t"] + s["ms"] / 1000 for s in samples), default=0.0)
    span = max(last - first, 1e-9)
    locust_cpu = usage.ru_utime + usage.ru_stime
    errors = sorted({s["name"] for s in samples if not s["ok"]})
    out = {
        "classes": list(classes), "users": users, "seconds": seconds, "wall_seconds": round(wall, 1),
        "drained_before_seconds": drained,
        # the figures the previous phase's writes queued, and how long the worker took to finish them
        "figures_backlog_before": backlog, "figures_drained_before_seconds": figures_wait,
        # the server's autovacuum setting, and the seconds the bench vacuumed for when it is off
        "autovacuum": vacuumed["autovacuum"], "vacuumed_before_seconds": vacuumed["vacuumed_seconds"],
        "measured_seconds": round(span, 1), **summarise(samples, span),
        "cpu": {
            "cores": cores,
            "locust_share": round(locust_cpu / (wall * cores), 3),
            "locust_core": round(locust_cpu / wall, 3),  # of one core: locust uses one
            "server_share": round((server1 - server0) / (wall * cores), 3),
            "worker_share": round((worker1 - worker0) / (wall * cores), 3),  # run_worker: the deferred figures
            **postgres,
            "machine_busy_share": round((busy1 - busy0) / max(total1 - total0, 1), 3),  # all cores, every process
        },
        "failing_endpoints": errors,
    }  # fmt: skip
    if errors:
        failures = folder / f"{label}_failures.csv"
        out["failures"] = failures.read_text(encoding="utf-8")[:2000] if failures.exists() else ""
    a = out["all"]
    log(
        f"  {label}: {a['requests']:,} requests, {a['rps']} rps, p50/p95/p99 {a['p50_ms']}/{a['p95_ms']}/{a['p99_ms']} ms,"
        f" {a['errors']} errors; CPU locust {out['cpu']['locust_share']:.0%}, gunicorn {out['cpu']['server_share']:.0%},"
        f" PostgreSQL {_pg(out['cpu'])}, machine {out['cpu']['machine_busy_share']:.0%}"
    )
    return out


def baselines(users: Sequence[int], seconds: int, prefix: str, run: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n in users:
        minimal = run(f"{prefix}minimal_u{n}", ("MinimalDrf",), n, seconds)
        same_table = run(f"{prefix}minimal_requests_u{n}", ("MinimalDrfRequests",), n, seconds)
        ours = run(f"{prefix}ours_u{n}", ("OurApiList",), n, seconds)
        out[str(n)] = {
            "minimal": minimal, "minimal_requests": same_table, "ours": ours,
            "ratio": round(ours["all"]["rps"] / minimal["all"]["rps"], 3) if minimal["all"]["rps"] else None,
            "ratio_same_table": round(ours["all"]["rps"] / same_table["all"]["rps"], 3) if same_table["all"]["rps"] else None,
        }  # fmt: skip
    return out


def machine() -> dict[str, Any]:
    with reporting._connect("postgres") as conn:
        info = reporting.machine(conn.cursor())
    for name in ("gunicorn", "locust", "djangorestframework"):
        try:
            info[name] = version(name)
        except PackageNotFoundError:
            info[name] = None
    info.pop("duckdb", None)
    return info


def run(settings: Settings, log: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    started = time.perf_counter()
    info = machine()
    secret_key = secrets.token_urlsafe(64)
    log_key = secrets.token_urlsafe(40)
    folder = Path(tempfile.mkdtemp(prefix="sleutelnet-load-"))
    actors = folder / "actors.json"
    env = server_env(settings, secret_key, log_key, folder / "var")
    try:
        child_env = {**env, "SLEUTELNET_MODE": "development", "DJANGO_SETTINGS_MODULE": "sleutelnet.conf.settings"}
        log(f"the data in {settings.database} (child process)")
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "prepare", json.dumps(_settings_json(settings))],
            env=child_env, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=None if not settings.quick else subprocess.PIPE,
            text=True, check=False,
        )  # fmt: skip
        if child.returncode != 0:
            raise RuntimeError(f"preparing the data failed: {(child.stderr or '')[-3000:]}")
        prepared = json.loads(child.stdout.strip().splitlines()[-1])
        log("collectstatic (production mode serves the hashed names of the manifest)")
        (folder / "var").mkdir(exist_ok=True)
        subprocess.run(
            [str(Path(sys.executable).with_name("sleutelnet")), "collectstatic", "--noinput", "-v0"],
            env=env, cwd=str(ROOT), check=True,
        )
        # A production install (pip install, docs/deploy.md) has the package byte-compiled; this
        # machine sets PYTHONDONTWRITEBYTECODE, so every new worker would compile the sources again.
        log("byte-compile the sources, as a production install has them")
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "src"), str(HERE / "loadsite")],
            env={k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}, cwd=str(ROOT),
            stdout=subprocess.DEVNULL, check=True,
        )  # fmt: skip
        url_port = _free_port()
        url = f"http://127.0.0.1:{url_port}"
        copies: list[dict[str, Any]] = []

        def serve(workers: int, log_file: Path) -> subprocess.Popen[bytes]:
            """gunicorn and the worker on a fresh copy of the data, with actors of their own."""
            seconds = fresh_copy(settings.database, settings.copy)
            log(f"fresh copy {settings.copy} of {settings.database} in {seconds} s; actors (child process)")
            made = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "actors", json.dumps(_settings_json(settings)), settings.copy, str(actors)],
                env=child_env, cwd=str(ROOT), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False,
            )  # fmt: skip
            if made.returncode != 0:
                raise RuntimeError(f"making the actors failed: {made.stderr[-3000:]}")
            copies.append({"workers": workers, "copy_seconds": seconds})
            return start_server(env, workers, url_port, log_file)

        def phases(server: subprocess.Popen[bytes]) -> Callable[..., dict[str, Any]]:
            def one(label: str, classes: Sequence[str], users: int, seconds: int, think: tuple[float, float] | None = None) -> dict[str, Any]:
                return run_phase(label, classes, users, seconds, settings, url, actors, folder, server, log, think)

            return one

        trials: dict[str, Any] = {}
        if len(settings.workers) > 1:
            for w in settings.workers:
                log(f"trial: gunicorn with {w} sync workers")
                server = serve(w, folder / f"gunicorn_{w}.log")
                try:
                    one = phases(server)
                    trials[str(w)] = {
                        "mix": one(f"trial{w}_mix", MIX, settings.users, settings.trial_seconds),
                        "baseline": baselines((settings.users,), settings.trial_baseline_seconds, f"trial{w}_", one),
                    }
                finally:
                    stop_server(server)
            chosen = min(settings.workers, key=lambda w: (trials[str(w)]["mix"]["all"]["p95_ms"] or 1e9))
        else:
            chosen = settings.workers[0]
        log(f"the run: gunicorn with {chosen} sync workers, {settings.users} users for {settings.seconds} s")
        server = serve(chosen, folder / "gunicorn.log")
        try:
            one = phases(server)
            mix = one("mix", MIX, settings.users, settings.seconds)
            slow = one("mix_slow", MIX, settings.users, settings.slow_seconds, settings.slow_think)
            base = baselines(settings.baseline_users, settings.baseline_seconds, "", one)
        finally:
            stop_server(server)
        server_log = (folder / "gunicorn.log").read_text(errors="replace")
    finally:
        reporting.drop_database(settings.copy)  # what the run wrote goes with it
        if not settings.keep:
            reporting.drop_database(settings.database)
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    result = {
        "benchmark": "load",
        "quick": settings.quick,
        "machine": info,
        "settings": {
            **{k: v for k, v in _settings_json(settings).items() if k != "spec"},
            "spec": asdict(settings.spec),
            "server": {
                "gunicorn_config": "python:sleutelnet.conf.gunicorn" if GUNICORN_CONFIG.exists() else None,
                "worker_class": "sync", "workers_tried": list(settings.workers), "workers": chosen,
                "mode": "production", "debug": False, "conn_max_age": 60, "urlconf": "bench/loadsite/urls.py",
            },
            "actors": {"coordinators": settings.coordinators, "key_persons": settings.key_persons, "tokens": settings.tokens},
        },  # fmt: skip
        **prepared,
        # every server start ran on a fresh copy of the prepared data: how long each copy took
        "copies": copies,
        "trials": trials,
        "mix": mix,
        "mix_slow": slow,
        "baselines": base,
        "server_errors_logged": server_log.count("Traceback"),
        "seconds_total": round(time.perf_counter() - started, 1),
    }
    result["targets"] = targets(result, settings)
    shutil.rmtree(folder, ignore_errors=True)
    return result


def _settings_json(settings: Settings) -> dict[str, Any]:
    out = asdict(settings)
    out["think"] = list(settings.think)
    out["slow_think"] = list(settings.slow_think)
    out["workers"] = list(settings.workers)
    out["baseline_users"] = list(settings.baseline_users)
    return out


def _settings_from_json(data: dict[str, Any]) -> Settings:
    data = dict(data)
    data["spec"] = reporting.Spec(**data["spec"])
    for name in ("think", "slow_think", "workers", "baseline_users"):
        if name in data:
            data[name] = tuple(data[name])
    return Settings(**data)


def targets(result: dict[str, Any], settings: Settings) -> list[dict[str, Any]]:
    mix = result["mix"]
    reads, writes = mix["kinds"]["read"], mix["kinds"]["write"]
    errors = mix["all"]["errors"] + sum(b[p]["all"]["errors"] for b in result["baselines"].values() for p in ("minimal", "minimal_requests", "ours") if p in b)
    out = [
        {"target": "no error (every phase of the run)", "measured": errors, "pass": errors == 0},
        {"target": f"reads p95 under {settings.read_p95_ms:.0f} ms", "measured": reads["p95_ms"],
         "pass": reads["p95_ms"] is not None and reads["p95_ms"] < settings.read_p95_ms},
        {"target": f"writes p95 under {settings.write_p95_ms:.0f} ms", "measured": writes["p95_ms"],
         "pass": writes["p95_ms"] is not None and writes["p95_ms"] < settings.write_p95_ms},
        {"target": f"p99 under {settings.p99_ms:.0f} ms (all requests of the mix)", "measured": mix["all"]["p99_ms"],
         "pass": mix["all"]["p99_ms"] is not None and mix["all"]["p99_ms"] < settings.p99_ms},
    ]  # fmt: skip
    for users, b in result["baselines"].items():
        out.append({
            "target": f"our API list >= {settings.ratio_target}x the minimal DRF list's throughput ({users} users)",
            "measured": b["ratio"], "pass": b["ratio"] is not None and b["ratio"] >= settings.ratio_target,
        })  # fmt: skip
        if b.get("ratio_same_table") is not None:
            out.append({
                "target": f"our API list >= {settings.ratio_target}x the minimal DRF list of the same table ({users} users)",
                "measured": b["ratio_same_table"], "pass": b["ratio_same_table"] >= settings.ratio_target,
            })  # fmt: skip
    return out


# --- the table --------------------------------------------------------------------------------------


def _ms(v: float | None) -> str:
    return "-" if v is None else f"{v:,.0f}" if v >= 10 else f"{v:.1f}"


def table(result: dict[str, Any]) -> str:
    m, s, mix = result["machine"], result["settings"], result["mix"]
    t = result["data"]["tables"]
    gen, rb = result["generation"], result["rebuild"]
    lines = [
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, PostgreSQL {m['postgresql'].split(' ')[0]}"
        f" (server defaults), Python {m['python']}, Django {m['django']}, DRF {m['djangorestframework']}, gunicorn {m['gunicorn']},"
        f" locust {m['locust']}; load average {', '.join(map(str, m['load_average_start']))} at the start and"
        f" {', '.join(map(str, m['load_average_end']))} at the end.",
        "",
        f"Data (`{s['database']}`): {t['core_municipality']['rows']:,} municipalities in {s['spec']['regions']} regions,"
        f" {t['people_keyperson']['rows']:,} key persons, {t['people_newcomer']['rows']:,} newcomers,"
        f" {t['deployments_request']['rows']:,} requests, {t['deployments_assignment']['rows']:,} assignments,"
        f" {t['deployments_activityreport']['rows']:,} activity reports ({result['data']['reports_from']} to"
        f" {result['data']['reports_until']}), {t['reporting_rollup']['rows']:,} rollup rows;"
        f" database {result['data']['database_bytes'] / 2**30:.2f} GiB. Generated in {gen['seconds']:,.0f} s"
        f"{' (an earlier run; reused)' if gen.get('reused') else ''}, `rebuild()` {rb['seconds']:,.0f} s"
        f"{' (an earlier run)' if rb.get('reused') else ''}."
        + (
            f" Every server start ran on a fresh copy (`{s['database']}_run`, `CREATE DATABASE ... TEMPLATE`), made in"
            f" {', '.join(str(c['copy_seconds']) for c in result['copies'])} s, so no run or trial saw what an earlier one wrote."
            if result.get("copies") else ""
        ),
        "",
        f"Server: gunicorn, {s['server']['workers']} sync workers (tried {', '.join(map(str, s['server']['workers_tried']))};"
        f" config {s['server']['gunicorn_config'] or 'none: flags only'}) and `run_worker` beside it, production mode"
        " (`REPORTING_REFRESH=deferred`), DEBUG off,"
        f" CONN_MAX_AGE 60, bench/loadsite (the product's URLs plus the minimal lists `/bench/minimal/` and `/bench/minimal-requests/`). Load: locust headless in its own"
        f" process on loopback, {s['users']} users (closed model, think time {s['think'][0]:g}-{s['think'][1]:g} s),"
        f" {s['seconds']} s; {s['actors']['coordinators']} coordinators, {s['actors']['key_persons']} key persons and"
        f" {s['actors']['tokens']} API tokens signed in beforehand (both steps).",
        "",
        f"**Mix**: {mix['all']['requests']:,} requests in {mix['measured_seconds']:.0f} s, {mix['all']['rps']} rps,"
        f" {mix['all']['errors']} errors. CPU over the phase (share of both cores): locust {mix['cpu']['locust_share']:.0%},"
        f" gunicorn {mix['cpu']['server_share']:.0%}, the worker {mix['cpu'].get('worker_share', 0):.0%} (the figures the"
        f" writes queued), PostgreSQL {_pg(mix['cpu'])}, the whole machine {mix['cpu']['machine_busy_share']:.0%}"
        " (the rest: the system and other processes).",
        "",
        "| kind / endpoint | requests | errors | rps | p50 | p95 | p99 | max |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    rows = [("**reads**", mix["kinds"]["read"]), ("**writes**", mix["kinds"]["write"]), ("**all**", mix["all"])]
    rows += [(name, v) for name, v in mix["endpoints"].items()]
    for name, v in rows:
        lines.append(
            f"| {name} | {v['requests']:,} | {v['errors']} | {v['rps']} | {_ms(v['p50_ms'])} ms | {_ms(v['p95_ms'])} ms |"
            f" {_ms(v['p99_ms'])} ms | {_ms(v['max_ms'])} ms |"
        )
    slow = result.get("mix_slow")
    if slow:
        think = s.get("slow_think", [3, 9])
        lines += ["", (
            f"**The same mix at a slower pace** (informative: where the targets hold on this machine): the same"
            f" {s['users']} users with think time {think[0]:g}-{think[1]:g} s for {slow['measured_seconds']:.0f} s,"
            f" {slow['all']['requests']:,} requests, {slow['all']['rps']} rps, {slow['all']['errors']} errors; CPU: gunicorn"
            f" {slow['cpu']['server_share']:.0%}, the worker {slow['cpu'].get('worker_share', 0):.0%}, PostgreSQL"
            f" {_pg(slow['cpu'])}, the whole machine {slow['cpu']['machine_busy_share']:.0%}."
        ), "", "| kind | requests | errors | rps | p50 | p95 | p99 | max |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for name, v in [("reads", slow["kinds"]["read"]), ("writes", slow["kinds"]["write"]), ("all", slow["all"])]:
            lines.append(
                f"| {name} | {v['requests']:,} | {v['errors']} | {v['rps']} | {_ms(v['p50_ms'])} ms | {_ms(v['p95_ms'])} ms |"
                f" {_ms(v['p99_ms'])} ms | {_ms(v['max_ms'])} ms |"
            )
    after_mix = (slow or {}) if slow else next(iter(result["baselines"].values()), {}).get("minimal", {})
    if "figures_backlog_before" in after_mix:
        lines += ["", (
            f"**Figures** (`REPORTING_REFRESH=deferred`): when the mix ended, the worker had {after_mix['figures_backlog_before']:,}"
            f" municipality-months queued; it had recomputed them {after_mix['figures_drained_before_seconds']:g} s later"
            " (each phase waits for an empty queue before it starts)."
        )]
    mix_phase = result.get("mix") or {}
    if mix_phase.get("autovacuum") not in (None, "on"):
        lines += ["", (
            "**Vacuum**: this server runs with `autovacuum = off`, so before each phase the bench ran `VACUUM (ANALYZE)`"
            f" on the load database, as autovacuum would have in production ({mix_phase['vacuumed_before_seconds']:g} s"
            " before the mix)."
        )]
    lines += [
        "",
        "**Throughput** (each endpoint alone, no think time, "
        f"{s['baseline_seconds']} s per phase, the same server in the same run; the load tool shares the two cores,"
        " so compare the ratio, not the absolute rps):",
        "",
        "| users | minimal DRF list (3 columns of municipalities): rps, p95 (locust CPU) | minimal DRF list of the same"
        " requests (every column): rps, p95 | our API list `/api/v1/requests`: rps, p95 (locust CPU) | ratio to the first"
        " / to the same table |",
        "| --- | --- | --- | --- | --- |",
    ]
    for users, b in result["baselines"].items():
        mi, ou, st = b["minimal"], b["ours"], b.get("minimal_requests")
        same = f"{st['all']['rps']} rps, {_ms(st['all']['p95_ms'])} ms" if st else "-"
        lines.append(
            f"| {users} | {mi['all']['rps']} rps, {_ms(mi['all']['p95_ms'])} ms ({mi['cpu']['locust_core']:.0%} of a core) | {same}"
            f" | {ou['all']['rps']} rps, {_ms(ou['all']['p95_ms'])} ms ({ou['cpu']['locust_core']:.0%} of a core)"
            f" | {b['ratio']} / {b.get('ratio_same_table', '-')} |"
        )
    if result["trials"]:
        lines += ["", "**Workers** (short trial phases before the run, the same mix and load; the lower p95 of the mix wins):", "",
                  "| sync workers | mix: rps, p50 / p95 / p99, errors | minimal / ours at "
                  f"{s['users']} users: rps, ratio |", "| --- | --- | --- |"]  # fmt: skip
        for w, tr in result["trials"].items():
            a = tr["mix"]["all"]
            b = next(iter(tr["baseline"].values()))
            lines.append(
                f"| {w} | {a['rps']} rps, {_ms(a['p50_ms'])} / {_ms(a['p95_ms'])} / {_ms(a['p99_ms'])} ms, {a['errors']} |"
                f" {b['minimal']['all']['rps']} / {b['ours']['all']['rps']} rps, {b['ratio']} |"
            )
    lines += ["", "| target | measured | result |", "| --- | --- | --- |"]
    for target in result["targets"]:
        lines.append(f"| {target['target']} | {target['measured']} | {'PASS' if target['pass'] else 'FAIL'} |")
    return "\n".join(lines)


def _pg(cpu: dict[str, Any]) -> str:
    """PostgreSQL's share of a phase's CPU, and its client backends' part of it."""
    if "postgres_share" not in cpu:
        return "not measured (no server on this machine)"
    return f"{cpu['postgres_share']:.0%} (its client backends {cpu['postgres_backends_share']:.0%})"


def update_readme(text: str, result: dict[str, Any]) -> str:
    block = f"{BEGIN}\n{table(result)}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + block + tail
    return text.rstrip("\n") + "\n\n" + block + "\n"


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "prepare":
        def _log(message: str) -> None:
            print(f"[{time.strftime('%H:%M:%S', time.gmtime())}Z]   {message}", file=sys.stderr, flush=True)

        done = child_prepare(_settings_from_json(json.loads(sys.argv[2])), _log)
        print(json.dumps(done, default=str))
    elif len(sys.argv) == 5 and sys.argv[1] == "actors":
        child_actors(_settings_from_json(json.loads(sys.argv[2])), sys.argv[3], Path(sys.argv[4]))
    else:
        print("Run bench/run.py --bench load", file=sys.stderr)
        raise SystemExit(2)
