"""gunicorn's settings for production: `gunicorn --config python:sleutelnet.conf.gunicorn sleutelnet.conf.wsgi`.

The one command is in deploy/Procfile and the systemd unit (docs/deploy.md); scripts/deploy_check.py
starts exactly that. Everything can be changed from the environment (docs/configuration.md), so the
same file serves a small VM and a row of machines behind a load balancer.

Workers are plain synchronous processes: nginx in front buffers slow clients, each worker holds at
most one database connection, and a crash or a leak takes one request down, not the server.
"""

from __future__ import annotations

import os

from sleutelnet.conf.env import env_int, env_str

#: The default worker count stops here however many cores there are: every worker is a
#: PostgreSQL connection and ~100 MB, and more web instances scale better than one huge one.
MAX_DEFAULT_WORKERS = 8


def cores() -> int:
    """The CPUs this process may run on (a container's or systemd's CPU set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """gunicorn's rule of thumb, 2 × cores + 1, capped at MAX_DEFAULT_WORKERS."""
    return min(2 * cores() + 1, MAX_DEFAULT_WORKERS)


def log_format() -> str:
    """"json" or "text", by the same rule as settings.LOG_FORMAT (json in production)."""
    default = "json" if env_str("SLEUTELNET_MODE", "development") == "production" else "text"
    return env_str("LOG_FORMAT", default)


def logging_config(fmt: str) -> dict[str, object]:
    """gunicorn's own loggers (start, workers, access lines) through the project's formatter.

    The access lines carry method, path (secrets masked), status and duration; never the query
    string, the client address or its headers (core.log_format).
    """
    formatter = (
        {"()": "sleutelnet.core.log_format.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(name)s: %(message)s"}
    )
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "main",
        "filters": ["secret_paths"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"secret_paths": {"()": "sleutelnet.core.log_filters.SecretPathFilter"}},
        "formatters": {"main": formatter},
        "handlers": {"console": handler},
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }


# --- the settings gunicorn reads from this module ---------------------------------------------

#: Behind nginx on the same machine: the loopback only. A platform that routes to $PORT sets
#: GUNICORN_BIND=0.0.0.0:$PORT.
bind = [env_str("GUNICORN_BIND", f"127.0.0.1:{env_str('PORT', '8000')}")]
workers = env_int("WEB_CONCURRENCY", default_workers())
if workers < 1:
    raise ValueError("WEB_CONCURRENCY must be at least 1.")
worker_class = "sync"
proc_name = "sleutelnet-web"
#: A request running longer than this is killed (the planning page's solver stops at 10 s).
timeout = env_int("GUNICORN_TIMEOUT", 60)
#: On SIGTERM (systemctl stop, a new release) workers finish their requests this long.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
#: A worker is replaced after this many requests (and a jitter), so a slow leak never grows. A new
#: worker costs about a second of CPU (Django's start and the warm-up below): at 1,000 requests of
#: some 35 ms that was 3 % of the server's CPU; at 5,000 it is under 1 %.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
#: Heartbeat files in memory, not on a disk that may stall (containers, slow volumes).
SHM = "/dev/shm"  # gunicorn's documented advice, for its heartbeat files only # noqa: S108 # nosec B108
worker_tmp_dir = SHM if os.path.isdir(SHM) else None
#: No control socket (gunicorn 25.1+ opens one in $HOME by default): two instances of one user
#: would share its path, and signals (HUP, TTIN/TTOU, TERM) do what systemd needs.
control_socket_disable = True
#: Access lines (JSON in production); gunicorn's own lines go the same way.
accesslog = None  # the handlers of logconfig_dict write them; "-" would add a second, plain copy
access_log_format = "%(m)s %(U)s %(s)s %(M)sms"
logconfig_dict = logging_config(log_format())


def post_worker_init(worker: object) -> None:
    """Warm the new worker (URL patterns, templates, languages) before it takes its first request."""
    from sleutelnet.conf.warm import warm_up

    done = warm_up()
    worker.log.info(  # type: ignore[attr-defined]
        "worker warmed in %.2f s: %d URL patterns, %d models, %d templates, languages %s%s",
        done.seconds, done.url_patterns, done.models, done.templates, ",".join(done.languages),
        f"; templates that did not compile: {', '.join(done.failed)}" if done.failed else "",
    )
