"""A token's text and its stored hash.

A token reads `kompass_<public id>_<secret>`: the public id finds the row, the secret (256
random bits) proves it. The secret is kept as its SHA-256 only: nobody can guess 256 random
bits, so a slow hash (argon2, as for passwords) would protect nothing more and make every
request pay for it; GitHub's and GitLab's tokens are checked the same way.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX = "kompass"
TOKEN = re.compile(r"kompass_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})")


@dataclass(frozen=True)
class Presented:
    """A token as a client sent it, split into its parts."""

    public_id: str
    secret: str


def new() -> tuple[str, str, str]:
    """(public id, secret, the token's whole text)."""
    public_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return public_id, secret, f"{PREFIX}_{public_id}_{secret}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, stored: str) -> bool:
    return hmac.compare_digest(digest(secret), stored)


def parse(text: str) -> Presented | None:
    """The token's parts, or None when the text is not a token's shape."""
    found = TOKEN.fullmatch(text.strip())
    return Presented(found[1], found[2]) if found else None
