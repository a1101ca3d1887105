"""Backup and restore of the whole database, with a manifest that proves the round trip.

Why a manifest: a restore that ends without an error can still hold the wrong data (a truncated
dump, another day's file, a dump of another database). Beside every dump we write
`<file>.manifest.json` with, for every table, the row count and a checksum of its content in
primary-key order, taken from the very snapshot that was dumped; `restore` checks the dump file
against it before anything is overwritten, recomputes every table afterwards and fails loudly,
naming the tables, when one differs.

- PostgreSQL: `pg_dump --format=custom`, run inside the snapshot of a REPEATABLE READ transaction
  that also computes the manifest (so a server that keeps working gives a dump and a manifest of
  the same moment); `pg_restore --clean --if-exists --no-owner --single-transaction`, so a dump
  that breaks half-way leaves the database as it was.
- SQLite: the online backup API (`sqlite3.Connection.backup`) both ways: a consistent copy while
  the web server and the worker keep running.

This is an operator's tool, not a domain service: its messages are plain English for the log
of a cron job or a terminal, like the other management commands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection, connections, transaction
from django.db.backends.sqlite3._functions import register as register_django_functions
from django.db.migrations.loader import MigrationLoader

FORMAT = "sleutelnet-backup/1"
MANIFEST_SUFFIX = ".manifest.json"
PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
CHECKSUMS = {
    "postgresql": "md5 over the md5 of every row as text (ROW(t.*)::text), rows in primary-key order",
    "sqlite": "sha256 over repr() of every row, rows in primary-key order",
}
#: OPTIONS of settings.DATABASES that the PostgreSQL client tools read from the environment.
_PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """The backup or restore was refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class TableSum:
    """What the manifest knows of one table."""

    rows: int
    checksum: str


@dataclass
class BackupResult:
    """What `backup` wrote, for the command to print."""

    path: Path
    manifest: Path
    tables: int
    rows: int
    size: int
    sha256: str
    seconds: float


@dataclass
class RestorePlan:
    """Everything checked before a restore overwrites anything (printed for the operator)."""

    path: Path
    manifest: dict[str, Any]
    target: str
    current_tables: int
    current_rows: int
    warnings: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t["rows"] for t in self.manifest["tables"].values())


@dataclass
class RestoreResult:
    """What `restore` restored and verified."""

    tables: int
    rows: int
    seconds: float


def manifest_path(path: Path) -> Path:
    """The manifest lives beside the dump: `<file>.manifest.json`."""
    return path.with_name(path.name + MANIFEST_SUFFIX)


