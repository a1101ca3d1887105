"""Indexes found by the load benchmark (bench/load.py): a page of requests in the default order per
organisation and per region, requests that end after a day, and reports by date."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("deployments", "0005_request_external_ref_and_more"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="request",
            index=models.Index(fields=["organisation", "starts_at", "id"], name="request_org_starts_idx"),
        ),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(fields=["region", "starts_at", "id"], name="request_region_starts_idx"),
        ),
        migrations.AddIndex(
            model_name="request",
            index=models.Index(fields=["ends_at"], name="request_ends_idx"),
        ),
        migrations.AddIndex(
            model_name="activityreport",
            index=models.Index(fields=["date"], name="report_date_idx"),
        ),
    ]
