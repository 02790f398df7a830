"""Password hashing with argon2id.

The cost parameters are settings (PASSWORD_HASH_*); their defaults are argon2-cffi's,
which follow RFC 9106's second recommended option. Each app has its own hasher,
built from its settings on first use, so the test suite can hash and verify its
cast's passwords cheaply while every real deployment pays the full cost.
"""

import functools
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

MIN_LENGTH = 10
EXTENSION = "teamcase.passwords"
# A first password the back office reads out to someone: no letters that look
# alike (0/O, 1/l/I), in groups of four so it can be said over the phone.
FIRST_PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"


class Passwords:
    """argon2id with one set of cost parameters."""

    def __init__(self, time_cost: int, memory_kib: int, parallelism: int):
        self.hasher = PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            type=Type.ID,
        )

    @classmethod
    def from_settings(cls, settings) -> "Passwords":
        return cls(
            time_cost=settings["PASSWORD_HASH_TIME_COST"],
            memory_kib=settings["PASSWORD_HASH_MEMORY_KIB"],
            parallelism=settings["PASSWORD_HASH_PARALLELISM"],
        )

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    @functools.cached_property
    def dummy_hash(self) -> str:
        # Verified against when the email is unknown, so a wrong address costs the
        # same time as a wrong password and does not reveal which accounts exist.
        # Made on first use with these parameters: the cost must match the real hashes.
        return self.hasher.hash("not a real password")

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash or self.dummy_hash, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False


def first_password() -> str:
    """A new first password, good only for choosing one's own at the first login."""
    groups = ("".join(secrets.choice(FIRST_PASSWORD_LETTERS) for _ in range(4)) for _ in range(3))
    return "-".join(groups)


@functools.cache
def _defaults() -> Passwords:
    from teamcase import settings

    return Passwords.from_settings(settings.defaults())


def current() -> Passwords:
    """The running app's hasher; outside an app, one with the default (real) cost."""
    if not has_app_context():
        return _defaults()
    extensions = current_app.extensions
    if EXTENSION not in extensions:
        extensions[EXTENSION] = Passwords.from_settings(current_app.config)
    return extensions[EXTENSION]


class _CurrentHasher:
    """`hasher.hash(password)` hashes with the running app's parameters."""

    def hash(self, password: str) -> str:
        return current().hash(password)


hasher = _CurrentHasher()


def verify(password_hash: str | None, password: str) -> bool:
    return current().verify(password_hash, password)
