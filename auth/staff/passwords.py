"""Staff passwords: argon2id hashes, a minimum length, and one-time initial passwords.

The cost is OWASP's first argon2id choice (46 MiB, one pass, one lane): people choose
passwords, so they need a real memory-hard cost, and one lane keeps a hash on one core. Hashes
share the per-process bound of code hashes (`bounded_hashing.HASH_SLOTS`), so a burst of wrong
passwords waits its turn instead of taking every core and 64 MiB per request (docs/security.md).
Hashes made with other parameters still verify (argon2 reads them from the hash) and are
rehashed at the next right log-in.
"""

import secrets
from functools import lru_cache

from argon2.exceptions import InvalidHashError, VerificationError

from auth.code_login.bounded_hashing import BoundedHasher

MIN_LENGTH = 12
HASHERS = {
    "normal": BoundedHasher(time_cost=1, memory_cost=46 * 1024, parallelism=1),
    "fast": BoundedHasher(time_cost=1, memory_cost=1024, parallelism=1),
}


@lru_cache(maxsize=len(HASHERS))
def _dummy(cost: str) -> str:
    """A hash to verify against when the user name is unknown, so both cases take the same time.

    Made at the first use, not at import: a command that checks no password hashes nothing."""
    return HASHERS[cost].hash("no such user")


def hash_password(password: str, cost: str = "normal") -> str:
    return HASHERS[cost].hash(password)


def verify(password_hash: str | None, password: str, cost: str = "normal") -> bool:
    try:
        return HASHERS[cost].verify(password_hash or _dummy(cost), password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, cost: str = "normal") -> bool:
    return HASHERS[cost].check_needs_rehash(password_hash)


def initial_password() -> str:
    """A random password shown once to whoever creates the account."""
    return secrets.token_urlsafe(12)


def too_weak(password: str) -> bool:
    return len(password) < MIN_LENGTH
