"""The processing log keeps one plain index per searched column and no LIKE index (migration
core 0010): every page writes a line per person it shows, so every index costs each line, and
the log is searched by equality only. On PostgreSQL `db_index=True` on a CharField gave each
text column a second, `varchar_pattern_ops` index; the migration drops those and renames the
plain ones in place, so a large log is not indexed again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sleutelnet.core.models import ProcessingLogEntry

TABLE = ProcessingLogEntry._meta.db_table
BEFORE, AFTER = ("core", "0009_organisation_external_ref_and_more"), ("core", "0010_processing_log_plain_indexes")
RENAMED = {
    "core_processinglogentry_trace_id_d21d8035": "processing_trace_idx",
    "core_processinglogentry_operation_id_d6390c4c": "processing_operation_idx",
    "core_processinglogentry_subject_2267b83a": "processing_subject_idx",
}


def _indexes() -> dict[str, list[str]]:
    """Index name -> its columns, the primary key left out."""
    with connection.cursor() as cur:
        found = connection.introspection.get_constraints(cur, TABLE)
    return {name: c["columns"] for name, c in found.items() if c["index"] and not c["primary_key"]}


def _pattern_ops_indexes() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s", [TABLE, "%pattern_ops%"])
        return [row[0] for row in cur.fetchall()]


@pytest.mark.django_db
def test_the_log_has_one_plain_index_per_searched_column() -> None:
    indexes = _indexes()
    assert sorted(indexes.values()) == [["operation_id"], ["region_id"], ["started_at"], ["subject"], ["trace_id"]]
    assert {indexes[name][0] for name in RENAMED.values()} == {"trace_id", "operation_id", "subject"}
    assert _pattern_ops_indexes() == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_renames_the_plain_indexes_and_drops_the_like_ones_and_back() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        before = _indexes()
        assert {name: before.get(name) for name in RENAMED} == {
            "core_processinglogentry_trace_id_d21d8035": ["trace_id"],
            "core_processinglogentry_operation_id_d6390c4c": ["operation_id"],
            "core_processinglogentry_subject_2267b83a": ["subject"],
        }
        if connection.vendor == "postgresql":  # what Django made for db_index=True there
            assert sorted(_pattern_ops_indexes()) == sorted(f"{name}_like" for name in RENAMED)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([AFTER])
    after = _indexes()
    assert not set(RENAMED) & set(after)
    assert {name: after.get(name) for name in RENAMED.values()} == {
        "processing_trace_idx": ["trace_id"], "processing_operation_idx": ["operation_id"], "processing_subject_idx": ["subject"],
    }  # fmt: skip
    assert _pattern_ops_indexes() == []
