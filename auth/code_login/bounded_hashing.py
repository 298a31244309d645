"""argon2id hashers that share a per-process bound, so a burst of log-ins (right or wrong, codes
or passwords) leaves the other cores to everybody else's pages."""

import os
import threading

from argon2 import PasswordHasher

# At most this many hashes run at once per process (half the cores, at least one).
HASH_SLOTS = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) // 2))


class BoundedHasher(PasswordHasher):
    """An argon2id hasher that waits for one of `HASH_SLOTS` before hashing or verifying."""

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        with HASH_SLOTS:
            return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with HASH_SLOTS:
            return super().verify(hash, password)