def _vendor() -> str:
    if connection.vendor not in CHECKSUMS:
        raise BackupError(f"Backup supports PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _outside_transaction() -> None:
    # A dump taken or restored by another connection cannot see this connection's open work.
    if connection.in_atomic_block:
        raise BackupError("Backup and restore cannot run inside a database transaction.")


# --- the manifest: count and checksum per table -------------------------------------------------


def table_sums(cursor: Any, vendor: str) -> dict[str, TableSum]:
    """Count and checksum every table (connection.introspection.table_names()) in a stable order.

    `cursor` is a Django cursor (PostgreSQL) or a plain sqlite3 cursor (SQLite, live or dump file):
    the introspection queries take no parameters, so both kinds answer them alike.
    """
    qn = connection.ops.quote_name
    sums: dict[str, TableSum] = {}
    for table in connection.introspection.table_names(cursor):
        if vendor == "postgresql":
            pk = connection.introspection.get_primary_key_columns(cursor, table) or []
            if pk:
                order = ", ".join(f"r.{qn(c)}" for c in pk)
                sql = (
                    "SELECT count(*), coalesce(md5(string_agg(md5(ROW(r.*)::text), '' "  # names from introspection, quoted # noqa: S608 # nosec B608
                    f"ORDER BY {order})), '') FROM {qn(table)} AS r"
                )
            else:  # no primary key: the row hashes themselves give the order
                sql = (
                    "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "  # as above # noqa: S608 # nosec B608
                    f"FROM (SELECT md5(ROW(r.*)::text) AS h FROM {qn(table)} AS r) AS s"
                )
            cursor.execute(sql)
            rows, checksum = cursor.fetchone()
            sums[table] = TableSum(int(rows), checksum)
        else:
            sums[table] = _sqlite_table_sum(cursor, table)
    return sums


def _sqlite_table_sum(cursor: Any, table: str) -> TableSum:
    qn = connection.ops.quote_name
    cursor.execute(f"PRAGMA table_info({qn(table)})")
    info = cursor.fetchall()  # (cid, name, type, notnull, default, pk position)
    columns = [row[1] for row in info]
    pk = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
    order = (
        ", ".join(qn(c) for c in pk) if pk else ", ".join(str(i + 1) for i in range(len(columns)))
    )
    # `+column` is SQLite's no-op: an expression has no declared type, so Django's converters
    # (datetime, bool, ...) leave it alone and the live database and the dump file give the
    # same Python values.
    select = ", ".join(f"+{qn(c)}" for c in columns)
    sql = f"SELECT {select} FROM {qn(table)} ORDER BY {order}"  # names from the schema, quoted # noqa: S608 # nosec B608
    cursor.execute(sql)
    digest = hashlib.sha256()
    count = 0
    while batch := cursor.fetchmany(2000):
        for row in batch:
            digest.update(repr(tuple(row)).encode("utf-8", "surrogatepass"))
            digest.update(b"\n")
        count += len(batch)
    return TableSum(count, digest.hexdigest() if count else "")


def _migrations(cursor: Any, tables: Iterable[str]) -> list[str]:
    """The applied migrations ("app.name"): tell the restore whether `migrate` must follow."""
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in cursor.fetchall()]


