"""The trusted proxy rule of engine/app/proxies.py on raw WSGI environments."""

import pytest

from engine.app import proxies

TRUSTED = proxies.parse("10.0.0.1,10.0.1.0/24,fd00::/8")


def _seen(environ: dict) -> dict:
    seen = {}
    proxies.TrustedProxies(lambda env, _start: seen.update(env), TRUSTED)(environ, None)
    return seen


def _request(peer: str, forwarded_for="", proto="", host="") -> dict:
    environ = {"REMOTE_ADDR": peer, "HTTP_HOST": "app:8000", "wsgi.url_scheme": "http"}
    headers = {"FOR": forwarded_for, "PROTO": proto, "HOST": host}
    return _seen(environ | {f"HTTP_X_FORWARDED_{k}": v for k, v in headers.items() if v})


def test_headers_from_an_untrusted_peer_are_ignored_and_removed():
    seen = _request("192.0.2.5", forwarded_for="198.51.100.1", proto="https", host="evil.example")
    assert (seen["REMOTE_ADDR"], seen["wsgi.url_scheme"], seen["HTTP_HOST"]) == (
        "192.0.2.5", "http", "app:8000")  # fmt: skip
    assert not any(key.startswith("HTTP_X_FORWARDED") for key in seen)


@pytest.mark.parametrize("peer", ["10.0.0.1", "10.0.1.200", "fd00::5"])
def test_headers_from_a_trusted_peer_are_used(peer):
    seen = _request(peer, forwarded_for="198.51.100.1", proto="https", host="kompass.example.no")
    assert (seen["REMOTE_ADDR"], seen["wsgi.url_scheme"], seen["HTTP_HOST"]) == (
        "198.51.100.1", "https", "kompass.example.no")  # fmt: skip


def test_the_client_is_the_rightmost_address_not_a_trusted_proxy():
    # a client's own claim (203.0.113.9) stays left of what the proxies appended
    chain = "203.0.113.9, 198.51.100.1, 10.0.1.3"
    assert proxies.client_address("10.0.0.1", chain, TRUSTED) == "198.51.100.1"


def test_a_forwarded_value_that_is_not_an_address_leaves_the_peer():
    assert proxies.client_address("10.0.0.1", "unknown", TRUSTED) == "10.0.0.1"
    assert _request("10.0.0.1", proto="gopher")["wsgi.url_scheme"] == "http"


def test_an_empty_setting_trusts_nobody():
    assert proxies.parse("") == [] and proxies.parse(" , ") == []
