"""`sleutelnet backup FILE`: dump the database to FILE, with FILE.manifest.json beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sleutelnet.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE (PostgreSQL: pg_dump custom format; SQLite: a copy by the "
        "online backup API) and write FILE.manifest.json with the row count and checksum of every "
        "table, which `sleutelnet restore` verifies. Both files are readable by their owner only: "
        "they hold personal data. See docs/deploy.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="The backup file to write (replaced when it exists).")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            result = backup(Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {result.path} ({result.size / 1_000_000:.1f} MB, sha256 {result.sha256[:16]}...) "
                f"and {result.manifest.name}: {result.tables} tables, {result.rows} rows, in {result.seconds:.1f} s."
            )
        )
