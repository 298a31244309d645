"""Server-driven paging: where the next page begins, in an opaque `$skiptoken`.

Pages follow response ids (keyset paging: `id > after`, never OFFSET). The token holds the last
id served, what is left of the client's `$skip` and `$top`, and a digest of the request it
belongs to; it is encrypted and authenticated with Fernet (`cryptography`: AES-CBC with an
HMAC-SHA256, keyed from the app's secret), so a client can neither read the id, which a
pseudonymised reader must never see, nor change any of it, and it expires after a day."""

import base64
import hashlib
import json
from dataclasses import asdict, dataclass

from api.odata.errors import bad_request

LIFETIME_SECONDS = 24 * 3600
PURPOSE = b"kompass odata skiptoken\0"


@dataclass(frozen=True)
class Position:
    """Where a page begins: after response id `after` (None: the first), with `skip` rows
    still to skip and at most `top` rows still to give (None: all)."""

    after: int | None = None
    skip: int = 0
    top: int | None = None


def request_digest(*parts: object) -> str:
    """A short digest of what the request asked (the token must come back with the same)."""
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:32]


def _fernet(secret: str):
    from cryptography.fernet import Fernet  # at first use: a process starts without it

    key = hashlib.sha256(PURPOSE + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def token(secret: str, position: Position, digest: str) -> str:
    payload = json.dumps({"position": asdict(position), "request": digest})
    return _fernet(secret).encrypt(payload.encode()).decode()


def position(secret: str, text: str, digest: str) -> Position:
    """The position a token holds; a token that was changed, expired or made for another
    request is refused."""
    from cryptography.fernet import InvalidToken

    try:
        payload = json.loads(_fernet(secret).decrypt(text.encode(), ttl=LIFETIME_SECONDS))
    except (InvalidToken, ValueError):
        raise bad_request("$skiptoken is not valid (or expired): start again without it") from None
    if payload["request"] != digest:
        raise bad_request("$skiptoken belongs to another request: keep the nextLink as it is")
    return Position(**payload["position"])
