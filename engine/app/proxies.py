"""Forwarded headers only from trusted proxy addresses (`KOMPASS_TRUSTED_PROXIES`).

The setting lists addresses and networks, e.g. `10.0.0.1,10.0.0.0/24`. A request whose peer is
one of them has its client address taken from `X-Forwarded-For` (the rightmost address that is
not itself a trusted proxy), its scheme from `X-Forwarded-Proto` and its host from
`X-Forwarded-Host` (the last value each, as the nearest proxy wrote it). From any other peer the
three headers are removed, so nothing behind this layer can read a client's claim.
"""

import ipaddress
from collections.abc import Callable, Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")
SCHEMES = {"http", "https"}


class BadProxySetting(ValueError):
    """`KOMPASS_TRUSTED_PROXIES` holds something that is not an address or a network."""


def parse(setting: str | int) -> list[Network]:
    """The trusted networks; a bare count (the old form) is refused with how to say it now."""
    if isinstance(setting, int) or str(setting).strip().isdigit():
        raise BadProxySetting(
            f"KOMPASS_TRUSTED_PROXIES={setting}: give the proxies' addresses or networks "
            "(for example 127.0.0.1 or 10.0.0.1,10.0.0.0/24), not how many there are."
        )
    networks = []
    for part in (p.strip() for p in str(setting).split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as error:
            raise BadProxySetting(
                f"KOMPASS_TRUSTED_PROXIES: {part!r} is not an IP address or network ({error})."
            ) from None
    return networks


def _in(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip.version == net.version and ip in net for net in networks)


def client_address(peer: str, forwarded_for: str, networks: list[Network]) -> str:
    """Walk X-Forwarded-For from the right past trusted proxies; the first other hop is the
    client (a value that is not an address leaves the nearest untrusted peer)."""
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    address = peer
    while hops and _in(address, networks):
        address = hops.pop()
    return address if _valid(address) else peer


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _last(value: str) -> str:
    return value.split(",")[-1].strip()


class TrustedProxies:
    """WSGI middleware applying the rule of the module docstring."""

    def __init__(self, app: Callable, networks: list[Network]) -> None:
        self.app, self.networks = app, networks

    def __call__(self, environ: dict, start_response: Callable):
        peer = environ.get("REMOTE_ADDR", "")
        if _in(peer, self.networks):
            self._apply(environ, peer)
        for key in FORWARDED:
            environ.pop(key, None)
        return self.app(environ, start_response)

    def _apply(self, environ: dict, peer: str) -> None:
        forwarded_for = environ.get("HTTP_X_FORWARDED_FOR", "")
        environ["REMOTE_ADDR"] = client_address(peer, forwarded_for, self.networks)
        scheme = _last(environ.get("HTTP_X_FORWARDED_PROTO", "")).lower()
        if scheme in SCHEMES:
            environ["wsgi.url_scheme"] = scheme
        host = _last(environ.get("HTTP_X_FORWARDED_HOST", ""))
        if host:
            environ["HTTP_HOST"] = host
