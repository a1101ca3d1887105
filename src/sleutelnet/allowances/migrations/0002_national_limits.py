"""The national tax-free limits for volunteer allowances known when this was written (domain.md §8).

2026 and later: an administrator enters them (admin: Allowances) after checking belastingdienst.nl.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

LIMITS = [
    # from, until, per hour 21+, per hour <21, per month, per year, source
    (dt.date(2023, 1, 1), dt.date(2023, 12, 31), "5.00", "2.75", "190", "1900", "belastingdienst.nl"),
    (dt.date(2024, 1, 1), dt.date(2024, 12, 31), "5.50", None, "210", "2100", "vrijwilligersdossier.nl"),
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31), "5.60", "3.30", "210", "2100", "vrijwilligersdossier.nl, kennisnetwerk-belastingen-toeslagen.nl"),
]


def add(apps, schema_editor):
    AllowanceLimit = apps.get_model("allowances", "AllowanceLimit")
    for start, end, adult, young, month, year, source in LIMITS:
        AllowanceLimit.objects.get_or_create(
            region=None,
            valid_from=start,
            defaults={
                "valid_until": end,
                "per_hour_adult": Decimal(adult),
                "per_hour_young": Decimal(young) if young else None,
                "per_month": Decimal(month),
                "per_year": Decimal(year),
                "source": source,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("allowances", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
