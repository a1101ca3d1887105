"""The request's region on each assignment (copied, as a request keeps its region), with its index."""

import django.db.models.deletion
from django.db import migrations, models


def copy_regions(apps, schema_editor):  # type: ignore[no-untyped-def]
    """One UPDATE, not a loop: national data has millions of assignments."""
    with schema_editor.connection.cursor() as cur:
        if schema_editor.connection.vendor == "postgresql":
            cur.execute(
                "UPDATE deployments_assignment a SET region_id = r.region_id FROM deployments_request r WHERE r.id = a.request_id"
            )
        else:
            cur.execute(
                "UPDATE deployments_assignment SET region_id = (SELECT r.region_id FROM deployments_request r"
                " WHERE r.id = deployments_assignment.request_id)"
            )


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0009_organisation_external_ref_and_more"),
        ("deployments", "0011_request_muni_created"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="region",
            field=models.ForeignKey(
                db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.CASCADE,
                related_name="+", to="core.region",
            ),
        ),
        migrations.RunPython(copy_regions, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("status__in", ["offered", "accepted", "reported"])),
                fields=["region", "status"], include=("request", "offered_at"), name="assignment_current_region_idx",
            ),
        ),
    ]
