"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import json

from peewee import SqliteDatabase
from playhouse.schema_diff import diff_models

from teamcase.db import db, migration_runner, pending_migrations, upgrade
from teamcase.models import MODELS, Client, Team


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


def test_two_waiting_invitations_from_before_leave_the_newer_one_waiting(tmp_path):
    """0005 adds one waiting invitation per address and team; two left from before
    it keep only the newer one waiting."""
    database = SqliteDatabase(str(tmp_path / "before.sqlite3"))
    old = db.obj
    db.initialize(database)
    try:
        with db.connection_context():
            migration_runner().up(target="0004_meetings")
            db.execute_sql(
                "INSERT INTO team (name, area, capacity, street, postcode, city, "
                "phone, email, async_days, async_quorum, version, created_at) "
                "VALUES ('T', '', 60, '', '', '', '', '', 3, 5, 1, '2026-01-01')"
            )
            db.execute_sql(
                "INSERT INTO user (email, name, role, team_id, password_hash, active, "
                "must_change_password, created_at) VALUES "
                "('a@t.example.org', 'A', 'member', 1, 'x', 1, 0, '2026-01-01')"
            )
            for token in ("one", "two"):
                db.execute_sql(
                    "INSERT INTO invitation (team_id, email, name, token_hash, invited_by_id, "
                    "created_at, expires_at) VALUES (1, 'k@t.example.org', 'K', ?, 1, "
                    "'2026-01-01', '2099-01-01')",
                    (token,),
                )
            upgrade()
            rows = db.execute_sql(
                "SELECT token_hash, withdrawn_at IS NULL FROM invitation ORDER BY id"
            ).fetchall()
    finally:
        db.initialize(old)
    assert rows == [("one", 0), ("two", 1)]


def test_people_from_before_0007_are_found_by_their_words(tmp_path):
    """0007 keeps each person's search words on their row; the people already
    there get theirs from their name, street and phone number."""
    database = SqliteDatabase(str(tmp_path / "before.sqlite3"))
    old = db.obj
    db.initialize(database)
    try:
        with db.connection_context():
            migration_runner().up(target="0006_sessions_and_logins")
            db.execute_sql(
                "INSERT INTO team (name, area, capacity, street, postcode, city, "
                "phone, email, async_days, async_quorum, version, created_at) "
                "VALUES ('T', '', 60, '', '', '', '', '', 3, 5, 1, '2026-01-01')"
            )
            for name, street, phone in (
                ("Ayşe Özdemir", "Kraaipanstraat 3", "06-12 34 56 78"),
                ("Johanna van Dijk", "", ""),
            ):
                db.execute_sql(
                    "INSERT INTO client (team_id, name, preferred_name, street, postcode, "
                    "city, phone, email, status, care_started_at, close_reason, "
                    "closing_story, last_contact_kind, version, created_at, updated_at) "
                    "VALUES (1, ?, '', ?, '', '', ?, '', 'active', '2026-01-01', '', '', "
                    "'', 1, '2026-01-01', '2026-01-01')",
                    (name, street, phone),
                )
            upgrade()
            team = Team.get()
            found = {
                typed: [p.name for p in Client.caseload(team, search=typed)]
                for typed in ("ozdemir", "0612345678", "kraai", "jo van", "dijk")
            }
    finally:
        db.initialize(old)
    assert found == {
        "ozdemir": ["Ayşe Özdemir"],
        "0612345678": ["Ayşe Özdemir"],
        "kraai": ["Ayşe Özdemir"],
        "jo van": ["Johanna van Dijk"],
        "dijk": ["Johanna van Dijk"],
    }


