"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from peewee import SqliteDatabase
from playhouse.schema_diff import diff_models

from teamcase.db import db, migration_runner, pending_migrations, upgrade
from teamcase.models import MODELS


def test_it_builds_the_models_schema_from_an_empty_database(app):
    # The session fixture ran every migration on an empty database of this backend.
    with db.connection_context():
        difference = diff_models(db.obj, MODELS)
    assert not difference, f"models and migrations disagree:\n{difference}"


def test_upgrade_is_idempotent(app):
    with db.connection_context():
        assert upgrade() == []
        assert pending_migrations() == []


def test_it_runs_on_a_brand_new_sqlite_file(tmp_path):
    database = SqliteDatabase(str(tmp_path / "fresh.sqlite3"))
    old = db.obj
    db.initialize(database)
    try:
        with db.connection_context():
            assert pending_migrations() == [m.name for m in migration_runner().migrations()]
            assert upgrade()
            assert not diff_models(database, MODELS)
            assert pending_migrations() == []
    finally:
        db.initialize(old)


def test_the_app_refuses_to_serve_an_outdated_schema(tmp_path):
    from teamcase import create_app

    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3"})
    response = app.test_client().get("/login")
    assert response.status_code == 503
    assert b"teamcase db upgrade" in response.data
    # /healthz still answers so that monitoring sees the server is up.
    assert app.test_client().get("/healthz").status_code == 200
