"""`sleutelnet backup` and `sleutelnet restore`: a round trip loses or changes no row.

The tests compare every table's full contents before and after with their own reading
(`contents()`, every row of every table), not with the manifest code they test. pg_restore
connects to the test database on its own, so these tests commit (transaction=True).
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction
from django.test import override_settings

from sleutelnet.core import backup as backup_module
from sleutelnet.core.models import Region, User
from sleutelnet.deployments.models import ActivityReport
from sleutelnet.notifications.models import OutboxMessage
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump/pg_restore path: needs DATABASE_URL=postgres://...",
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup-API path")


def contents() -> dict[str, list[str]]:
    """Every row of every table, as text, sorted: the test's own view of 'the same database'."""

    def plain(value: Any) -> Any:
        return bytes(value) if isinstance(value, memoryview) else value

    tables: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the schema
            tables[table] = sorted(repr(tuple(plain(v) for v in row)) for row in cursor.fetchall())
    return tables


@pytest.fixture
def filled(vocabulary_again: None, both: Any) -> dict[str, list[str]]:
    """Two regions with records of every kind, a session, and text that quoting could break."""
    f.member(
        "coordinator",
        both[0].world.region,
        first_name='O\'Brien "quoted"\ttab',
        last_name="Ğülşen 🎉\nnew line, comma; semicolon \\ backslash",
    )
    session = SessionStore()
    session["note"] = "kept"
    session.create()
    data = contents()
    assert sum(map(len, data.values())) > 300, "too small a database to prove anything"
    assert data["django_session"] and data["core_processinglogentry"] and data["people_language"]
    return data


def _change_everything() -> None:
    """What restore must undo: rows deleted, changed and added in several tables."""
    OutboxMessage.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_session")
    User.objects.update(first_name="Changed")
    ActivityReport.objects.update(hours=7)
    f.RegionFactory(name="Added after the backup")


def _restore(path: Path, **options: Any) -> str:
    out = io.StringIO()
    connections.close_all()  # pg_restore needs the tables free of our connection
    call_command("restore", str(path), stdout=out, **options)
    return out.getvalue()


def _backup(path: Path) -> dict[str, Any]:
    call_command("backup", str(path), stdout=io.StringIO())
    return json.loads(backup_module.manifest_path(path).read_text())


# --- the round trip -----------------------------------------------------------------------------


@on_postgresql
def test_postgresql_round_trip_restores_every_row(
    filled: dict[str, list[str]], tmp_path: Path
) -> None:
    dump = tmp_path / "sleutelnet.dump"
    manifest = _backup(dump)
    assert dump.read_bytes().startswith(b"PGDMP")
    assert set(manifest["tables"]) == set(connection.introspection.table_names())
    assert {"django_session", "auth_permission", "django_migrations", "core_user"} <= set(
        manifest["tables"]
    )
    assert manifest["tables"]["core_user"]["rows"] == len(filled["core_user"])
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600  # personal data
    assert stat.S_IMODE(backup_module.manifest_path(dump).stat().st_mode) == 0o600

    _change_everything()
    assert contents() != filled

    out = _restore(dump)
    assert "This overwrites the PostgreSQL database" in out and "Restored and verified" in out
    assert contents() == filled
    # Beyond the rows: the sequences are past every id, and the append-only trigger is back.
    with connection.cursor() as cursor:
        assert backup_module.sequence_problems(cursor) == []
    f.RegionFactory(name="After the restore")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE core_processinglogentry SET status = 'x'")


@on_postgresql
def test_a_backup_while_the_application_writes_is_of_one_moment(
    vocabulary_again: None, world: Any, tmp_path: Path
) -> None:
    """pg_dump and the manifest read one exported snapshot: rows written meanwhile are in neither."""
    stop, written, errors = threading.Event(), [0], []

    def write() -> None:
        try:
            while not stop.is_set():
                with connection.cursor() as cursor:  # this thread's own connection, autocommit
                    cursor.execute(
                        "INSERT INTO django_session (session_key, session_data, expire_date) "
                        "VALUES (%s, 'x', now())",
                        [f"busy{written[0]:08d}"],
                    )
                written[0] += 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while written[0] < 20:
            time.sleep(0.01)
        manifest = _backup(tmp_path / "busy.dump")
        during = written[0]
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not errors, errors
    assert 20 <= manifest["tables"]["django_session"]["rows"] < during <= written[0]
    out = _restore(tmp_path / "busy.dump")  # verifies the dump against the manifest
    assert "Restored and verified" in out
    assert (
        connection.cursor().execute("SELECT count(*) FROM django_session").fetchone()[0]
        == (manifest["tables"]["django_session"]["rows"])
    )


