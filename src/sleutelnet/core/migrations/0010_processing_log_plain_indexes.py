"""The processing log's text columns keep one plain index each and lose their LIKE index.

On PostgreSQL, Django gives a CharField with `db_index=True` two indexes: a plain one and a
`varchar_pattern_ops` one for `LIKE 'x%'`. The log is searched by equality only (a person's
pseudonym, an operation), and every page writes a line per person it showed (358 for a request
with its candidates at national scale), so every line paid for three indexes that nothing reads.

The plain indexes are renamed to the names in the model's Meta instead of being built again:
the log is the largest table of a long-running installation, and building an index blocks its
writes, so every page, for as long as the build takes. Only the LIKE indexes are dropped.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

TABLE = "core_processinglogentry"

#: field -> (the name Django gave its db_index index on every database, the name in Meta)
NAMES = {
    "trace_id": ("core_processinglogentry_trace_id_d21d8035", "processing_trace_idx"),
    "operation_id": ("core_processinglogentry_operation_id_d6390c4c", "processing_operation_idx"),
    "subject": ("core_processinglogentry_subject_2267b83a", "processing_subject_idx"),
}


def forwards(apps: Any, schema_editor: Any) -> None:
    q = schema_editor.quote_name
    for field, (old, new) in NAMES.items():
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {q(old + '_like')}")
            schema_editor.execute(f"ALTER INDEX IF EXISTS {q(old)} RENAME TO {q(new)}")
        else:  # SQLite cannot rename an index; its log is small
            schema_editor.execute(f"DROP INDEX IF EXISTS {q(old)}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {q(new)} ON {q(TABLE)} ({q(field)})")


def backwards(apps: Any, schema_editor: Any) -> None:
    q = schema_editor.quote_name
    for field, (old, new) in NAMES.items():
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER INDEX IF EXISTS {q(new)} RENAME TO {q(old)}")
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {q(old + '_like')} ON {q(TABLE)} ({q(field)} varchar_pattern_ops)")
        else:
            schema_editor.execute(f"DROP INDEX IF EXISTS {q(new)}")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {q(old)} ON {q(TABLE)} ({q(field)})")


class Migration(migrations.Migration):
    dependencies = [("core", "0009_organisation_external_ref_and_more")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AlterField(model_name="processinglogentry", name="trace_id", field=models.CharField(max_length=32)),
                migrations.AlterField(model_name="processinglogentry", name="operation_id", field=models.CharField(max_length=32)),
                migrations.AlterField(
                    model_name="processinglogentry", name="subject",
                    field=models.CharField(max_length=64, verbose_name="person (pseudonym)"),
                ),  # fmt: skip
                migrations.AddIndex(
                    model_name="processinglogentry", index=models.Index(fields=["trace_id"], name="processing_trace_idx")
                ),
                migrations.AddIndex(
                    model_name="processinglogentry", index=models.Index(fields=["operation_id"], name="processing_operation_idx")
                ),
                migrations.AddIndex(
                    model_name="processinglogentry", index=models.Index(fields=["subject"], name="processing_subject_idx")
                ),
            ],
        )
    ]
