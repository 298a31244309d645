"""A live server and Debian's Chromium, driven by Playwright.

The tests launch Chromium's headless shell (Debian's `chromium-headless-shell`, built from
the same source as `chromium`): the same Blink and V8 without the desktop browser around them,
and what Playwright itself launches for headless tests. On two cores the browser tests took
695 s of CPU with the full browser and 407 s with the shell (`-n 2`, the whole of
tests/browser, machine-wide CPU). The shell places glyphs on whole pixels where the full
browser uses fractions, so a line may wrap a few pixels earlier; no test depends on where.
"""

import threading

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from tests.conftest import _migrate
from tests.helpers import log_in, make_code

CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Chromium tests run on SQLite only.

    They check what pages show and do in a browser; everything below the pages is tested on
    SQLite and PostgreSQL by the rest of the suite, and a second run here would add minutes.
    """
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'template.sqlite3'}"
    _migrate(url)
    return url


@pytest.fixture
def live_server(app):
    """The app served on a free port; shutting down waits for the server's next look at its
    flag, every 50 ms here (the default half second cost most tests a quarter second)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page that records every request it makes."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server)
    new_page = context.new_page()
    new_page.requested = []
    new_page.on("request", lambda request: new_page.requested.append(request.url))
    yield new_page
    context.close()


def logged_in_by_cookie(context, url: str, app, duf: str, lang: str = "en") -> None:
    """A respondent logs in through the test client; `context` gets the session cookie for `url`.

    A log-in through the browser's form costs two page loads; tests whose point lies after it
    start here. The form itself is walked in Chromium by test_journey_in_chromium.py (and
    test_accessibility.py audits it in every language).
    """
    client = app.test_client()
    response = log_in(client, make_code(app.test_cli_runner(), duf), duf, lang)
    assert response.status_code == 302 and "/form/" in response.location, response.status
    name = app.config["SESSION_COOKIE_NAME"]
    context.add_cookies([{"name": name, "value": client.get_cookie(name).value, "url": url}])


def respondent_log_in(page, lang: str, duf: str, code: str) -> None:
    """A respondent logs in through the log-in form in the browser, as a person does."""
    page.goto(f"/{lang}/login")
    page.fill("#duf", duf)
    page.fill("#code", code)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
