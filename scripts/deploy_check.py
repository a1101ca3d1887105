"""Start Sleutelnet on this machine the way production does, check that it answers, stop it.

    .venv/bin/python scripts/deploy_check.py [--server postgres://postgres@127.0.0.1:5432] [--json]

On a fresh PostgreSQL database (`sleutelnet_deploycheck`, dropped afterwards) and in production
mode (random SECRET_KEY and PROCESSING_LOG_KEY, ALLOWED_HOSTS=127.0.0.1, TLS as a proxy reports it
with X-Forwarded-Proto), it runs the `release`, `web` and `worker` commands of deploy/Procfile
(read from that file, so the check and the deployment cannot drift apart): migrate and collectstatic,
then gunicorn with sleutelnet.conf.gunicorn and 3 workers, and the background worker. It waits for
/healthz, fetches a static file (hashed name, compressed, cached for a year), the login page, a
secret-looking calendar path, checks that every log line of the web server is JSON and that the
secret never reached a log, stops both with SIGTERM and reports. Exit status 0 when all passed,
1 when a check failed, 3 when PostgreSQL does not answer. tests/core/test_deploy.py runs it.
"""

from __future__ import annotations

import argparse
import http.client
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROCFILE = ROOT / "deploy" / "Procfile"
DATABASE = os.environ.get("DEPLOY_CHECK_DATABASE", "sleutelnet_deploycheck")
#: The Redis of the check: the web processes and the RQ worker share it (TASK_BACKEND=rq).
REDIS = os.environ.get("DEPLOY_CHECK_REDIS", "redis://127.0.0.1:6379/0")
WORKERS = 3
#: How long the web server may take to answer /healthz with 200 after it was started.
START_TIMEOUT = 30.0
#: How long the processes may take to stop after SIGTERM (gunicorn's graceful timeout is 30 s;
#: idle workers stop at once).
STOP_TIMEOUT = 20.0
LOG_KEYS = {"time", "level", "logger", "message"}


def read_procfile(path: Path = PROCFILE) -> dict[str, str]:
    """The process types of a Procfile: {name: command}."""
    processes: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, command = line.partition(":")
        if not sep or not name.strip().isidentifier():
            raise ValueError(f"{path}: not a Procfile line: {line!r}")
        processes[name.strip()] = command.strip()
    return processes


@dataclass
class Report:
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append((name, bool(ok), detail))
        return bool(ok)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(ok for _n, ok, _d in self.checks)

    def text(self) -> str:
        lines = [f"{'PASS' if ok else 'FAIL'}  {name}{': ' + detail if detail else ''}" for name, ok, detail in self.checks]
        lines += [f"      {k} = {v}" for k, v in self.figures.items()]
        lines.append("deploy check " + ("PASSED" if self.passed else "FAILED"))
        return "\n".join(lines)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def admin_connection(server: str) -> Any:
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3)


def recreate_database(server: str, drop_only: bool = False) -> None:
    from psycopg import sql

    with admin_connection(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))


