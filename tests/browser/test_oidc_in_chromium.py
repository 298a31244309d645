"""In Chromium: a counsellor signs in through the identity provider (a real OpenID Connect
provider on loopback), lands in Kompass, and signing out ends both sessions."""

import re
import socket
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import serving
from tests.oidc_helpers import link_user, register_client, settings
from tests.staff_helpers import add_user

pytestmark = pytest.mark.browser


@pytest.fixture
def port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def app(published_database_url, oidc_provider, port):
    """The app with single sign-on, registered at the provider with the live server's address."""
    base = f"http://127.0.0.1:{port}"
    client = register_client(
        oidc_provider, [f"{base}/admin/login/sso/svar"], [f"{base}/admin/login"]
    )
    yield from serving(published_database_url, settings(oidc_provider, client))


@pytest.fixture
def live_server(app, port):
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join()


def test_a_counsellor_signs_in_and_out_through_the_identity_provider(app, page, oidc_provider):
    add_user(app, "kari", roles=["bosetting"])
    link_user(app, "kari", "kari.nordmann@kommune.no")
    page.goto("/admin/login")
    page.get_by_role("link", name="Logg inn med kommunens innlogging").click()
    expect(page).to_have_url(re.compile(re.escape(oidc_provider) + "/interaction/"))
    page.fill("#login", "kari.nordmann@kommune.no")
    page.fill("#acr", "idporten-loa-high")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="Logg ut").click()
    expect(page).to_have_url(re.compile(re.escape(oidc_provider) + "/session/end"))  # at once
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(r"/admin/login$"))
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login\?next="))  # Kompass's session ended
    page.get_by_role("link", name="Logg inn med kommunens innlogging").click()
    expect(page.locator("#login")).to_be_visible()  # and the provider's: it asks again
