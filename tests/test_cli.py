"""The `teamcase` command, run as a newcomer would, against its own SQLite file."""

import datetime as dt

import pytest
from click.testing import CliRunner
from conftest import make_app, release_connections
from demo_seeds import demo_seed

from teamcase.auth.passwords import verify
from teamcase.cli import cli
from teamcase.db import db
from teamcase.models import Client, CoachLink, Contact, Task, Team, User


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMCASE_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite3")
    monkeypatch.delenv("TEAMCASE_SECRET_KEY", raising=False)
    # The command speaks the install's default language; the suite reads English.
    monkeypatch.setenv("TEAMCASE_DEFAULT_LANGUAGE", "en")
    runner = CliRunner()

    def invoke(*args, input=None):
        result = runner.invoke(cli, list(args), input=input, catch_exceptions=False)
        return result

    return invoke


@pytest.fixture
def upgraded(run):
    assert run("db", "upgrade").exit_code == 0
    return run


def test_every_command_explains_itself(run):
    result = run("--help")
    for command in (
        "demo",
        "serve",
        "db",
        "create-team",
        "create-user",
        "link-coach",
        "seed-demo",
        "seed-scale",
        "backup",
        "restore",
    ):
        assert command in result.output
        assert run(*command.split(), "--help").exit_code == 0


def test_db_upgrade_is_idempotent(run):
    first = run("db", "upgrade")
    assert first.exit_code == 0
    assert "applied 0001_initial" in first.output
    again = run("db", "upgrade")
    assert again.exit_code == 0
    assert "up to date" in again.output


def test_it_creates_a_team_a_member_a_coach_and_links_them(upgraded):
    run = upgraded
    assert run("create-team", "Oost", "--area", "Oost-Noord").exit_code == 0
    result = run(
        "create-user",
        "Anna@Example.org",
        "--name",
        "Anna",
        "--team",
        "Oost",
        "--password",
        "long enough password",
    )
    assert result.exit_code == 0, result.output
    assert (
        run(
            "create-user",
            "coach@example.org",
            "--name",
            "Carla",
            "--role",
            "coach",
            "--password",
            "long enough password",
        ).exit_code
        == 0
    )
    assert run("link-coach", "coach@example.org", "Oost").exit_code == 0
    with db.connection_context():
        anna = User.by_email("anna@example.org")
        assert anna.team.name == "Oost"
        assert verify(anna.password_hash, "long enough password")
        assert CoachLink.select().count() == 1


def test_it_asks_for_the_password_when_not_given(upgraded):
    upgraded("create-team", "Oost")
    result = upgraded(
        "create-user",
        "b@example.org",
        "--name",
        "B",
        "--team",
        "Oost",
        input="a secret password\na secret password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a secret password" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("create-user", "x@example.org", "--name", "X", "--password", "long enough pw"),
            "A member needs --team",
        ),
        (
            (
                "create-user",
                "x@example.org",
                "--name",
                "X",
                "--team",
                "Nope",
                "--password",
                "long enough pw",
            ),
            "No team called 'Nope'",
        ),
        (
            (
                "create-user",
                "x@example.org",
                "--name",
                "X",
                "--team",
                "Oost",
                "--password",
                "short",
            ),
            "at least 10",
        ),
        (("create-team", "Oost"), "already exists"),
        (("link-coach", "nobody@example.org", "Oost"), "No coach account"),
    ],
)
def test_mistakes_get_a_clear_message(upgraded, args, message):
    upgraded("create-team", "Oost")
    result = upgraded(*args)
    assert result.exit_code != 0
    assert message in result.output


def test_serve_refuses_the_demo_secret_key(upgraded):
    result = upgraded("serve")
    assert result.exit_code == 2
    assert "TEAMCASE_SECRET_KEY" in result.output


def test_serve_refuses_an_outdated_database(run, monkeypatch):
    monkeypatch.setenv("TEAMCASE_SECRET_KEY", "k" * 32)
    result = run("serve")
    assert result.exit_code == 2
    assert "teamcase db upgrade" in result.output


def test_seed_demo_loads_a_believable_team(tmp_path_factory, run, monkeypatch):
    # In the install's language, Dutch unless set, and its accounts see it so; the
    # command says so in that language too. The demo's Dutch seeding runs this very
    # command, once for the run (tests/demo_seeds.py): read what it said and did.
    seeded = demo_seed(tmp_path_factory, "nl")
    output = seeded["output"]
    assert "anna@oost.example.org" in output
    assert "ziet teamcase in het Nederlands" in output
    assert "Teams en accounts" in output  # its progress too
    assert "teamlid, Buurtzorg Oost-Noord" in output
    app = make_app(seeded["url"])
    with app.app_context(), db.connection_context():
        team = Team.get(Team.name == "Buurtzorg Oost-Noord")
        assert 8 <= team.active_members().count() <= 12
        assert Client.select().where(Client.team == team).count() >= 45
        assert Contact.select().count() > 300
        assert User.by_email("anna@oost.example.org").language == "nl"
        assert Task.select().where(Task.title == "Steunkousen bestellen (klasse 2, maat M)")
    release_connections()
    monkeypatch.setenv("TEAMCASE_DATABASE_URL", seeded["url"])
    monkeypatch.delenv("TEAMCASE_DEFAULT_LANGUAGE")
    again = run("seed-demo")
    assert again.exit_code != 0
    assert "heeft al teams" in again.output