def get(port: int, path: str, headers: dict[str, str] | None = None, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """One plain HTTP request to the local server: (status, headers with lower-case names, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def start(command: str, env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start one Procfile command as the main process of its own session (as systemd would)."""
    if re.search(r"[;&|<>`$()]", command):
        raise ValueError(f"a process command must be one command, not a shell line: {command!r}")
    out = log.open("wb")
    return subprocess.Popen(  # noqa: S603 - our own Procfile's command
        ["/bin/sh", "-c", f"exec {command}"], env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen[bytes], timeout: float) -> tuple[int | None, float]:
    """SIGTERM to the main process only (systemd's KillMode=mixed); (exit status, seconds)."""
    begun = time.monotonic()
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        code: int | None = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        code = None
    return code, round(time.monotonic() - begun, 2)


def kill_group(process: subprocess.Popen[bytes]) -> bool:
    """Kill whatever is left of the process's session; True when something was left."""
    try:
        os.killpg(process.pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


def json_lines(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """(parsed JSON objects, lines that are not a JSON object with the log keys)."""
    parsed, other = [], []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            other.append(line)
            continue
        if isinstance(obj, dict) and LOG_KEYS <= obj.keys():
            parsed.append(obj)
        else:
            other.append(line)
    return parsed, other


ENQUEUE = """
from sleutelnet.core.models import User
from sleutelnet.tasks.services import enqueue
owner = User.objects.create(username="deploycheck", email="deploycheck@example.org")
task = enqueue("exports.list", owner=owner, title="deploy check", arguments={"list": "key_persons", "format": "csv", "query": ""})
print(task.pk, task.backend)
"""


def run_task_through_redis(server: str, env: dict[str, str], data: Path) -> tuple[bool, str]:
    """Queue a list export as the web would (`sleutelnet shell`), and wait until the RQ worker ran it."""
    queued = subprocess.run(  # noqa: S603 - our own command
        [str(Path(sys.executable).parent / "sleutelnet"), "shell", "-c", ENQUEUE], env=env, cwd=data,
        capture_output=True, text=True, timeout=120, check=False,
    )
    if queued.returncode != 0:
        return False, queued.stderr[-1000:]
    task_id, backend = queued.stdout.split()[-2:]
    if backend != "rq":
        return False, f"the task went to the {backend} queue"
    import psycopg

    deadline = time.monotonic() + 60
    status = "queued"
    with psycopg.connect(f"{server}/{DATABASE}", autocommit=True) as conn:
        while time.monotonic() < deadline:
            row = conn.execute("SELECT status, result_name FROM tasks_task WHERE id = %s", (int(task_id),)).fetchone()
            status = row[0] if row else "missing"
            if status in ("done", "failed"):
                break
            time.sleep(0.2)
    log = (data / "tasks.log").read_text(errors="replace")
    return status == "done" and "RQ worker started" in log, f"task {task_id}: {status}; {log[-800:]}"


def run(server: str) -> Report:
    report = Report()
    processes = read_procfile()
    report.check("Procfile has release, web, worker and tasks", {"release", "web", "worker", "tasks"} <= processes.keys(), str(sorted(processes)))
    bin_dir = Path(sys.executable).parent
    data = Path(tempfile.mkdtemp(prefix="sleutelnet-deploycheck-"))
    port = free_port()
    env = {
        # a minimal environment, as systemd's EnvironmentFile gives: nothing of the caller leaks in
        "PATH": f"{bin_dir}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
        "HOME": str(data),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        "SLEUTELNET_MODE": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PROCESSING_LOG_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": f"{server}/{DATABASE}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SLEUTELNET_DATA_DIR": str(data),
        "SITE_URL": f"https://127.0.0.1:{port}",
        "PORT": str(port),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(WORKERS),
        # the worker must not speak SMTP from a test machine
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(data / "mail"),
        "WORKER_POLL_SECONDS": "1",
        # background tasks on Redis, run by the `tasks` process (sleutelnet rq_worker)
        "TASK_BACKEND": "rq",
        "REDIS_URL": REDIS,
        "TASK_QUEUE": f"deploycheck-{secrets.token_hex(4)}",
    }
    web = worker = tasks = None
    secret = secrets.token_urlsafe(32)
    try:
        began = time.monotonic()
        recreate_database(server)
        # The release steps (migrate: the database; collectstatic: files) touch nothing of each
        # other, so they run side by side here: the check takes the longer one, not the sum.
        steps = [step.strip() for step in processes["release"].split("&&")]
        running = [
            (step, subprocess.Popen(  # noqa: S603 - our own Procfile's command
                ["/bin/sh", "-c", step], env=env, cwd=data, stdout=(data / f"release-{i}.log").open("wb"), stderr=subprocess.STDOUT
            ))
            for i, step in enumerate(steps)
        ]
        finished: dict[str, float] = {}
        while len(finished) < len(running) and time.monotonic() - began < 300:
            for step, process in running:
                if step not in finished and process.poll() is not None:
                    finished[step] = round(time.monotonic() - began, 2)
            time.sleep(0.05)
        for i, (step, process) in enumerate(running):
            try:
                code: int | None = process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                code = None
            output = (data / f"release-{i}.log").read_text(errors="replace")
            report.figures[f"release: {step}"] = f"{finished.get(step)} s"
            report.check(f"release step `{step}`", code == 0, output[-2000:] if code else "")
        report.figures["release_seconds"] = round(time.monotonic() - began, 2)
        if not report.passed:
            return report
        manifest = data / "static" / "staticfiles.json"
        report.check("collectstatic wrote the manifest", manifest.is_file(), str(manifest))

        started = time.monotonic()
        web = start(processes["web"], env, data, data / "web.log")
        worker = start(processes["worker"], env, data, data / "worker.log")
        tasks = start(processes["tasks"], env, data, data / "tasks.log")
        health: tuple[int, dict[str, str], bytes] | None = None
        while time.monotonic() - started < START_TIMEOUT and web.poll() is None:
            try:
                health = get(port, "/healthz")
                if health[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.05)
        report.figures["start_to_healthy_seconds"] = round(time.monotonic() - started, 2)
        if health is None or health[0] != 200:
            report.check("web answers /healthz with 200", False, f"{health and health[0]}; {(data / 'web.log').read_text()[-2000:]}")
            return report
        report.check("web answers /healthz with 200", True)
        body = json.loads(health[2])
        report.check("/healthz body", body.get("status") == body.get("database") == body.get("queue") == "ok", json.dumps(body))
        report.check("/healthz is not cached", "no-store" in health[1].get("cache-control", ""))
        report.check("/healthz checked the Redis queue", body.get("queue_backend") == "rq", json.dumps(body))
        report.check("a background task runs through Redis on the tasks process", *run_task_through_redis(server, env, data))

        workers: list[int] = []
        for _ in range(100):
            workers = children_of(web.pid)
            if len(workers) >= WORKERS:
                break
            time.sleep(0.1)
        report.check(f"gunicorn runs {WORKERS} workers", len(workers) == WORKERS, f"children of {web.pid}: {workers}")

        status, headers, _ = get(port, "/healthz", {"Host": "10.1.2.3"})
        report.check("/healthz answers a probe by IP over plain HTTP (no host check, no HTTPS redirect)", status == 200, str(status))
        status, headers, _ = get(port, "/login/")
        report.check("plain HTTP to a page is redirected to HTTPS", status == 301 and headers.get("location", "").startswith("https://"), f"{status} {headers.get('location')}")

        tls = {"X-Forwarded-Proto": "https"}
        status, headers, page = get(port, "/login/", tls)
        html = page.decode(errors="replace")
        report.check("login page", status == 200 and "<form" in html, str(status))
        report.check("login page: HSTS and the __Host- CSRF cookie", "max-age=" in headers.get("strict-transport-security", "") and "__Host-csrftoken" in headers.get("set-cookie", ""))
        css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', html)
        report.check("login page links a hashed stylesheet (manifest storage)", css is not None)
        if css is not None:
            status, headers, content = get(port, css.group(1), {**tls, "Accept-Encoding": "br, gzip"})
            cache = headers.get("cache-control", "")
            report.check(
                "static file served by whitenoise, compressed and cached for a year",
                status == 200 and headers.get("content-encoding") in ("br", "gzip") and "immutable" in cache and "max-age=315360000" in cache,
                f"{css.group(1)}: {status}, {headers.get('content-encoding')}, {cache}, {len(content)} bytes",
            )
            plain_status, _h, plain = get(port, css.group(1), tls)
            report.figures["stylesheet_bytes"] = {"plain": len(plain), "compressed": len(content)}
            report.check("the same file uncompressed", plain_status == 200 and len(plain) > len(content))

        status, _h, _b = get(port, f"/calendar/{secret}.ics", tls)
        report.check("an unknown calendar feed answers 404", status == 404, str(status))
        status, _h, _b = get(port, "/no-such-page/", tls)
        report.check("an unknown page answers 404", status == 404, str(status))
        report.check("the worker is running", worker.poll() is None, (data / "worker.log").read_text()[-1000:])
        time.sleep(0.3)  # let the last access lines reach the log

        web_code, web_seconds = stop(web, STOP_TIMEOUT)
        worker_code, worker_seconds = stop(worker, STOP_TIMEOUT)
        tasks_code, tasks_seconds = stop(tasks, STOP_TIMEOUT)
        report.figures["stop_seconds"] = {"web": web_seconds, "worker": worker_seconds, "tasks": tasks_seconds}
        report.check("tasks process stops cleanly on SIGTERM", tasks_code == 0 and not kill_group(tasks), f"exit {tasks_code} after {tasks_seconds} s")
        report.check("web stops cleanly on SIGTERM", web_code == 0 and not kill_group(web), f"exit {web_code} after {web_seconds} s")
        report.check("worker stops cleanly on SIGTERM", worker_code == 0 and not kill_group(worker), f"exit {worker_code} after {worker_seconds} s")

        web_log = (data / "web.log").read_text(encoding="utf-8", errors="replace")
        worker_log = (data / "worker.log").read_text(encoding="utf-8", errors="replace")
        parsed, other = json_lines(web_log)
        report.figures["web_log_lines"] = len(parsed) + len(other)
        report.check("every line the web server logged is a JSON object", parsed and not other, "; ".join(other[:5]))
        access = [e for e in parsed if e["logger"] == "gunicorn.access"]
        probe = [e for e in access if e.get("path") == "/healthz" and e.get("status") == 200 and isinstance(e.get("duration_ms"), int | float)]
        report.check("access lines carry method, path, status and duration_ms", bool(probe) and all(e.get("method") for e in access), json.dumps(probe[:1]))
        report.check(
            "gunicorn logged booting 3 workers and shutting down",
            sum("Booting worker" in e["message"] for e in parsed) >= WORKERS and any("Shutting down" in e["message"] for e in parsed),
        )
        warmed = [e["message"] for e in parsed if e["message"].startswith("worker warmed in")]
        report.check(
            "each worker warmed itself before its first request (sleutelnet.conf.warm), every template compiled",
            len(warmed) >= WORKERS and not any("did not compile" in m for m in warmed), "; ".join(warmed[:1]) or "no warm-up line",
        )
        report.check("the calendar secret reached no log", secret not in web_log and secret not in worker_log and "/calendar/[secret].ics" in web_log)
        report.check("no traceback in the logs", "Traceback" not in web_log and "Traceback" not in worker_log)
        worker_parsed, worker_plain = json_lines(worker_log)
        report.check(
            "the worker started and stopped",
            "Worker started" in worker_log and "Worker stopped" in worker_log,
            f"{len(worker_parsed)} JSON log lines, {len(worker_plain)} status lines of its own (stdout)",
        )
        report.figures["total_seconds"] = round(time.monotonic() - began, 2)
        return report
    finally:
        for process in (web, worker, tasks):
            if process is not None:
                if process.poll() is None:
                    stop(process, 5)
                kill_group(process)
        try:
            recreate_database(server, drop_only=True)
        except Exception as exc:  # noqa: BLE001 - report, but do not hide the checks' outcome
            report.check("drop the check database", False, repr(exc))
        shutil.rmtree(data, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("DEPLOY_CHECK_SERVER", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server (URL without a database name) where the check database is made",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    server = args.server.rstrip("/")
    try:
        admin_connection(server).close()
    except Exception as exc:  # noqa: BLE001 - any failure to connect means: no server to check on
        print(f"PostgreSQL does not answer at {server}: {type(exc).__name__}", file=sys.stderr)
        return 3
    report = run(server)
    if args.json:
        print(json.dumps({"passed": report.passed, "checks": report.checks, "figures": report.figures}, indent=2))
    else:
        print(report.text())
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
