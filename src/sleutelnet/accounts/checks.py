"""System checks: production must not run with the demo's second factor, nor without one for staff."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register("security", deploy=True)
def no_demo_second_factor_in_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not settings.PRODUCTION:
        return []
    from django.db import DatabaseError

    from sleutelnet.accounts.models import DemoDevice

    try:
        found = DemoDevice.objects.exists()
    except DatabaseError:  # no tables yet (before migrate)
        return []
    if found:
        return [
            Error(
                "Demo second-factor devices exist in a production database.",
                hint="Production refuses them anyway; delete them: they belong to the demo accounts.",
                id="sleutelnet.E001",
            )
        ]
    return []
