"""Copies of the whole database, and putting one back: `teamcase backup` and
`teamcase restore`.

A backup is taken while the app runs, and it is consistent: the database as it
was at one moment, never half of a transaction.

- SQLite: the online backup API copies every page in one step, inside one read
  transaction, through the same pager the app writes through (so what is still
  in the WAL file is in the copy). In WAL mode the app's writers carry on
  meanwhile. The copy is one self-contained file.
- PostgreSQL: `pg_dump` in its custom format, on a snapshot exported from a
  transaction of ours, which counts the rows in that same snapshot: the counts
  it reports are those of the dump.

A restore goes into an empty database: one with no row in any of the app's
tables (a new SQLite path, a database made with `createdb`, or one that has only
had `teamcase db upgrade`), unless `replace` is given. Afterwards it says
whether the schema is current, because the app refuses to serve one that is not.

Both write the file under a temporary name beside PATH and rename it when it is
complete, so a backup cut short never looks like a good one.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from teamcase.db import (
    CONNECTION_OPTIONS,
    SQLITE_PRAGMAS,
    open_database,
    pending_migrations,
    postgres_params,
    sqlite_path,
    unknown_migrations,
)
from teamcase.models import MODELS

# How each kind of backup file begins.
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
BACKENDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The migrations' bookkeeping, written by playhouse.migrations' Runner.
MIGRATIONS_TABLE = "schema_migration"


class BackupError(Exception):
    """A backup or restore refused or failed; the message says what to do."""


@dataclass
class Report:
    """What a backup wrote or a restore put back."""

    path: Path
    size: int
    rows: dict[str, int]
    # After a restore: migrations still to apply (an older backup), and those this
    # teamcase does not know (a backup made by a newer one).
    pending: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def backend(url: str) -> str:
    return "sqlite" if sqlite_path(url) is not None else "postgresql"


def backup(url: str, path, *, force: bool = False) -> Report:
    """Write a consistent copy of the database at `url` to `path`."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the name of the file to write.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists. Choose another name, or add --force.")
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent}; make it first.")
    # mkstemp makes the file readable by its owner only: a backup holds people's details.
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(handle)
    partial = Path(name)
    try:
        if backend(url) == "sqlite":
            rows = _sqlite_backup(url, partial)
        else:
            rows = _postgres_backup(url, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return Report(path, path.stat().st_size, rows)


def restore(url: str, path, *, replace: bool = False) -> Report:
    """Put the backup at `path` into the database at `url`, which must be empty
    unless `replace` is given."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    kind, wanted = backup_kind(path), backend(url)
    if kind is None:
        raise BackupError(
            f"{path} is not a teamcase backup (neither a SQLite database nor a pg_dump file)."
        )
    if kind != wanted:
        raise BackupError(
            f"{path} is a backup of a {BACKENDS[kind]} database, and this installation "
            f"uses {BACKENDS[wanted]}. Restore it into a {BACKENDS[kind]} database."
        )
    if kind == "sqlite":
        _check_sqlite_backup(path)
    database = open_database(url)
    try:
        with database.connection_context():
            held = rows_held(database)
        if held and not replace:
            raise BackupError(
                f"The database is not empty: it holds {sum(held.values()):,} rows "
                f"({_some(held)}). Restore into an empty database, or add --replace "
                "to replace everything in this one."
            )
        if kind == "sqlite":
            _sqlite_restore(path, sqlite_path(url))
        else:
            _postgres_restore(url, path, database)
        with database.connection_context():
            rows = _counts(database, database.get_tables())
            pending, unknown = pending_migrations(database), unknown_migrations(database)
    finally:
        _close(database)
    return Report(path, path.stat().st_size, rows, pending, unknown)


def backup_kind(path: Path) -> str | None:
    with path.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    if start == SQLITE_MAGIC:
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


def rows_held(database) -> dict[str, int]:
    """Rows in each of the app's tables that has any (the migrations' bookkeeping
    is not data: a database that only had `db upgrade` is empty)."""
    tables = set(database.get_tables())
    names = [m._meta.table_name for m in MODELS if m._meta.table_name in tables]
    return {name: count for name, count in _counts(database, names).items() if count}


def _some(held: dict[str, int]) -> str:
    words = {
        "team": ("team", "teams"),
        "user": ("account", "accounts"),
        "client": ("person", "people"),
        "contact": ("contact", "contacts"),
    }
    shown = [f"{held[t]:,} {words[t][held[t] != 1]}" for t in words if t in held]
    return ", ".join(shown) or ", ".join(f"{n:,} in {t}" for t, n in sorted(held.items())[:3])


def _counts(database, tables) -> dict[str, int]:
    return {
        table: database.execute_sql(f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0]
        for table in sorted(tables)
    }


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _close(database):
    if not database.is_closed():
        database.close()
    if hasattr(database, "close_all"):
        database.close_all()


def _sqlite_backup(url: str, target: Path) -> dict[str, int]:
    source_path = sqlite_path(url)
    if source_path == ":memory:" or not Path(source_path).is_file():
        raise BackupError(f"There is no database at {source_path} to back up.")
    source = sqlite3.connect(source_path, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            # pages=-1 (the default): every page in one step, so the copy is one
            # snapshot. Copying a few pages at a time would let the app's writes in
            # between, and the backup would start over after each of them.
            source.backup(copy)
            # One file without a -wal beside it, to move and keep as it is.
            copy.execute("PRAGMA journal_mode=DELETE")
            _quick_check(copy, target)
            tables = [
                row[0]
                for row in copy.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
            return {
                table: copy.execute(f"SELECT COUNT(*) FROM {_quote(table)}").fetchone()[0]
                for table in sorted(tables)
            }
        finally:
            copy.close()
    finally:
        source.close()


def _quick_check(connection, path):
    result = connection.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{path} is damaged: {result}")


def _check_sqlite_backup(path: Path):
    # Read-only: restoring never changes the backup itself.
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        _quick_check(connection, path)
        found = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
        ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} cannot be read as a SQLite database: {error}") from None
    finally:
        connection.close()
    if not found:
        raise BackupError(f"{path} is a SQLite database, but not one of teamcase.")


def _sqlite_restore(path: Path, target_path: str):
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(target_path, timeout=30)
        try:
            # The backup API locks the target while it writes, so a reader never
            # sees half of it; every page is replaced, the schema included.
            source.backup(target)
            # The backup is in rollback-journal mode; the app's database is not.
            target.execute(f"PRAGMA journal_mode={SQLITE_PRAGMAS['journal_mode']}")
        finally:
            target.close()
    finally:
        source.close()


def _postgres_backup(url: str, target: Path) -> dict[str, int]:
    pg_dump = _tool("pg_dump")
    database = open_database(url)
    try:
        with (
            database.connection_context(),
            database.atomic(isolation_level="REPEATABLE READ READ ONLY"),
        ):
            # pg_dump reads the snapshot this transaction holds, and the counts
            # below read it too; it stays valid while the transaction is open.
            snapshot = database.execute_sql("SELECT pg_export_snapshot()").fetchone()[0]
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                url,
            )
            return _counts(database, database.get_tables())
    finally:
        _close(database)


def _postgres_restore(url: str, path: Path, database):
    pg_restore = _tool("pg_restore")
    # Reading the table of contents first: a damaged file fails here, not halfway.
    _run([pg_restore, "--list", str(path)], url)
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            # All or nothing: a restore that fails leaves the database as it was.
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={postgres_params(url)['database']}",
            str(path),
        ],
        url,
    )
    with database.connection_context():
        reset_sequences(database)


def reset_sequences(database):
    """Set every sequence of the current schema past the largest id of its column,
    so that new rows get fresh ids (pg_dump restores them too; this makes sure)."""
    owned = database.execute_sql(
        """
        SELECT quote_ident(n.nspname) || '.' || quote_ident(s.relname),
               quote_ident(t.relname), quote_ident(a.attname)
        FROM pg_class s
        JOIN pg_namespace n ON n.oid = s.relnamespace
        JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')
        JOIN pg_class t ON t.oid = d.refobjid
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        WHERE s.relkind = 'S' AND n.nspname = current_schema()
        """
    ).fetchall()
    for sequence, table, column in owned:
        database.execute_sql(
            f"SELECT setval(%s::regclass, COALESCE(MAX({column}), 0) + 1, false) FROM {table}",
            (sequence,),
        )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed; it comes with PostgreSQL's client tools. "
            "On Debian or Ubuntu: sudo apt-get install postgresql-client"
        )
    return found


def _run(command: list[str], url: str):
    """Run a PostgreSQL tool against the database at `url`."""
    params = postgres_params(url)
    env = dict(os.environ)
    # The connection goes in the environment, so the password is never on a
    # command line that `ps` shows to every user of the machine.
    for key, variable in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("database", "PGDATABASE"),
    ):
        if params[key]:
            env[variable] = str(params[key])
    for key, value in params["options"].items():
        env[CONNECTION_OPTIONS[key]] = value
    # Never wait for a password nobody is there to type (cron, a timer).
    command = [command[0], "--no-password", *command[1:]]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed: {done.stderr.strip() or done.returncode}")
