"""`teamcase backup` and `teamcase restore`: nothing is lost, on either backend.

Restores go into scratch databases: a file under tmp_path on SQLite, and on
PostgreSQL a database beside TEST_DATABASE_URL's, dropped at the end.
"""

import datetime as dt
import os
import sqlite3
import threading
import time
import urllib.parse

import pytest
from click.testing import CliRunner
from filled import fill

from teamcase import backup as backups
from teamcase.backup import MIGRATIONS_TABLE, BackupError
from teamcase.cli import cli
from teamcase.db import MIGRATIONS, db, migration_runner, open_database
from teamcase.models import MODELS, Client, Contact, Team, utcnow

TABLES = [m._meta.table_name for m in MODELS] + [MIGRATIONS_TABLE]


class ScratchPostgres:
    """A fresh database beside `url`'s, made and dropped through the server's
    `postgres` database."""

    def __init__(self, url: str, suffix: str):
        import psycopg

        self._psycopg = psycopg
        parts = urllib.parse.urlsplit(url)
        base = parts.path.lstrip("/") or "teamcase"
        self.name = f"{base}_{suffix}_{os.getpid()}"[:63]
        self._admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))
        self._run("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        self._run("CREATE DATABASE {}")

    def _run(self, statement: str):
        from psycopg import sql

        with self._psycopg.connect(self._admin, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def drop(self):
        self._run("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@pytest.fixture
def fresh(backend_url, tmp_path):
    """fresh(name) -> the URL of a new, empty database on the suite's backend."""
    scratches = []

    def make(name: str) -> str:
        if backend_url.startswith("sqlite"):
            return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        scratch = ScratchPostgres(backend_url, name)
        scratches.append(scratch)
        return scratch.url

    yield make
    for scratch in scratches:
        scratch.drop()


@pytest.fixture
def source(app, cast, backend_url):
    """The test database with a row in every table; its URL."""
    fill(cast)
    return backend_url


def everything(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, in id order."""
    database = open_database(url)
    try:
        with database.connection_context():
            return {
                table: database.execute_sql(f'SELECT * FROM "{table}" ORDER BY id').fetchall()
                for table in TABLES
            }
    finally:
        backups._close(database)


def test_it_restores_every_row_of_every_table(source, fresh, tmp_path):
    before = everything(source)
    assert all(before[table] for table in TABLES), [t for t in TABLES if not before[t]]
    made = backups.backup(source, tmp_path / "nightly.backup")
    assert made.size == (tmp_path / "nightly.backup").stat().st_size
    assert {t: made.rows[t] for t in TABLES} == {t: len(before[t]) for t in TABLES}

    target = fresh("restored")
    restored = backups.restore(target, tmp_path / "nightly.backup")

    assert everything(target) == before
    assert restored.rows == made.rows
    assert restored.pending == [] and restored.unknown == []


def test_it_restores_into_a_database_that_only_had_db_upgrade(source, fresh, tmp_path):
    backups.backup(source, tmp_path / "b")
    target = fresh("upgraded")
    upgraded = open_database(target)
    with upgraded.connection_context():
        migration_runner(upgraded).up()
    backups._close(upgraded)

    backups.restore(target, tmp_path / "b")

    assert everything(target) == everything(source)


def test_it_refuses_to_restore_into_a_database_that_is_not_empty(source, tmp_path):
    backups.backup(source, tmp_path / "b")
    with db.connection_context():
        Team.create(name="Made after the backup")

    with pytest.raises(BackupError, match="not empty.*--replace"):
        backups.restore(source, tmp_path / "b")

    with db.connection_context():
        assert Team.select().where(Team.name == "Made after the backup").exists()


def test_it_replaces_a_database_that_is_not_empty_when_asked(source, tmp_path):
    backups.backup(source, tmp_path / "b")
    kept = everything(source)
    with db.connection_context():
        Team.create(name="Made after the backup")
    db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()

    backups.restore(source, tmp_path / "b", replace=True)

    assert everything(source) == kept


def test_it_gives_new_rows_fresh_ids_after_a_restore(source, fresh, tmp_path):
    backups.backup(source, tmp_path / "b")
    target = fresh("ids")
    backups.restore(target, tmp_path / "b")
    with db.connection_context():
        last_team = Team.select().order_by(Team.id.desc()).first().id
        last_person = Client.select().order_by(Client.id.desc()).first().id

    restored = open_database(target)
    try:
        with restored.bind_ctx(MODELS), restored.connection_context():
            team = Team.create(name="After the restore")
            person = Client.create(team=team, name="Nieuw Persoon")
    finally:
        backups._close(restored)

    assert team.id > last_team
    assert person.id > last_person


def _contacts_and_their_audit(url: str, person_id: int) -> tuple[int, int, object, object]:
    """Contacts of the person, "recorded a contact" events, the newest contact and the
    person's last contact: one transaction writes all of them."""
    database = open_database(url)
    try:
        with database.connection_context():
            row = database.execute_sql(
                "SELECT (SELECT COUNT(*) FROM contact WHERE client_id = c.id),"
                " (SELECT COUNT(*) FROM audit_event WHERE client_id = c.id"
                "  AND entity = 'contact' AND action = 'create'),"
                " (SELECT MAX(happened_at) FROM contact WHERE client_id = c.id),"
                " c.last_contact_at"
                " FROM client c WHERE c.id = %s".replace("%s", database.param),
                (person_id,),
            ).fetchone()
    finally:
        backups._close(database)
    return row


def test_it_backs_up_consistently_while_contacts_are_written(source, cast, fresh, tmp_path):
    stop, errors, written = threading.Event(), [], []
    person_id = cast.person_a.id

    def write_contacts():
        try:
            with db.connection_context():
                person = Client.get_by_id(person_id)
                while not stop.is_set():
                    Contact.record(
                        person,
                        by=cast.a1,
                        happened_at=utcnow() + dt.timedelta(seconds=len(written)),
                        minutes=5,
                        kind="phone",
                        note=f"Call {len(written)}",
                    )
                    written.append(1)
        except Exception as error:  # the main thread reports it
            errors.append(error)

    def wait_for(count):
        deadline = time.monotonic() + 30
        while len(written) < count and not errors and time.monotonic() < deadline:
            time.sleep(0.01)

    with db.connection_context():
        at_start = Contact.select().where(Contact.client == person_id).count()
    writer = threading.Thread(target=write_contacts, name="contact-writer")
    writer.start()
    seen, copy = [], None
    try:
        for i in range(3):
            wait_for(len(written) + 5)
            written_before = len(written)
            backups.backup(source, tmp_path / f"b{i}")
            written_after = len(written)
            if source.startswith("sqlite"):
                copy = f"sqlite:///{tmp_path / f'b{i}'}"
            else:
                copy = copy or fresh("busy")
                backups.restore(copy, tmp_path / f"b{i}", replace=True)
            contacts, audited, newest, last_contact = _contacts_and_their_audit(copy, person_id)
            # Never half of Contact.record: the contact, its audit event and the
            # person's last contact are there together or not at all.
            assert contacts == audited
            assert str(newest) == str(last_contact)
            assert at_start + written_before <= contacts <= at_start + written_after + 1
            seen.append(contacts)
    finally:
        stop.set()
        writer.join(timeout=30)
    assert not errors, errors
    assert seen == sorted(seen) and seen[0] < seen[-1], "the backups ran while contacts came in"


def test_it_refuses_to_overwrite_a_backup_unless_forced(source, tmp_path):
    path = tmp_path / "b"
    path.write_bytes(b"last night's")

    with pytest.raises(BackupError, match="already exists.*--force"):
        backups.backup(source, path)
    assert path.read_bytes() == b"last night's"

    backups.backup(source, path, force=True)
    assert backups.backup_kind(path) in ("sqlite", "postgresql")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_it_names_the_package_when_pg_dump_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump is not installed.*postgresql-client"):
        backups.backup("postgresql://teamcase@127.0.0.1:1/teamcase", tmp_path / "b")
    assert not list(tmp_path.iterdir())


def test_it_refuses_a_file_that_is_not_a_backup_of_this_backend(source, fresh, tmp_path):
    (tmp_path / "notes.txt").write_text("not a database")
    with pytest.raises(BackupError, match="not a teamcase backup"):
        backups.restore(fresh("x"), tmp_path / "notes.txt")

    other = tmp_path / "other"
    if source.startswith("sqlite"):
        other.write_bytes(b"PGDMP\x01\x0e\x00")
        match = "PostgreSQL database, and this installation uses SQLite"
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (id INTEGER)").connection.close()
        match = "SQLite database, and this installation uses PostgreSQL"
    with pytest.raises(BackupError, match=match):
        backups.restore(fresh("y"), other)


def test_it_says_an_older_backup_needs_db_upgrade(fresh, tmp_path):
    old = fresh("old")
    database = open_database(old)
    with database.connection_context():
        migration_runner(database).up(target="0004_meetings")
    backups._close(database)
    backups.backup(old, tmp_path / "old.backup")

    restored = backups.restore(fresh("new"), tmp_path / "old.backup")

    assert restored.pending == [m.name for m in migration_runner(database).migrations()][4:]
    assert restored.unknown == []


@pytest.fixture
def run(tmp_path, monkeypatch):
    """The `teamcase` command against a SQLite file of its own."""
    monkeypatch.delenv("TEAMCASE_SECRET_KEY", raising=False)
    # The command speaks the install's default language; the suite reads English.
    monkeypatch.setenv("TEAMCASE_DEFAULT_LANGUAGE", "en")
    runner = CliRunner()

    def invoke(*args, database="live"):
        monkeypatch.setenv("TEAMCASE_DATABASE_URL", f"sqlite:///{tmp_path}/{database}.sqlite3")
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke


def test_the_commands_say_what_they_wrote_and_restored(run, tmp_path):
    assert run("db", "upgrade").exit_code == 0
    assert run("create-team", "Oost").exit_code == 0
    path = tmp_path / "nightly.sqlite3"

    made = run("backup", str(path))
    assert made.exit_code == 0, made.output
    assert f"Wrote {path} (" in made.output
    assert "KB)" in made.output
    # One row per migration in the migrations table, and the team's.
    rows = len(list(MIGRATIONS.glob("[0-9]*.py"))) + 1
    assert f"{len(TABLES)} tables, {rows} rows (1 team, 0 people)" in made.output
    assert "  team " in made.output

    again = run("backup", str(path))
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert run("backup", str(path), "--force").exit_code == 0

    restored = run("restore", str(path), database="fresh")
    assert restored.exit_code == 0, restored.output
    assert "Restored" in restored.output
    assert "The schema is up to date." in restored.output

    refused = run("restore", str(path), database="fresh")
    assert refused.exit_code == 1
    assert "not empty" in refused.output
    assert "1 team" in refused.output