def test_goals_ended_before_0012_learn_the_day_from_their_history(tmp_path):
    """0012 keeps the day each goal ended; goals already achieved or let go get
    the day their history shows them ending, or else the day they were written."""
    database = SqliteDatabase(str(tmp_path / "before.sqlite3"))
    old = db.obj
    db.initialize(database)
    try:
        with db.connection_context():
            migration_runner().up(target="0008_account_language")
            db.execute_sql(
                "INSERT INTO team (name, area, capacity, street, postcode, city, "
                "phone, email, async_days, async_quorum, version, created_at) "
                "VALUES ('T', '', 60, '', '', '', '', '', 3, 5, 1, '2026-01-01')"
            )
            db.execute_sql(
                "INSERT INTO user (email, name, role, team_id, password_hash, active, "
                "must_change_password, session_generation, language, created_at) VALUES "
                "('a@t.example.org', 'A', 'member', 1, 'x', 1, 0, 0, '', '2026-01-01')"
            )
            db.execute_sql(
                "INSERT INTO client (team_id, name, preferred_name, street, postcode, "
                "city, phone, email, status, care_started_at, close_reason, "
                "closing_story, last_contact_kind, search_text, version, created_at, "
                "updated_at) VALUES (1, 'P', '', '', '', '', '', '', 'active', "
                "'2026-01-01', '', '', '', '', 1, '2026-01-01', '2026-01-01')"
            )
            goals = [
                ("active", "2026-01-02 12:00:00"),
                ("let_go", "2026-01-03 12:00:00"),  # let go on 10 March, says its history
                ("achieved", "2026-01-04 12:00:00"),  # written down as achieved
                ("achieved", "2026-01-05 12:00:00"),  # no history to go by
            ]
            for status, created in goals:
                db.execute_sql(
                    "INSERT INTO goal (client_id, words, why, status, story, help_wanted, "
                    "version, created_at) VALUES (1, 'w', '', ?, '', '', 1, ?)",
                    (status, created),
                )
            events = [
                (2, "create", "2026-01-03 12:00:00", {"after": {"status": "active"}}),
                (
                    2,
                    "update",
                    "2026-03-10 12:00:00",
                    {"before": {"status": "active"}, "after": {"status": "let_go"}},
                ),
                # A later edit of the words only: the goal had ended already.
                (
                    2,
                    "update",
                    "2026-04-01 12:00:00",
                    {"before": {"status": "let_go"}, "after": {"status": "let_go"}},
                ),
                (3, "create", "2026-01-04 12:00:00", {"after": {"status": "achieved"}}),
            ]
            for goal_id, action, at, changes in events:
                db.execute_sql(
                    "INSERT INTO audit_event (team_id, client_id, actor_id, at, action, "
                    "entity, entity_id, changes) VALUES (1, 1, 1, ?, ?, 'goal', ?, ?)",
                    (at, action, goal_id, json.dumps(changes)),
                )
            upgrade()
            ended = db.execute_sql("SELECT status, ended_on FROM goal ORDER BY id").fetchall()
    finally:
        db.initialize(old)
    assert ended == [
        ("active", None),
        ("let_go", "2026-03-10"),
        ("achieved", "2026-01-04"),
        ("achieved", "2026-01-05"),
    ]


def test_the_weekly_figures_of_a_team_from_before_0010_are_counted_on_upgrade(tmp_path):
    """How we are doing starts with the team's history: upgrading a database from
    before the weekly table counts the contacts already there, with every later
    migration's columns in place (counting reads the models as they are now)."""
    from teamcase.models import WeekFigure

    database = SqliteDatabase(str(tmp_path / "before.sqlite3"))
    old = db.obj
    db.initialize(database)
    try:
        with db.connection_context():
            migration_runner().up(target="0008_account_language")
            db.execute_sql(
                "INSERT INTO team (name, area, capacity, street, postcode, city, "
                "phone, email, async_days, async_quorum, version, created_at) "
                "VALUES ('T', '', 60, '', '', '', '', '', 3, 5, 1, '2026-01-01')"
            )
            db.execute_sql(
                "INSERT INTO user (email, name, role, team_id, password_hash, active, "
                "must_change_password, session_generation, language, created_at) VALUES "
                "('a@t.example.org', 'A', 'member', 1, 'x', 1, 0, 0, '', '2026-01-01')"
            )
            db.execute_sql(
                "INSERT INTO client (team_id, name, preferred_name, street, postcode, "
                "city, phone, email, status, care_started_at, close_reason, "
                "closing_story, last_contact_kind, search_text, version, created_at, "
                "updated_at) VALUES (1, 'P', '', '', '', '', '', '', 'active', "
                "'2026-01-01', '', '', '', '', 1, '2026-01-01', '2026-01-01')"
            )
            db.execute_sql(
                "INSERT INTO contact (client_id, author_id, happened_at, minutes, kind, "
                "note, incoming, demand, demand_why, resolved_first_time, version, "
                "created_at) VALUES (1, 1, '2026-11-03 10:00:00', 20, 'call', '', 1, "
                "'failure', 'GP phone line', 0, 1, '2026-11-03 10:00:00')"
            )
            upgrade()
            counted = sorted(
                (str(f.week), f.measure, f.total, f.count) for f in WeekFigure.select()
            )
            WeekFigure.rebuild(Team.get().id)
            again = sorted((str(f.week), f.measure, f.total, f.count) for f in WeekFigure.select())
    finally:
        db.initialize(old)
    assert counted and counted == again
