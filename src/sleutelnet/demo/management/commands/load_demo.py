"""`sleutelnet load_demo`: load the fictional Achterhoek demo region (once) and print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sleutelnet.demo.region import DemoError, format_logins, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo region 'Achterhoek (demo)' with three months of history, through the services. "
        "Does nothing when it already exists; always prints the demo logins."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo()
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"Demo region loaded in {result.seconds:.1f} s."))
            self.stdout.write(", ".join(f"{name}: {n}" for name, n in result.counts.items()))
            if result.skipped:
                self.stdout.write(
                    self.style.WARNING(f"{len(result.skipped)} steps of the history were refused:")
                )
                for line in result.skipped[:20]:
                    self.stdout.write(f"  {line}")
        else:
            self.stdout.write("The demo region already exists; nothing changed.")
        self.stdout.write("")
        self.stdout.write(format_logins())
