"""The authorization code flow with PKCE: state, nonce and code verifier kept in this browser's
session for one answer; the code exchanged once; the ID token checked."""

import hmac
import secrets
import time
from dataclasses import dataclass

from flask import session

from auth.oidc import id_token
from auth.oidc.provider import Provider
from auth.oidc.refusals import Refused

PENDING_KEY = "oidc_pending"
PENDING_SECONDS = 600


@dataclass(frozen=True)
class Proof:
    """What a checked answer proves: the ID token's claims, the token (for signing out) and
    where the user was going."""

    claims: dict
    id_token: str
    next: str | None


def start(provider: Provider, redirect_uri: str, next_path: str | None) -> str:
    """The provider's authorization URL; what the answer must match is kept in the session."""
    endpoint = provider.metadata()["authorization_endpoint"]
    pending = {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(48),
        "next": next_path,
        "until": int(time.time()) + PENDING_SECONDS,
    }
    extra = {"acr_values": provider.settings.acr_values} if provider.settings.acr_values else {}
    with provider.client(redirect_uri) as client:
        url, _ = client.create_authorization_url(
            endpoint, state=pending["state"], nonce=pending["nonce"],
            code_verifier=pending["verifier"], **extra,
        )  # fmt: skip
    session[PENDING_KEY] = pending
    return url


def finish(provider: Provider, answer: dict, redirect_uri: str) -> Proof:
    """The provider's answer (the callback's query) checked; the pending sign-in is used up."""
    pending = session.pop(PENDING_KEY, None)
    if not _belongs(pending, answer.get("state", "")):
        raise Refused("state")
    if answer.get("error"):
        raise Refused("provider_error")
    if "iss" in answer and answer["iss"] != provider.settings.issuer:
        raise Refused("issuer")  # RFC 9207: an answer from another provider (mix-up)
    code = answer.get("code", "")
    if not code:
        raise Refused("provider_error")
    tokens = provider.exchange(code, pending["verifier"], redirect_uri)
    token = tokens.get("id_token")
    if not isinstance(token, str):
        raise Refused("token")
    claims = id_token.validate(provider, token, pending["nonce"])
    return Proof(claims, token, pending.get("next"))


def _belongs(pending: object, state: str) -> bool:
    return (
        isinstance(pending, dict)
        and time.time() <= pending.get("until", 0)
        and hmac.compare_digest(str(pending.get("state", "")).encode(), state.encode())
    )
