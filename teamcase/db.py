"""The database: a deferred proxy, bound to a real database by the app factory."""

from pathlib import Path
from urllib.parse import unquote, urlparse

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.migrations import Runner

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


def open_database(url: str):
    """Build a peewee database for a sqlite:/// or postgresql:// URL."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///") :]
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # IMMEDIATE takes the write lock when a transaction begins, so two
        # workers never both read and then both try to upgrade to a write
        # lock ("database is locked"); they queue on busy_timeout instead.
        return SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    from playhouse.pool import PooledPostgresqlDatabase

    parts = urlparse(url)
    return PooledPostgresqlDatabase(
        parts.path.lstrip("/"),
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        host=parts.hostname,
        port=parts.port,
        max_connections=16,
        stale_timeout=300,
        timeout=10,
    )


def migration_runner() -> Runner:
    return Runner(db, directory=str(MIGRATIONS))


def pending_migrations() -> list[str]:
    return [m.name for m in migration_runner().status() if m.applied is None and m.path]


def upgrade() -> list[str]:
    """Apply every pending migration; returns the names applied (empty when current)."""
    return migration_runner().up()
