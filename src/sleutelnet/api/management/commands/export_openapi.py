"""`sleutelnet export_openapi`: write the OpenAPI document to docs/api/openapi.json."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from sleutelnet.api.openapi import default_path, render


class Command(BaseCommand):
    help = "Write the OpenAPI 3 document of API v1 to docs/api/openapi.json (or --output)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Where to write (default: docs/api/openapi.json).",
        )
        parser.add_argument(
            "--check", action="store_true", help="Do not write; fail when the file is out of date."
        )

    def handle(
        self, *args: Any, output: Path | None = None, check: bool = False, **options: Any
    ) -> None:
        path = output or default_path()
        text = render()
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                self.stderr.write(
                    f"{path} is out of date: run `.venv/bin/sleutelnet export_openapi`."
                )
                raise SystemExit(1)
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
