"""The database: a deferred proxy, bound to a real database by the app factory."""

from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.migrations import Runner

from teamcase.changes import ChangeStamps
from teamcase.paths import MIGRATIONS

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
}


def sqlite_url(instance_path: str | Path) -> str:
    return f"sqlite:///{Path(instance_path) / 'teamcase.sqlite3'}"


def sqlite_path(url: str) -> str | None:
    """The file a sqlite:/// URL names (or ":memory:"); None for any other URL."""
    return url[len("sqlite:///") :] if url.startswith("sqlite:///") else None


# Connection settings a postgresql:// URL may carry after "?" (libpq's own names),
# with the environment variable PostgreSQL's tools (pg_dump, pg_restore) read each
# from: ?sslmode=require for a server across the network, ?options=-c%20... for a
# server setting per connection, and so on.
CONNECTION_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
}


def postgres_params(url: str) -> dict:
    """Database name, user, password, host and port from a postgresql:// URL, and
    under "options" the CONNECTION_OPTIONS its query string gives."""
    parts = urlparse(url)
    return {
        "database": parts.path.lstrip("/"),
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "host": parts.hostname,
        "port": parts.port,
        "options": dict(parse_qsl(parts.query)),
    }


def unknown_connection_options(url: str) -> list[str]:
    """The names in a postgresql:// URL's query string that teamcase does not pass on."""
    return sorted(set(dict(parse_qsl(urlparse(url).query))) - set(CONNECTION_OPTIONS))


class StampedSqliteDatabase(ChangeStamps, SqliteDatabase):
    """Every write moves its team's change stamp on (teamcase/changes.py)."""


def open_database(url: str):
    """Build a peewee database for a sqlite:/// or postgresql:// URL."""
    path = sqlite_path(url)
    if path is not None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE takes the write lock when a transaction begins, so two
        # workers never both read and then both try to upgrade to a write
        # lock ("database is locked"); they queue on busy_timeout instead.
        return StampedSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    from playhouse.pool import PooledPostgresqlDatabase

    class StampedPostgresqlDatabase(ChangeStamps, PooledPostgresqlDatabase):
        """Every write moves its team's change stamp on (teamcase/changes.py)."""

    params = postgres_params(url)
    options = params.pop("options")
    return StampedPostgresqlDatabase(
        params.pop("database"),
        **params,
        **options,
        max_connections=16,
        stale_timeout=300,
        timeout=10,
    )


def read_snapshot():
    """A transaction for reading many tables one after another (an export) that sees
    them all as they were when it began, while the app goes on writing.

    SQLite: a deferred transaction is a reader; in WAL mode writers carry on and
    it keeps the snapshot of its first read (the app's IMMEDIATE default would
    take the write lock and stop every other writer for as long as it lasts).
    PostgreSQL: REPEATABLE READ keeps one snapshot for the whole transaction.
    Nothing may be written inside it.
    """
    if isinstance(db.obj, SqliteDatabase):
        return db.atomic(lock_type="DEFERRED")
    return db.atomic(isolation_level="REPEATABLE READ READ ONLY")


class _Runner(Runner):
    """Migrations write before the change stamp exists: they move none."""

    def _migrating(self, step, *args, **kwargs):
        database = getattr(self.database, "obj", self.database)
        database.migrating = True
        try:
            return step(*args, **kwargs)
        finally:
            database.migrating = False

    def up(self, *args, **kwargs):
        return self._migrating(super().up, *args, **kwargs)

    def down(self, *args, **kwargs):
        return self._migrating(super().down, *args, **kwargs)


def migration_runner(database=db) -> Runner:
    return _Runner(database, directory=str(MIGRATIONS))


def pending_migrations(database=db) -> list[str]:
    return [m.name for m in migration_runner(database).status() if m.applied is None and m.path]


def unknown_migrations(database=db) -> list[str]:
    """Migrations the database has had that this version of teamcase does not know:
    it was made by a newer one."""
    return [m.name for m in migration_runner(database).status() if m.path is None]


def upgrade() -> list[str]:
    """Apply every pending migration; returns the names applied (empty when current)."""
    return migration_runner().up()
