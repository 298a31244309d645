"""The ID token checked: signature against the provider's keys, issuer, audience, nonce, expiry."""

import time

from joserfc import jwt
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError

from auth.oidc.provider import Provider
from auth.oidc.refusals import Refused

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
CLAIM_REASONS = {"iss": "issuer", "nonce": "nonce"}


def now() -> int:
    return int(time.time())


def validate(provider: Provider, id_token: str, nonce: str) -> dict:
    """The token's claims if it is the provider's, for this client and sign-in, and current."""
    settings = provider.settings
    token = _decode(provider, id_token)
    registry = jwt.JWTClaimsRegistry(
        now=lambda: now(),
        leeway=settings.leeway,
        iss={"essential": True, "value": settings.issuer},
        aud={"essential": True, "value": settings.client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(token.claims)
    except ExpiredTokenError as error:
        raise Refused("expired") from error
    except ClaimError as error:
        raise Refused(CLAIM_REASONS.get(error.claim, "token")) from error
    _check_party(token.claims, settings.client_id)
    return token.claims


def _decode(provider: Provider, id_token: str):
    """Verified against the kept keys, else against keys fetched anew (a rolled key)."""
    for again in (False, True):
        try:
            return jwt.decode(id_token, provider.keys(again), algorithms=ALGORITHMS)
        except (JoseError, ValueError) as error:
            failure = error
    raise Refused("token") from failure


def _check_party(claims: dict, client_id: str) -> None:
    """A token for several audiences must name this client as the party it was issued to."""
    audience = claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise Refused("token")
