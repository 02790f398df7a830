import re
from pathlib import Path

import pytest

from teamcase import create_app, settings
from teamcase.settings import DEFAULT_SECRET_KEY, SettingsError

README = (Path(__file__).parent.parent / "README.md").read_text()


def test_it_documents_every_setting_in_the_readme():
    documented = set(re.findall(r"`TEAMCASE_([A-Z_]+)`", README))
    missing = set(settings.defaults()) - documented
    assert not missing, f"settings missing from README.md: {sorted(missing)}"


def test_it_documents_no_setting_that_does_not_exist():
    documented = set(re.findall(r"`TEAMCASE_([A-Z_]+)`", README))
    assert documented <= set(settings.defaults())


def test_it_refuses_to_start_with_the_demo_key_outside_demo_mode():
    with pytest.raises(SettingsError, match="TEAMCASE_SECRET_KEY"):
        settings.load(environ={})


def test_it_starts_with_the_demo_key_in_demo_mode():
    loaded = settings.load(environ={"TEAMCASE_DEMO": "true"})
    assert loaded["SECRET_KEY"] == DEFAULT_SECRET_KEY


def test_it_lets_administrative_commands_run_with_the_demo_key():
    assert settings.load(environ={}, serving=False)["DEMO"] is False


def test_it_reads_overrides_from_the_environment():
    loaded = settings.load(
        environ={
            "TEAMCASE_SECRET_KEY": "x" * 32,
            "TEAMCASE_SESSION_IDLE_MINUTES": "5",
            "TEAMCASE_DEBUG": "yes",
        }
    )
    assert loaded["SESSION_IDLE_MINUTES"] == 5
    assert loaded["DEBUG"] is True


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TEAMCASE_SESSION_IDLE_MINUTES", "half an hour", "whole number"),
        ("TEAMCASE_SESSION_IDLE_MINUTES", "0", "at least 1"),
        ("TEAMCASE_DEMO", "maybe", "true or false"),
        ("TEAMCASE_TIMEZONE", "Mars/Olympus", "time zone"),
        ("TEAMCASE_DATABASE_URL", "mysql://x", "sqlite:///"),
        ("TEAMCASE_DATABASE_URL", "postgresql://db/teamcase?sslmod=require", "sslmod"),
        ("TEAMCASE_SECRET_KEY", "short", "16 characters"),
        ("TEAMCASE_WORKERS", "0", "at least 1"),
        ("TEAMCASE_THREADS", "many", "whole number"),
        ("TEAMCASE_THREADS", "17", "at most 16"),
    ],
)
def test_it_names_the_variable_of_a_bad_setting(variable, value, message):
    environ = {"TEAMCASE_SECRET_KEY": "x" * 32, variable: value}
    with pytest.raises(SettingsError, match=message):
        settings.load(environ=environ)


def test_create_app_refuses_the_demo_key(tmp_path, monkeypatch):
    monkeypatch.delenv("TEAMCASE_SECRET_KEY", raising=False)
    with pytest.raises(SettingsError):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"})


def test_session_cookies_are_locked_down_outside_debug(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "SECRET_KEY": "y" * 32})
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_the_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("TEAMCASE_DATABASE_URL", raising=False)
    app = create_app({"DEMO": True})
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("teamcase.sqlite3")
    assert app.instance_path in app.config["DATABASE_URL"]


def test_a_postgresql_url_passes_its_connection_options_on():
    from teamcase.db import open_database, postgres_params

    url = "postgresql://teamcase@db.internal:5432/teamcase?sslmode=require&application_name=tc"
    assert postgres_params(url)["options"] == {"sslmode": "require", "application_name": "tc"}
    assert postgres_params(url)["database"] == "teamcase"
    database = open_database(url)
    assert database.connect_params["sslmode"] == "require"
    assert database.connect_params["application_name"] == "tc"
    loaded = settings.load(environ={"TEAMCASE_SECRET_KEY": "x" * 32, "TEAMCASE_DATABASE_URL": url})
    assert loaded["DATABASE_URL"] == url
