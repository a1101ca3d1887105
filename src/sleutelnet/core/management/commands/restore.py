"""`sleutelnet restore FILE [--yes]`: overwrite the database with a backup, then verify every table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sleutelnet.core.backup import BackupError, prepare_restore, restore


class Command(BaseCommand):
    help = (
        "Restore the database from FILE made by `sleutelnet backup`, replacing ALL its data, and "
        "verify afterwards that every table has the row count and checksum of FILE.manifest.json "
        "(exit 1 naming the tables that differ). In production mode it needs --yes. Stop the web "
        "server and the worker first. See docs/deploy.md."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "file", help="The backup file (its manifest FILE.manifest.json must be beside it)."
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm overwriting the database (required in production mode).",
        )

    def handle(self, *args: Any, file: str, yes: bool = False, **options: Any) -> None:
        try:
            plan = prepare_restore(Path(file))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        made = plan.manifest
        self.stdout.write(
            f"This overwrites {plan.target} ({plan.current_tables} tables, {plan.current_rows} rows now) "
            f"with the backup {plan.path.name} of {made.get('created_at')} from database "
            f"{made.get('database')!r} ({len(made['tables'])} tables, {plan.rows} rows)."
        )
        if settings.PRODUCTION and not yes:
            raise CommandError(
                "Refused: this is production mode and restore replaces all data. Run it again with "
                "--yes to confirm. Nothing was changed."
            )
        try:
            result = restore(plan)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {result.tables} tables, {result.rows} rows, every count and "
                f"checksum as in the manifest, in {result.seconds:.1f} s."
            )
        )
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(warning))