def differences(expected: dict[str, Any], actual: dict[str, TableSum]) -> list[str]:
    """One line per table whose rows or content differ from the manifest (empty when all match)."""
    lines: list[str] = []
    for table in sorted(set(expected) | set(actual)):
        want, have = expected.get(table), actual.get(table)
        if want is None:
            lines.append(f"{table}: not in the backup, but in the database ({have.rows} rows)")  # type: ignore[union-attr]
        elif have is None:
            lines.append(f"{table}: in the backup ({want['rows']} rows), missing in the database")
        elif want["rows"] != have.rows:
            lines.append(f"{table}: {want['rows']} rows in the backup, {have.rows} in the database")
        elif want["checksum"] != have.checksum:
            lines.append(f"{table}: {have.rows} rows as in the backup, but their content differs")
    return lines


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _private_file(path: Path) -> None:
    """Create an empty file only its owner can read: a dump holds personal data."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    partial = path.with_name(path.name + ".partial")
    _private_file(partial)
    partial.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    partial.replace(path)


def _version() -> str:
    try:
        return metadata.version("sleutelnet")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise BackupError(f"{path} is a directory; give the name of the backup file to write.")
    if not path.parent.is_dir():
        raise BackupError(f"The directory {path.parent} does not exist.")


# --- the PostgreSQL client tools --------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or (
        f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
    )
    if not found:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools of the server's major "
            "version (e.g. apt-get install postgresql-client-15)."
        )
    return found


def _pg_connection() -> tuple[list[str], dict[str, str]]:
    """Arguments and environment for pg_dump/pg_restore from settings.DATABASES['default'].

    The password goes in PGPASSWORD, never on the command line (where `ps` shows it to anyone).
    """
    db = connection.settings_dict
    args = ["--no-password"]  # never wait for a prompt in a cron job
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    if db.get("NAME"):
        args.append(f"--dbname={db['NAME']}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    for option, variable in _PG_OPTION_ENV.items():
        value = (db.get("OPTIONS") or {}).get(option)
        if value is not None:
            env[variable] = str(value)
    return args, env


def _target_name() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"the SQLite database {db['NAME']}"
    where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"
    return f"the PostgreSQL database {db['NAME']!r} on {where}"


def _tables(n: int) -> str:
    return f"{n} table" if n == 1 else f"{n} tables"


def _tail(text: str | bytes, lines: int = 15) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return "\n".join(text.strip().splitlines()[-lines:])


def _listed_tables(path: Path) -> set[str]:
    """The tables whose data a custom-format dump holds, by `pg_restore --list` (reads the whole TOC)."""
    done = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [_pg_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore cannot read {path.name}:\n{_tail(done.stderr)}")
    tables: set[str] = set()
    for line in done.stdout.splitlines():
        # "4080; 0 16403 TABLE DATA public core_user postgres"
        if line.startswith(";") or " TABLE DATA " not in line:
            continue
        parts = line.split(" TABLE DATA ", 1)[1].split()
        if len(parts) >= 2:
            tables.add(parts[1])
    return tables


# --- backup -----------------------------------------------------------------------------------


def backup(path: Path) -> BackupResult:
    """Dump the database to `path` and write the manifest beside it (both only readable by the owner)."""
    vendor = _vendor()
    _outside_transaction()
    path = Path(path)
    _check_target(path)
    started = time.monotonic()
    partial = path.with_name(path.name + ".partial")
    _private_file(partial)
    try:
        if vendor == "postgresql":
            sums, migrations, tool = _dump_postgresql(partial)
        else:
            sums, migrations, tool = _dump_sqlite(partial)
        sha = _file_sha256(partial)
        size = partial.stat().st_size
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    seconds = time.monotonic() - started
    manifest = {
        "format": FORMAT,
        "vendor": vendor,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sleutelnet": _version(),
        "database": str(connection.settings_dict.get("NAME")),
        "tool": tool,
        "dump": {"file": path.name, "bytes": size, "sha256": sha},
        "checksum": CHECKSUMS[vendor],
        "migrations": migrations,
        "tables": {name: {"rows": s.rows, "checksum": s.checksum} for name, s in sums.items()},
        "seconds": round(seconds, 2),
    }
    manifest_file = manifest_path(path)
    _write_manifest(manifest_file, manifest)
    return BackupResult(
        path=path,
        manifest=manifest_file,
        tables=len(sums),
        rows=sum(s.rows for s in sums.values()),
        size=size,
        sha256=sha,
        seconds=seconds,
    )


def _dump_postgresql(partial: Path) -> tuple[dict[str, TableSum], list[str], str]:
    pg_dump = _pg_tool("pg_dump")
    args, env = _pg_connection()
    tool = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [pg_dump, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        # The manifest and pg_dump read the same exported snapshot: a dump of one moment, even
        # while the web server and the worker keep writing.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={partial}", *args],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
            try:
                sums = table_sums(cursor, "postgresql")  # while pg_dump runs
                migrations = _migrations(cursor, sums)
            except BaseException:
                process.kill()
                process.wait()
                raise
            if process.wait() != 0:
                errors.seek(0)
                raise BackupError(
                    f"pg_dump failed (exit {process.returncode}):\n{_tail(errors.read())}"
                )
    missing = set(sums) - _listed_tables(partial)
    if missing:
        raise BackupError(
            f"The dump lacks the data of {_tables(len(missing))}: {', '.join(sorted(missing))}."
        )
    return sums, migrations, tool


def _dump_sqlite(partial: Path) -> tuple[dict[str, TableSum], list[str], str]:
    connection.ensure_connection()
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
        # A plain rollback-journal file: one self-contained file, readable read-only anywhere.
        target.execute("PRAGMA journal_mode=DELETE")
        _integrity(target, partial)
        # The manifest describes the file that was written, so it is the dump's own snapshot.
        cursor = target.cursor()
        sums = table_sums(cursor, "sqlite")
        return sums, _migrations(cursor, sums), f"sqlite3 {sqlite3.sqlite_version}"
    finally:
        target.close()


def _integrity(db: sqlite3.Connection, path: Path) -> None:
    # Indexes and constraints of the schema call Django's SQL functions (django_date_extract, ...):
    # the plain connection needs them to check those.
    register_django_functions(db)
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path.name} is not a readable SQLite database: {exc}.") from None
    if result != "ok":
        raise BackupError(f"{path.name} fails SQLite's integrity check: {result}.")


# --- restore ----------------------------------------------------------------------------------


def _read_manifest(path: Path) -> dict[str, Any]:
    file = manifest_path(path)
    if not file.exists():
        raise BackupError(
            f"No manifest beside the backup: expected {file}. Restore checks every table against "
            "it, so without it nothing is restored."
        )
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"The manifest {file} cannot be read: {exc}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{file} is not a manifest of a Sleutelnet backup ({FORMAT}).")
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(t, dict)
        and isinstance(t.get("rows"), int)
        and isinstance(t.get("checksum"), str)
        for t in tables.values()
    ):
        raise BackupError(f"The manifest {file} has no valid list of tables.")
    return manifest


def _kind(path: Path) -> str:
    if not path.exists():
        raise BackupError(f"The backup file {path} does not exist.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"The backup file {path} cannot be read: {exc.strerror}.") from None
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    raise BackupError(
        f"{path} is not a Sleutelnet backup: neither a pg_dump custom-format file nor an SQLite database."
    )


_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def prepare_restore(path: Path) -> RestorePlan:
    """Check the dump and its manifest, and what they would overwrite, without changing anything."""
    vendor = _vendor()
    _outside_transaction()
    path = Path(path)
    kind = _kind(path)
    if kind != vendor:
        raise BackupError(
            f"{path.name} is a {_NAMES[kind]} backup, but this Sleutelnet uses {_NAMES[vendor]}: "
            "restore it into a database of the same kind."
        )
    manifest = _read_manifest(path)
    if manifest.get("vendor") != vendor:
        raise BackupError(
            f"The manifest of {path.name} describes a {manifest.get('vendor')} backup, not {_NAMES[vendor]}."
        )
    if _file_sha256(path) != manifest.get("dump", {}).get("sha256"):
        raise BackupError(
            f"The backup file {path.name} does not match its manifest (sha256 differs): it is damaged "
            "or was changed after the backup. Nothing was restored."
        )
    if vendor == "postgresql":
        missing = set(manifest["tables"]) - _listed_tables(path)
        if missing:
            raise BackupError(
                f"The dump lacks the data of the tables {', '.join(sorted(missing))}. Nothing was restored."
            )
        with connection.cursor() as cursor:
            current = _counts(cursor, connection.introspection.table_names(cursor))
        extra = sorted(set(current) - set(manifest["tables"]))
        if extra:
            # pg_restore --clean drops only what the dump holds: these would stay, beside an old
            # django_migrations, and break the next `migrate`.
            raise BackupError(
                f"The database holds {len(extra)} tables the backup does not ({', '.join(extra[:10])}"
                f"{', ...' if len(extra) > 10 else ''}): it is newer than the backup. Restore into an "
                "empty database (dropdb, createdb) instead. Nothing was restored."
            )
    else:
        with _open_sqlite_dump(path) as dump:
            wrong = differences(manifest["tables"], table_sums(dump.cursor(), "sqlite"))
        if wrong:
            raise BackupError(
                f"The backup file {path.name} does not hold what its manifest says; nothing was restored:\n  "
                + "\n  ".join(wrong)
            )
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        current = _counts(cursor, connection.introspection.table_names(cursor))
    warnings = migration_warnings(manifest.get("migrations") or [])
    return RestorePlan(
        path=path,
        manifest=manifest,
        target=_target_name(),
        current_tables=len(current),
        current_rows=sum(current.values()),
        warnings=warnings,
    )


def migration_warnings(applied: Iterable[str]) -> list[str]:
    """What the operator must do after restoring a backup of another schema version than the code's."""
    done = set(applied)
    graph = MigrationLoader(None, ignore_no_migrations=True).graph  # the migrations on disk
    pending = [
        f"{app}.{name}" for app, name in sorted(graph.leaf_nodes()) if f"{app}.{name}" not in done
    ]
    known = {f"{app}.{name}" for app, name in graph.nodes}
    unknown = sorted(done - known)
    warnings: list[str] = []
    if pending:
        warnings.append(
            f"The backup is older than this code ({', '.join(pending[:5])}{', ...' if len(pending) > 5 else ''} "
            "not applied): run `sleutelnet migrate` after the restore."
        )
    if unknown:
        warnings.append(
            f"The backup has migrations this code does not know ({', '.join(unknown[:5])}): it was "
            "made by a newer release; install that release before using the restored database."
        )
    return warnings


