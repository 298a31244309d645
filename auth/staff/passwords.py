"""Staff passwords: argon2id hashes, a minimum length, and one-time initial passwords."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
_HASHERS = {"normal": PasswordHasher(), "fast": PasswordHasher(time_cost=1, memory_cost=1024)}
# A hash to verify against when the user name is unknown, so both cases take the same time.
_DUMMY = {cost: hasher.hash("no such user") for cost, hasher in _HASHERS.items()}


def hash_password(password: str, cost: str = "normal") -> str:
    return _HASHERS[cost].hash(password)


def verify(password_hash: str | None, password: str, cost: str = "normal") -> bool:
    try:
        return _HASHERS[cost].verify(password_hash or _DUMMY[cost], password)
    except (VerificationError, InvalidHashError):
        return False


def initial_password() -> str:
    """A random password shown once to whoever creates the account."""
    return secrets.token_urlsafe(12)


def too_weak(password: str) -> bool:
    return len(password) < MIN_LENGTH
