"""The identity provider as Kompass sees it: its discovery document and keys (kept for a while
per app) and the token endpoint, where a code is exchanged once."""

import time

import requests
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from joserfc.jwk import KeySet

from auth.oidc.refusals import Refused
from auth.oidc.settings import OidcSettings

DISCOVERY = "/.well-known/openid-configuration"
KEEP_SECONDS = 3600  # discovery and keys are fetched again after this
TIMEOUT_SECONDS = 10


class Provider:
    """One configured provider; its documents are fetched when first needed."""

    def __init__(self, settings: OidcSettings):
        self.settings = settings
        self._metadata: dict | None = None
        self._keys: KeySet | None = None
        self._fetched = 0.0

    def metadata(self) -> dict:
        """The discovery document, refused unless it names the configured issuer."""
        if self._metadata is None or time.monotonic() - self._fetched > KEEP_SECONDS:
            document = _get_json(self.settings.issuer.rstrip("/") + DISCOVERY)
            if document.get("issuer") != self.settings.issuer:
                raise Refused("issuer")
            self._metadata, self._keys, self._fetched = document, None, time.monotonic()
        return self._metadata

    def keys(self, again: bool = False) -> KeySet:
        """The provider's signing keys; `again` fetches them anew (a key the token names that
        the kept set does not have: the provider rolled its keys)."""
        if self._keys is None or again:
            self._keys = KeySet.import_key_set(_get_json(self.metadata()["jwks_uri"]))
        return self._keys

    def client(self, redirect_uri: str) -> OAuth2Session:
        return OAuth2Session(
            self.settings.client_id,
            self.settings.client_secret,
            scope=self.settings.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
        )

    def exchange(self, code: str, verifier: str, redirect_uri: str) -> dict:
        """The tokens for `code`; a code used before or expired is refused by the provider."""
        endpoint = self.metadata()["token_endpoint"]
        try:
            with self.client(redirect_uri) as client:
                return client.fetch_token(
                    endpoint, code=code, code_verifier=verifier, timeout=TIMEOUT_SECONDS
                )
        except OAuthError as error:
            raise Refused("code") from error
        except (requests.RequestException, ValueError) as error:
            raise Refused("unreachable") from error

    def end_session_endpoint(self) -> str | None:
        try:
            return self.metadata().get("end_session_endpoint")
        except Refused:
            return None


def _get_json(url: str) -> dict:
    try:
        answer = requests.get(url, timeout=TIMEOUT_SECONDS)
        answer.raise_for_status()
        document = answer.json()
    except (requests.RequestException, ValueError) as error:
        raise Refused("unreachable") from error
    if not isinstance(document, dict):
        raise Refused("unreachable")
    return document
