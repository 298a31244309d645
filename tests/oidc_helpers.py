"""A real OpenID Connect provider (npm's oidc-provider, tests/oidc/provider.js) on loopback, and
a browser's part of a sign-in there driven by plain HTTP."""

import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import requests
from sqlalchemy import update

from auth.staff.models import User
from tests.conftest import TEST_SETTINGS

HERE = Path(__file__).parent / "oidc"
SCRIPT = HERE / "provider.js"
STAFF_PLUGINS = "people,code_login,staff,adminui,respondent_html,auth.oidc.plugin"
CALLBACK = "http://localhost/admin/login/sso/svar"  # the test client's host
LOGIN_PAGE = "http://localhost/admin/login"


@contextmanager
def running_provider():
    """The provider's issuer URL while it runs; it stops when its standard input closes."""
    node = shutil.which("node")
    assert node, "Node.js is needed for the OpenID Connect tests"
    assert (HERE / "node_modules" / "oidc-provider").is_dir(), "run: make oidc-provider"
    process = subprocess.Popen(
        [node, str(SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        issuer = process.stdout.readline().strip()
        assert issuer.startswith("http://127.0.0.1:"), "the test provider did not start"
        yield issuer
    finally:
        process.stdin.close()
        process.wait(timeout=10)


def register_client(issuer: str, callbacks: list[str], after_logout: list[str]) -> dict:
    """A client of the provider (dynamic registration): its client_id and client_secret."""
    answer = requests.post(
        f"{issuer}/reg",
        json={"redirect_uris": callbacks, "post_logout_redirect_uris": after_logout},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()


def settings(issuer: str, client: dict, **more) -> dict:
    return {
        **TEST_SETTINGS,
        "PLUGINS": STAFF_PLUGINS,
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": client["client_id"],
        "OIDC_CLIENT_SECRET": client["client_secret"],
        "OIDC_SECOND_FACTOR_ACR": "idporten-loa-high",
        "OIDC_SECOND_FACTOR_AMR": "mfa",
        **more,
    }


def link_user(app, username: str, external_name: str) -> None:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.execute(
            update(User).where(User.username == username).values(external_name=external_name)
        )
        session.commit()


class Browser:
    """The provider's side of a browser: its cookies, the sign-in form, redirects."""

    def __init__(self):
        self.http = requests.Session()

    def follow(self, url: str, stop: str) -> tuple[str, requests.Response | None]:
        """Redirects from `url` until one leads to `stop` (returned) or a page answers."""
        while not url.startswith(stop):
            answer = self.http.get(url, allow_redirects=False, timeout=10)
            if not answer.is_redirect:
                return url, answer
            url = urljoin(url, answer.headers["location"])
        return url, None

    def sign_in(self, authorization_url: str, account: str, acr: str = "", amr: str = "") -> str:
        """The callback URL the provider sends the browser back to, signing in if it asks."""
        url, page = self.follow(authorization_url, CALLBACK)
        if page is None:
            return url
        action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
        answer = self.http.post(
            urljoin(url, action), data={"login": account, "acr": acr, "amr": amr},
            allow_redirects=False, timeout=10,
        )  # fmt: skip
        url, page = self.follow(urljoin(url, answer.headers["location"]), CALLBACK)
        assert page is None, page.text
        return url

    def asks_to_sign_in(self, authorization_url: str) -> bool:
        return self.follow(authorization_url, CALLBACK)[1] is not None

    def sign_out(self, end_session_url: str) -> str:
        """Confirms the provider's sign-out; the URL it sends the browser back to."""
        url, page = self.follow(end_session_url, LOGIN_PAGE)
        action = re.search(r'action="([^"]+)"', page.text).group(1)
        xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text).group(1)
        answer = self.http.post(
            urljoin(url, action), data={"xsrf": xsrf, "logout": "yes"},
            allow_redirects=False, timeout=10,
        )  # fmt: skip
        return self.follow(urljoin(url, answer.headers["location"]), LOGIN_PAGE)[0]


def path_of(url: str) -> str:
    """The part of a URL at the test client's host that the test client asks for."""
    return url.removeprefix("http://localhost")
