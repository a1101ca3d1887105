"""The key person on each activity report (copied from its assignment), with its index."""

import django.db.models.deletion
from django.db import migrations, models


def copy_key_persons(apps, schema_editor):  # type: ignore[no-untyped-def]
    """One UPDATE, not a loop: national data has millions of reports."""
    with schema_editor.connection.cursor() as cur:
        if schema_editor.connection.vendor == "postgresql":
            cur.execute(
                "UPDATE deployments_activityreport r SET key_person_id = a.key_person_id FROM deployments_assignment a"
                " WHERE a.id = r.assignment_id AND a.key_person_id IS NOT NULL"
            )
        else:
            cur.execute(
                "UPDATE deployments_activityreport SET key_person_id = (SELECT a.key_person_id"
                " FROM deployments_assignment a WHERE a.id = deployments_activityreport.assignment_id)"
            )


class Migration(migrations.Migration):

    dependencies = [
        ("deployments", "0007_load_indexes"),
        ("people", "0008_keyperson_external_ref_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="activityreport",
            name="key_person",
            field=models.ForeignKey(
                db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                related_name="+", to="people.keyperson",
            ),
        ),
        migrations.RunPython(copy_key_persons, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="activityreport",
            index=models.Index(fields=["key_person", "date"], include=("assignment", "hours"), name="report_kp_date_cover_idx"),
        ),
    ]