def test_seed_scale_adds_teams_people_and_contacts(upgraded):
    result = upgraded(
        "seed-scale", "--teams", "2", "--clients-per-team", "5", "--contacts-per-client", "3"
    )
    assert result.exit_code == 0, result.output
    with db.connection_context():
        assert Team.select().count() == 2
        assert Client.select().count() == 10
        assert Contact.select().count() == 30
        assert Client.select().where(Client.last_contact_at.is_null()).count() == 0


@pytest.fixture
def seeding(monkeypatch):
    """The languages seed_demo was asked for, without seeding (that is test_demo's)."""
    import teamcase.demo

    asked = []

    def seed_demo(progress=None, lang="en", now=None):
        asked.append(lang)
        return {"logins": teamcase.demo.demo_logins(lang)}

    monkeypatch.setattr(teamcase.demo, "seed_demo", seed_demo)
    return asked


def test_seed_demo_loads_the_language_asked_for(upgraded, seeding, monkeypatch):
    english = upgraded("seed-demo", "--lang", "en")
    assert english.exit_code == 0, english.output
    assert "sees teamcase in English" in english.output
    monkeypatch.setenv("TEAMCASE_DEFAULT_LANGUAGE", "en")
    assert upgraded("seed-demo").exit_code == 0
    assert upgraded("seed-demo", "--lang", "nl").exit_code == 0
    assert seeding == ["en", "en", "nl"]
    unknown = upgraded("seed-demo", "--lang", "de")
    assert unknown.exit_code == 2
    assert "'en', 'nl'" in unknown.output or "en, nl" in unknown.output


def test_demo_loads_the_language_asked_for_and_serves_it(run, seeding, monkeypatch):
    import teamcase.server

    served = []
    monkeypatch.setattr(teamcase.server, "serve_embedded", lambda *a, **k: served.append(a))
    result = run("demo", "--lang", "en", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert seeding == ["en"]
    assert "sees teamcase in English" in result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert len(served) == 1
    # A database with teams is served as it is, in the language it was loaded in.
    assert run("create-team", "Oost").exit_code == 0
    again = run("demo")
    assert again.exit_code == 0, again.output
    assert seeding == ["en"]
    assert "already has teams" in again.output
    # No demo account says which language it was loaded in: the install's (English here).
    assert "sees teamcase in English" in again.output


def _teamcase(*args, language):
    """The installed command as a person runs it: `main` chooses the language."""
    import os
    import subprocess
    import sys

    environ = dict(os.environ, TEAMCASE_DEFAULT_LANGUAGE=language, LANGUAGE="en_GB")
    return subprocess.run(
        [sys.executable, "-c", "from teamcase.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=60,
    )


def test_help_and_clicks_own_words_speak_the_install_language():
    dutch = _teamcase("--help", language="nl")
    assert dutch.returncode == 0
    for said in ("Gebruik: teamcase", "Opties:", "Opdrachten:", "Toon deze uitleg en stop."):
        assert said in dutch.stdout
    assert "Maak een team met de naam NAME." in dutch.stdout
    for english in ("Usage:", "Options:", "Commands:", "Show this message", "Create a team"):
        assert english not in dutch.stdout

    english = _teamcase("--help", language="en")
    assert "Usage: teamcase" in english.stdout
    assert "Create a team called NAME." in english.stdout


def test_a_command_line_mistake_is_told_in_the_install_language():
    dutch = _teamcase("backup", language="nl")
    assert dutch.returncode == 2
    assert "Fout: Argument ontbreekt 'PATH'." in dutch.stderr
    assert "Probeer 'teamcase backup --help' voor uitleg." in dutch.stderr
    options = _teamcase("create-user", "--help", language="nl").stdout
    assert "Volledige naam, zoals collega’s haar of hem" in options
    assert "Full name" not in options
    assert "Error: Missing argument 'PATH'." in _teamcase("backup", language="en").stderr


def test_every_help_text_and_click_sentence_has_its_dutch():
    from babel.support import Translations

    from teamcase.cli import help_texts
    from teamcase.i18n import TRANSLATIONS

    dutch = Translations.load(str(TRANSLATIONS), ["nl"])
    untranslated = [text for _o, _n, text in help_texts() if dutch.gettext(text) == text]
    assert untranslated == []


def test_it_counts_the_weekly_figures_again(upgraded):
    from teamcase.models import WeekFigure

    run = upgraded
    assert run("create-team", "Oost").exit_code == 0
    with db.connection_context():
        team = Team.get(Team.name == "Oost")
        user = User.create(
            email="a@example.org", name="A", role=User.MEMBER, team=team, password_hash="x"
        )
        person = Client.open(team, by=user, name="Mies", phone="06")
        Contact.record(
            person, by=user, happened_at=dt.datetime(2026, 3, 3, 9), minutes=30, kind="phone"
        )
        WeekFigure.delete().execute()
    result = run("rebuild-measures", "--team", "Oost")
    assert result.exit_code == 0, result.output
    assert "1 team" in result.output
    with db.connection_context():
        assert WeekFigure.select().where(WeekFigure.measure == "care_minutes").count() == 1
    assert run("rebuild-measures", "--team", "Nowhere").exit_code != 0