class _open_sqlite_dump:
    """The dump file, read-only (a damaged file is refused, not repaired)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> sqlite3.Connection:
        self.db = sqlite3.connect(f"file:{quote(str(self.path.resolve()))}?mode=ro", uri=True)
        try:
            _integrity(self.db, self.path)
        except BaseException:
            self.db.close()
            raise
        return self.db

    def __exit__(self, *exc: object) -> None:
        self.db.close()


def _counts(cursor: Any, tables: Iterable[str]) -> dict[str, int]:
    qn = connection.ops.quote_name
    counts: dict[str, int] = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {qn(table)}")  # names from introspection, quoted # noqa: S608 # nosec B608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def restore(plan: RestorePlan) -> RestoreResult:
    """Overwrite the database with the dump of `plan`, then verify every table against the manifest.

    Raises BackupError naming the tables that differ; the database then holds the restored data,
    which must not be used.
    """
    started = time.monotonic()
    if connection.vendor == "postgresql":
        _restore_postgresql(plan.path)
    else:
        _restore_sqlite(plan.path)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            actual = table_sums(cursor, "postgresql")
            problems = differences(plan.manifest["tables"], actual) + sequence_problems(cursor)
        else:
            actual = table_sums(connection.connection.cursor(), "sqlite")
            problems = differences(plan.manifest["tables"], actual)
    if problems:
        raise BackupError(
            f"Restore verification FAILED: {_tables(len(problems))} differ from the manifest of "
            f"{plan.path.name}. Do not use this database; restore another backup.\n  "
            + "\n  ".join(problems)
        )
    return RestoreResult(
        tables=len(actual),
        rows=sum(s.rows for s in actual.values()),
        seconds=time.monotonic() - started,
    )


def _restore_postgresql(path: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    args, env = _pg_connection()
    # pg_restore connects on its own; Django's connections would hold locks on the tables it drops.
    connections.close_all()
    done = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(path),
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupError(
            f"pg_restore failed (exit {done.returncode}); it ran in one transaction, so the database "
            f"was not changed:\n{_tail(done.stderr)}"
        )


def _restore_sqlite(path: Path) -> None:
    connection.ensure_connection()
    with _open_sqlite_dump(path) as dump:
        dump.backup(connection.connection)


def sequence_problems(cursor: Any) -> list[str]:
    """PostgreSQL: every id sequence must be past the highest id of its table, or the next insert
    fails with a duplicate key (sequences live outside the table rows the checksums cover)."""
    qn = connection.ops.quote_name
    problems: list[str] = []
    for table in connection.introspection.table_names(cursor):
        pk = connection.introspection.get_primary_key_columns(cursor, table) or []
        if len(pk) != 1:
            continue
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [qn(table), pk[0]])
        (sequence,) = cursor.fetchone()
        if not sequence:
            continue
        cursor.execute(
            f"SELECT (SELECT max({qn(pk[0])}) FROM {qn(table)}), last_value, is_called FROM {sequence}"  # names from the catalogue # noqa: S608 # nosec B608
        )
        highest, last, called = cursor.fetchone()
        following = last + 1 if called else last
        if highest is not None and following <= highest:
            problems.append(
                f"{table}: the next id would be {following}, but the table already has {highest}"
            )
    return problems
