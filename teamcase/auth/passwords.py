"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

hasher = PasswordHasher()

# Verified against when the email is unknown, so a wrong address costs the
# same time as a wrong password and does not reveal which accounts exist.
_DUMMY_HASH = hasher.hash("not a real password")

MIN_LENGTH = 10


def verify(password_hash: str | None, password: str) -> bool:
    try:
        return hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False
