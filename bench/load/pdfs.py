"""PDF downloads beside another user's pages (issue 18, point 9), run by `make load PROFILE=pdfs`.

One respondent reads pages the whole run, a page every 0.1–0.3 s: the log-in page and a
section page by turns. Eight staff users download the PDFs of one maximum-size mapping (every
repeatable group at its limit), four its CV and four its archival PDF, each asking again a
second after an answer (200, or 503 when the pool is busy). The run's server keeps no PDF
(`KOMPASS_PDF_CACHE_MB=0`), so every download renders: the worst case.

Phases by turns, CYCLES times: "alone" (no downloads) and "during the downloads"; between
them the run waits until every download has been answered ("draining", not judged). The
reader's pages are named by phase, and the run compares their p99.
"""

import itertools
import json
import os
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, constant, task
from locust.exception import StopUser

from bench.load.logins import log_in, own_address
from bench.load.pages import Page, hidden

SEED = json.loads(Path(os.environ["KOMPASS_LOAD_SEED"]).read_text(encoding="utf-8"))
DOWNLOADERS, CYCLES, PHASE_SECONDS = 8, 4, 45
DOCUMENTS = ("cv.pdf", "kartlegging.pdf")
PHASE = {"name": "starting"}
OUTSTANDING = {"downloads": 0}
ALONE, DURING = "alone", "during the downloads"
STAFF = iter(SEED["staff"])
TURNS = itertools.count()


class Reader(HttpUser):
    """The other user: a page every 0.1–0.3 s, named by the phase it was asked in."""

    fixed_count = 1
    wait_time = between(0.1, 0.3)

    def on_start(self):
        own_address(self.client)
        self.page = Page(self.client)
        log_in(self.page, SEED["respondents"][0], "reader: log in")
        self.turn = 0

    @task
    def read(self):
        self.turn += 1
        path = "/en/login" if self.turn % 2 else "/en/form/education"
        self.page.get(path, f"other user: page ({PHASE['name']})")


class Downloader(HttpUser):
    """A staff user downloading the mapping's CV or archival PDF while the phase says so."""

    fixed_count = DOWNLOADERS
    wait_time = constant(1)

    def on_start(self):
        own_address(self.client)
        self.page = Page(self.client)
        login = self.page.get("/admin/login", "staff: log-in page")
        data = {"csrf_token": hidden(login.text, "csrf_token"), **next(STAFF)}
        self.page.post("/admin/login", "staff: log in", data, expected=(302,))
        self.document = DOCUMENTS[next(TURNS) % len(DOCUMENTS)]

    @task
    def download(self):
        if PHASE["name"] != DURING:
            return
        path = f"/admin/personer/{SEED['mapped_persons'][0]}/{self.document}"
        OUTSTANDING["downloads"] += 1
        try:
            with self.client.get(path, name="download", catch_response=True) as response:
                response.request_meta["name"] = f"download {self.document} ({response.status_code})"
                if response.status_code in (200, 503):
                    response.success()
                else:
                    response.failure(f"download: status {response.status_code}")
        finally:
            OUTSTANDING["downloads"] -= 1


class Conductor(HttpUser):
    """Switches the phases, then ends the run."""

    fixed_count = 1
    wait_time = constant(0)

    @task
    def conduct(self):
        while self.environment.runner.user_count < DOWNLOADERS + 2:
            gevent.sleep(0.5)
        gevent.sleep(5)  # every user logged in
        for _ in range(CYCLES):
            _phase(ALONE, PHASE_SECONDS)
            _phase(DURING, PHASE_SECONDS)
            _drain()
        gevent.spawn(self.environment.runner.quit)  # not from this user's own greenlet
        raise StopUser()


def _phase(name: str, seconds: float) -> None:
    PHASE["name"] = name
    gevent.sleep(seconds)


def _drain() -> None:
    """Wait until every download asked during the phase has its answer."""
    PHASE["name"] = "draining"
    deadline = time.monotonic() + 120
    while OUTSTANDING["downloads"] and time.monotonic() < deadline:
        gevent.sleep(0.2)
