"""`sleutelnet retention [--dry-run]`: delete or anonymise what is past its retention period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sleutelnet.privacy.services import run_retention


class Command(BaseCommand):
    help = (
        "Apply the retention periods (docs/privacy.md): anonymise requests that ended long ago, erase "
        "newcomers without requests, anonymise key persons who stopped, purge old log lines and mail. "
        "With --dry-run, only list what would be done. The worker runs this once a day."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be done; change nothing.")
        parser.add_argument("--today", help="Act as if it were this day (YYYY-MM-DD), e.g. to look ahead.")
        parser.add_argument("--ids", action="store_true", help="Also list the UUIDs of the records (no names).")

    def handle(self, *args: Any, dry_run: bool = False, today: str | None = None, ids: bool = False, **options: Any) -> None:
        day = None
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today must be a date like 2026-12-01.") from None
        items, done = run_retention(today=day, dry_run=dry_run)
        verb = "would" if dry_run else "did"
        for item in items:
            where = item.region.name if item.region is not None else "(all regions)"
            count = item.count if dry_run else item.done
            self.stdout.write(f"{where}: {item.kind}: {verb} {item.action} {count} (older than {item.cutoff.isoformat()})")
            if ids and item.ids:
                for record in item.ids:
                    self.stdout.write(f"  {record}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        else:
            self.stdout.write(f"Done: {sum(done.values())} records.")
