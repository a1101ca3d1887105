"""`sleutelnet permissions_matrix`: write docs/permissions.md from the permission matrix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from sleutelnet.core.matrix_doc import default_path, render


class Command(BaseCommand):
    help = "Write docs/permissions.md from core.permissions (or print it with --stdout)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--stdout", action="store_true", help="Print instead of writing the file.")
        parser.add_argument("--path", default=None, help="Where to write (default: docs/permissions.md).")

    def handle(self, *args: Any, stdout: bool = False, path: str | None = None, **options: Any) -> None:
        text = render()
        if stdout:
            self.stdout.write(text, ending="")
            return
        target = Path(path) if path else default_path()
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {target}")
