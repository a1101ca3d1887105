"""Start the web server and the background worker together; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server and the background worker side by side (what `make run` starts)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))

    def handle(self, *args: Any, **options: Any) -> None:
        manage = [sys.executable, "-m", "sleutelnet.manage"]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        web = subprocess.Popen(  # noqa: S603 - this very program (sys.executable -m sleutelnet.manage)
            [*manage, "runserver", f"{options['host']}:{options['port']}", "--noreload"], env=env
        )
        worker = subprocess.Popen([*manage, "run_worker"], env=env)  # noqa: S603 - this very program
        children = [web, worker]

        def stop(*_: object) -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.3)
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
        if failed and not all(c.returncode is not None for c in children if c not in failed):
            sys.exit(1)
