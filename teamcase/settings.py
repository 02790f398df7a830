"""Settings: defaults from config/default.toml, overrides from TEAMCASE_* variables.

Each setting has the type of its default; a value that does not parse as that
type stops the app at start-up with a message naming the variable.
"""

import os
import tomllib
import zoneinfo

from teamcase.db import CONNECTION_OPTIONS, unknown_connection_options
from teamcase.paths import CONFIG

DEFAULT_SECRET_KEY = "insecure-demo-key-change-me"
ENV_PREFIX = "TEAMCASE_"
# Each request holds a database connection, and each worker's PostgreSQL pool
# holds at most 16 (teamcase.db): a 17th thread would wait for one, then fail.
MAX_THREADS = 16
# The languages teamcase speaks, as the account's choice and in <html lang>.
LANGUAGES = ("nl", "en")


class SettingsError(Exception):
    """A setting is missing, malformed or unsafe; the message says what to do."""


def defaults() -> dict:
    with open(CONFIG / "default.toml", "rb") as fh:
        return tomllib.load(fh)


def _parse(key: str, raw: str, default):
    name = ENV_PREFIX + key
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off", ""}:
            return False
        raise SettingsError(f"{name} must be true or false, not {raw!r}.")
    if isinstance(default, int):
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, not {raw!r}.") from None
        if value < 0:
            raise SettingsError(f"{name} must not be negative.")
        return value
    return raw


def load(overrides: dict | None = None, environ=None, serving: bool = True) -> dict:
    """Merge defaults, environment and explicit overrides; validate the result.

    Administrative commands (`serving=False`) may run with the demo secret key:
    they sign nothing.
    """
    environ = os.environ if environ is None else environ
    settings = defaults()
    for key, default in list(settings.items()):
        if ENV_PREFIX + key in environ:
            settings[key] = _parse(key, environ[ENV_PREFIX + key], default)
    settings.update(overrides or {})
    validate(settings, serving)
    return settings


def validate(settings: dict, serving: bool = True) -> None:
    if (
        serving
        and settings["SECRET_KEY"] == DEFAULT_SECRET_KEY
        and not (settings["DEMO"] or settings["DEBUG"] or settings.get("TESTING"))
    ):
        raise SettingsError(
            "teamcase will not start with the demo secret key. Set TEAMCASE_SECRET_KEY "
            "to a long random value, e.g. the output of: "
            'python3 -c "import secrets; print(secrets.token_hex(32))"'
        )
    if len(settings["SECRET_KEY"]) < 16:
        raise SettingsError("TEAMCASE_SECRET_KEY must be at least 16 characters long.")
    try:
        zoneinfo.ZoneInfo(settings["TIMEZONE"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"TEAMCASE_TIMEZONE {settings['TIMEZONE']!r} is not a known time zone "
            "(use a name such as Europe/Amsterdam)."
        ) from None
    if settings["DEFAULT_LANGUAGE"] not in LANGUAGES:
        raise SettingsError(
            f"TEAMCASE_DEFAULT_LANGUAGE must be one of {', '.join(LANGUAGES)}, "
            f"not {settings['DEFAULT_LANGUAGE']!r}."
        )
    url = settings["DATABASE_URL"]
    if url and not url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise SettingsError(
            "TEAMCASE_DATABASE_URL must start with sqlite:/// or postgresql:// "
            f"(got {url.split(':', 1)[0]}:...)."
        )
    unknown = unknown_connection_options(url) if url.startswith("postgres") else []
    if unknown:
        raise SettingsError(
            f"TEAMCASE_DATABASE_URL asks for {', '.join(unknown)}; a postgresql:// URL "
            f"may give {', '.join(CONNECTION_OPTIONS)} after '?'."
        )
    for key in (
        "SESSION_IDLE_MINUTES",
        "SESSION_MAX_HOURS",
        "LOGIN_BLOCK_AFTER",
        "LOGIN_ADDRESS_BLOCK_AFTER",
        "CASELOAD_PAGE_SIZE",
        "INVITATION_DAYS",
        "PASSWORD_HASH_TIME_COST",
        "PASSWORD_HASH_PARALLELISM",
        "WORKERS",
        "THREADS",
    ):
        if settings[key] < 1:
            raise SettingsError(f"TEAMCASE_{key} must be at least 1.")
    if settings["THREADS"] > MAX_THREADS:
        raise SettingsError(
            f"TEAMCASE_THREADS must be at most {MAX_THREADS}, the database connections "
            "one worker keeps; add workers instead."
        )
    if not [key for key in settings["SUPPORT_CATEGORIES"].split(",") if key.strip()]:
        raise SettingsError(
            'TEAMCASE_SUPPORT_CATEGORIES must name at least one category, e.g. "equipment, other".'
        )
    _validate_password_hashing(settings)


# OWASP's smallest recommended argon2id memory; only the test suite goes lower,
# to hash its cast's passwords in microseconds.
PASSWORD_HASH_MIN_MEMORY_KIB = 19456


def _validate_password_hashing(settings: dict) -> None:
    memory, lanes = settings["PASSWORD_HASH_MEMORY_KIB"], settings["PASSWORD_HASH_PARALLELISM"]
    if memory < 8 * lanes:
        raise SettingsError(
            "TEAMCASE_PASSWORD_HASH_MEMORY_KIB must be at least 8 KiB per lane "
            f"(TEAMCASE_PASSWORD_HASH_PARALLELISM={lanes}): at least {8 * lanes}."
        )
    if memory < PASSWORD_HASH_MIN_MEMORY_KIB and not settings.get("TESTING"):
        raise SettingsError(
            f"TEAMCASE_PASSWORD_HASH_MEMORY_KIB={memory} makes passwords cheap to guess; "
            f"use at least {PASSWORD_HASH_MIN_MEMORY_KIB} (the default is 65536)."
        )
