"""The ID token check on its own: a token signed by another key, naming another issuer or
audience, with another nonce or expired, is refused with its reason."""

import time

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from auth.oidc import id_token
from auth.oidc.refusals import Refused
from auth.oidc.settings import OidcSettings

ISSUER = "https://login.example.test"
SETTINGS = OidcSettings(
    issuer=ISSUER, client_id="kompass", client_secret="secret", scopes="openid", user_claim="email",
    acr_values="", second_factor_acr=frozenset(), second_factor_amr=frozenset(), button_label="",
    leeway=60,
)  # fmt: skip
KEY = RSAKey.generate_key(2048, parameters={"kid": "one"})
OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "one"})


class Keys:
    """A provider whose key set is `KEY`'s."""

    settings = SETTINGS

    def keys(self, again: bool = False) -> KeySet:
        return KeySet([KEY])


def _token(key=KEY, **changed) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "kompass", "sub": "a", "nonce": "n", "iat": now,
              "exp": now + 300, **changed}  # fmt: skip
    return jwt.encode({"alg": "RS256", "kid": "one"}, claims, key)


def test_a_token_of_the_provider_for_this_sign_in_is_accepted():
    assert id_token.validate(Keys(), _token(), "n")["sub"] == "a"


@pytest.mark.parametrize(
    ("token", "reason"),
    [  # made when the test runs: a token made at collection expires in a long run
        (lambda: _token(OTHER_KEY), "token"),
        (lambda: _token(iss="https://evil.example.test"), "issuer"),
        (lambda: _token(aud="another-client"), "token"),
        (lambda: _token(aud=["kompass", "another"], azp="another"), "token"),
        (lambda: _token(nonce="other"), "nonce"),
        (lambda: _token(exp=int(time.time()) - 120), "expired"),
        (lambda: "not a token", "token"),
    ],
)
def test_a_token_that_is_not_for_this_sign_in_is_refused(token, reason):
    with pytest.raises(Refused) as refused:
        id_token.validate(Keys(), token(), "n")
    assert refused.value.reason == reason
