"""Passwords: argon2id at RFC 9106's cost, unless the settings say otherwise.

The rest of the suite hashes with the cheapest parameters (conftest.CHEAP_ARGON2);
these tests check what a real deployment gets.
"""

import argon2
import pytest
from argon2 import profiles
from conftest import CHEAP_ARGON2, PASSWORD, PASSWORD_HASH

from teamcase import create_app, settings
from teamcase.auth import passwords
from teamcase.settings import SettingsError

ARGON2_VARIABLES = (
    "TEAMCASE_PASSWORD_HASH_TIME_COST",
    "TEAMCASE_PASSWORD_HASH_MEMORY_KIB",
    "TEAMCASE_PASSWORD_HASH_PARALLELISM",
)


@pytest.fixture
def real_app(tmp_path, monkeypatch):
    """An app with the default settings, as a team installs it."""
    for variable in ARGON2_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "SECRET_KEY": "y" * 32})


def test_it_hashes_with_rfc_9106_parameters_by_default(real_app):
    with real_app.app_context():
        hashed = passwords.hasher.hash("a long enough password")
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert argon2.extract_parameters(hashed) == profiles.RFC_9106_LOW_MEMORY
    # argon2-cffi's own defaults are the same recommendation.
    assert argon2.extract_parameters(argon2.PasswordHasher().hash("x")) == (
        profiles.RFC_9106_LOW_MEMORY
    )


def test_an_unknown_email_costs_as_much_as_a_real_password(real_app):
    with real_app.app_context():
        current = passwords.current()
        assert not passwords.verify(None, "a long enough password")
    assert argon2.extract_parameters(current.dummy_hash) == profiles.RFC_9106_LOW_MEMORY


def test_outside_an_app_it_hashes_at_the_default_cost():
    hashed = passwords.hasher.hash("a long enough password")
    assert argon2.extract_parameters(hashed) == profiles.RFC_9106_LOW_MEMORY


def test_the_settings_choose_the_cost(app):
    with app.app_context():
        hashed = passwords.hasher.hash("a long enough password")
        current = passwords.current()
        assert passwords.verify(hashed, "a long enough password")
        assert not passwords.verify(hashed, "another password")
        assert not passwords.verify(None, "a long enough password")
    parameters = argon2.extract_parameters(hashed)
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (1, 8, 1)
    assert argon2.extract_parameters(current.dummy_hash) == parameters
    assert argon2.extract_parameters(PASSWORD_HASH) == parameters
    assert passwords.Passwords.from_settings(CHEAP_ARGON2).verify(PASSWORD_HASH, PASSWORD)


def test_it_refuses_to_start_with_cheap_hashing_outside_tests():
    environ = {"TEAMCASE_SECRET_KEY": "x" * 32, "TEAMCASE_PASSWORD_HASH_MEMORY_KIB": "1024"}
    with pytest.raises(SettingsError, match="TEAMCASE_PASSWORD_HASH_MEMORY_KIB"):
        settings.load(environ=environ)


def test_it_refuses_less_memory_than_the_lanes_need():
    environ = {
        "TEAMCASE_SECRET_KEY": "x" * 32,
        "TEAMCASE_PASSWORD_HASH_MEMORY_KIB": "16",
        "TEAMCASE_PASSWORD_HASH_PARALLELISM": "4",
    }
    with pytest.raises(SettingsError, match="8 KiB per lane"):
        settings.load(environ=environ, overrides={"TESTING": True})


def test_it_reads_the_cost_from_the_environment():
    loaded = settings.load(
        environ={
            "TEAMCASE_SECRET_KEY": "x" * 32,
            "TEAMCASE_PASSWORD_HASH_TIME_COST": "4",
            "TEAMCASE_PASSWORD_HASH_MEMORY_KIB": "131072",
            "TEAMCASE_PASSWORD_HASH_PARALLELISM": "2",
        }
    )
    hashed = passwords.Passwords.from_settings(loaded).hash("a long enough password")
    assert hashed.startswith("$argon2id$v=19$m=131072,t=4,p=2$")
