"""The `sleutelnet` console script: Django's manage.py under the project's own name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Django management command with Sleutelnet's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sleutelnet.conf.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