@on_sqlite
def test_sqlite_round_trip_restores_every_row(filled: dict[str, list[str]], tmp_path: Path) -> None:
    copy = tmp_path / "sleutelnet.sqlite3"
    manifest = _backup(copy)
    assert copy.read_bytes().startswith(b"SQLite format 3\x00")
    assert set(manifest["tables"]) == set(connection.introspection.table_names())
    assert manifest["tables"]["django_session"]["rows"] == len(filled["django_session"]) == 1
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600

    _change_everything()
    assert contents() != filled

    out = _restore(copy)
    assert "This overwrites the SQLite database" in out and "Restored and verified" in out
    assert contents() == filled


# --- restore refuses or fails loudly ------------------------------------------------------------


def test_a_damaged_dump_is_refused_before_anything_is_overwritten(
    vocabulary_again: None, world: Any, tmp_path: Path
) -> None:
    dump = tmp_path / "backup.bin"
    _backup(dump)
    raw = bytearray(dump.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    dump.write_bytes(bytes(raw))
    f.RegionFactory(name="Made after the backup")
    before = contents()
    with pytest.raises(
        CommandError, match="does not match its manifest .sha256 differs.*Nothing was restored"
    ):
        _restore(dump)
    assert contents() == before


def test_a_tampered_manifest_fails_the_restore_naming_the_tables(
    vocabulary_again: None, world: Any, tmp_path: Path
) -> None:
    dump = tmp_path / "backup.bin"
    manifest = _backup(dump)
    manifest["tables"]["core_user"]["checksum"] = "0" * 32
    manifest["tables"]["core_region"]["rows"] += 1
    backup_module.manifest_path(dump).write_text(json.dumps(manifest))
    with pytest.raises(CommandError) as failed:
        _restore(dump)
    message = str(failed.value)
    # PostgreSQL finds it after the restore, SQLite already in the dump file before it.
    assert (
        "Restore verification FAILED: 2 tables differ" in message
        or "does not hold what its manifest says" in message
    )
    regions, users = Region.objects.count(), User.objects.count()
    assert f"core_region: {regions + 1} rows in the backup, {regions} in the database" in message
    assert f"core_user: {users} rows as in the backup, but their content differs" in message
    assert message.count("\n  ") == 2  # only those two tables are named


@on_postgresql
def test_the_command_exits_non_zero_when_verification_fails(
    vocabulary_again: None, world: Any, tmp_path: Path
) -> None:
    dump = tmp_path / "backup.dump"
    manifest = _backup(dump)
    manifest["tables"]["people_keyperson"]["checksum"] = "f" * 32
    backup_module.manifest_path(dump).write_text(json.dumps(manifest))
    db = settings.DATABASES["default"]  # the test database
    url = f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    connections.close_all()
    done = subprocess.run(
        [str(Path(sys.executable).with_name("sleutelnet")), "restore", str(dump)],
        env={**os.environ, "DATABASE_URL": url, "SLEUTELNET_MODE": "development"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Restore verification FAILED" in done.stderr and "people_keyperson" in done.stderr
    assert "core_user" not in done.stderr


@on_postgresql
def test_a_dump_that_breaks_during_pg_restore_leaves_the_database_as_it_was(
    vocabulary_again: None, world: Any, tmp_path: Path
) -> None:
    """The manifest agrees with the damaged file (say it broke before the checksum was taken):
    pg_restore fails half-way, and --single-transaction takes all of it back."""
    dump = tmp_path / "backup.dump"
    manifest = _backup(dump)
    dump.write_bytes(_damage_table_data(dump.read_bytes()))
    manifest["dump"]["sha256"] = backup_module._file_sha256(dump)
    backup_module.manifest_path(dump).write_text(json.dumps(manifest))
    f.RegionFactory(name="Made after the backup")
    before = contents()
    with pytest.raises(CommandError, match="pg_restore failed .*the database was not changed"):
        _restore(dump)
    assert contents() == before


def _damage_table_data(raw: bytes) -> bytes:
    """Flip one byte in the middle of the largest compressed block of table data (the table of
    contents before it stays readable, so `pg_restore --list` still passes)."""
    streams = []
    for match in re.finditer(rb"\x78\x9c", raw):  # zlib's header, as pg_dump compresses data
        inflate = zlib.decompressobj()
        try:
            inflate.decompress(raw[match.start() :])
        except zlib.error:
            continue
        if inflate.eof:
            streams.append((len(raw) - match.start() - len(inflate.unused_data), match.start()))
    length, start = max(streams)
    assert length > 200, "no block of table data worth damaging"
    damaged = bytearray(raw)
    damaged[start + length // 2] ^= 0xFF
    return bytes(damaged)


@on_postgresql
def test_a_lost_sequence_is_found(vocabulary_again: None, world: Any) -> None:
    with connection.cursor() as cursor:
        assert backup_module.sequence_problems(cursor) == []
        cursor.execute("SELECT setval(pg_get_serial_sequence('core_region', 'id'), 1, false)")
        assert backup_module.sequence_problems(cursor) == [
            f"core_region: the next id would be 1, but the table already has {Region.objects.get().id}"
        ]


def test_restore_refuses_missing_foreign_and_unknown_files(
    vocabulary_again: None, world: Any, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="The backup file .*nothing.dump does not exist"):
        _restore(tmp_path / "nothing.dump")
    with pytest.raises(CommandError, match="is not a file"):
        _restore(tmp_path)
    text = tmp_path / "notes.txt"
    text.write_text("not a dump")
    with pytest.raises(CommandError, match="is not a Sleutelnet backup: neither a pg_dump"):
        _restore(text)
    other = tmp_path / "other.bin"
    if connection.vendor == "postgresql":
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
        expected = "other.bin is a SQLite backup, but this Sleutelnet uses PostgreSQL"
    else:
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        expected = "other.bin is a PostgreSQL backup, but this Sleutelnet uses SQLite"
    with pytest.raises(CommandError, match=expected):
        _restore(other)
    dump = tmp_path / "good.bin"
    _backup(dump)
    backup_module.manifest_path(dump).unlink()
    with pytest.raises(
        CommandError, match="No manifest beside the backup: expected .*good.bin.manifest.json"
    ):
        _restore(dump)
    backup_module.manifest_path(dump).write_text("{not json")
    with pytest.raises(CommandError, match="cannot be read"):
        _restore(dump)


def test_production_restores_only_with_yes(
    vocabulary_again: None, world: Any, tmp_path: Path
) -> None:
    dump = tmp_path / "backup.bin"
    _backup(dump)
    f.RegionFactory(name="Made after the backup")
    before = contents()
    with override_settings(PRODUCTION=True):
        with pytest.raises(CommandError, match="production mode .* --yes .*Nothing was changed"):
            _restore(dump)
        assert contents() == before
        out = _restore(dump, yes=True)
    assert "This overwrites" in out and "Restored and verified" in out
    assert not Region.objects.filter(name="Made after the backup").exists()


def test_backup_refuses_a_dump_without_the_data_of_a_table(
    vocabulary_again: None, world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor == "postgresql":
        listed = backup_module._listed_tables
        monkeypatch.setattr(
            backup_module, "_listed_tables", lambda path: listed(path) - {"core_region"}
        )
        expected = "The dump lacks the data of 1 table: core_region"
    else:
        monkeypatch.setattr(backup_module, "_integrity", _fail_integrity)
        expected = "fails SQLite's integrity check"
    dump = tmp_path / "backup.bin"
    with pytest.raises(CommandError, match=expected):
        call_command("backup", str(dump), stdout=io.StringIO())
    assert not dump.exists() and not (tmp_path / "backup.bin.partial").exists()
    assert not backup_module.manifest_path(dump).exists()


def _fail_integrity(db: sqlite3.Connection, path: Path) -> None:
    raise backup_module.BackupError(
        f"{path.name} fails SQLite's integrity check: row 1 missing from index."
    )


def test_restore_says_when_migrate_must_follow(
    vocabulary_again: None, world: Any, tmp_path: Path
) -> None:
    dump = tmp_path / "backup.bin"
    manifest = _backup(dump)
    assert (
        "core.0001_initial" in manifest["migrations"]
        and "sessions.0001_initial" in manifest["migrations"]
    )
    assert "migrate" not in _restore(dump)  # the backup of this very schema: nothing to do
    latest = max(m for m in manifest["migrations"] if m.startswith("people."))
    manifest["migrations"] = [m for m in manifest["migrations"] if m != latest] + [
        "core.9999_from_the_future"
    ]
    backup_module.manifest_path(dump).write_text(json.dumps(manifest))
    out = _restore(dump)
    assert (
        f"The backup is older than this code ({latest} not applied): run `sleutelnet migrate`"
        in out
    )
    assert "migrations this code does not know (core.9999_from_the_future)" in out
