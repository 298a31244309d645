"""The plugin's settings (`KOMPASS_OIDC_*`), checked when the app starts."""

from dataclasses import dataclass
from urllib.parse import urlsplit

EXTENSION = "oidc"  # where the app keeps the provider
METHOD = "oidc"  # how the audit log and the session name this way in

DEFAULTS = {
    "OIDC_ISSUER": "",  # empty: no single sign-on
    "OIDC_CLIENT_ID": "",
    "OIDC_CLIENT_SECRET": "",
    "OIDC_SCOPES": "openid email",
    "OIDC_USER_CLAIM": "email",  # the ID token claim that names the Kompass user
    "OIDC_ACR_VALUES": "",  # asked for in the authorization request, when set
    "OIDC_SECOND_FACTOR_ACR": "",  # acr values that prove a second factor (comma-separated)
    "OIDC_SECOND_FACTOR_AMR": "",  # amr values that prove one (comma-separated)
    "OIDC_BUTTON_LABEL": "",  # empty: "Log in with the municipality's sign-in", translated
    "OIDC_CLOCK_LEEWAY_SECONDS": 60,
}
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class SettingsError(RuntimeError):
    """Single sign-on is switched on but cannot work as set."""


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    user_claim: str
    acr_values: str
    second_factor_acr: frozenset[str]
    second_factor_amr: frozenset[str]
    button_label: str
    leeway: int

    @classmethod
    def from_config(cls, config) -> "OidcSettings | None":
        """The settings, or None when no issuer is set; SettingsError when they cannot work."""
        if not config["KOMPASS_OIDC_ISSUER"]:
            return None
        settings = cls(
            issuer=config["KOMPASS_OIDC_ISSUER"].strip(),
            client_id=config["KOMPASS_OIDC_CLIENT_ID"].strip(),
            client_secret=config["KOMPASS_OIDC_CLIENT_SECRET"],
            scopes=config["KOMPASS_OIDC_SCOPES"],
            user_claim=config["KOMPASS_OIDC_USER_CLAIM"].strip(),
            acr_values=config["KOMPASS_OIDC_ACR_VALUES"].strip(),
            second_factor_acr=_values(config["KOMPASS_OIDC_SECOND_FACTOR_ACR"]),
            second_factor_amr=_values(config["KOMPASS_OIDC_SECOND_FACTOR_AMR"]),
            button_label=config["KOMPASS_OIDC_BUTTON_LABEL"].strip(),
            leeway=config["KOMPASS_OIDC_CLOCK_LEEWAY_SECONDS"],
        )
        settings.check()
        return settings

    def check(self) -> None:
        address = urlsplit(self.issuer)
        if address.scheme != "https" and address.hostname not in LOOPBACK:
            raise SettingsError("KOMPASS_OIDC_ISSUER must be an https:// URL")
        missing = [name for name in ("client_id", "client_secret", "user_claim")
                   if not getattr(self, name)]  # fmt: skip
        if missing:
            names = ", ".join(f"KOMPASS_OIDC_{name.upper()}" for name in missing)
            raise SettingsError(f"KOMPASS_OIDC_ISSUER is set, but not {names}")
        if "openid" not in self.scopes.split():
            raise SettingsError("KOMPASS_OIDC_SCOPES must include openid")


def _values(setting: str) -> frozenset[str]:
    return frozenset(value.strip() for value in setting.split(",") if value.strip())
