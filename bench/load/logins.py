"""Log-ins beside other users' pages (issue 12, point 4), run by `make load PROFILE=logins`.

Twenty respondents log in and then read section pages, a page every 1–2 s, the whole run.
After a warm-up, 50 wrong log-ins are sent at the same moment, three times 10 s apart; the
readers' pages while they are answered count as "section page (during the burst)". Then a
class of 30 logs in with their own codes, one every two seconds ("class: log in"). The run
ends when the class is in.

As behind the reverse proxy of a real installation, every person's browser has its own
address: the run's server trusts the proxy at the clients' own address
(`KOMPASS_TRUSTED_PROXIES=127.0.0.1,::1`, bench/load/run.py) and each client sends its address
(from the documentation ranges) in `X-Forwarded-For`.
"""

import json
import os
from pathlib import Path

import gevent
from gevent.pool import Group
from locust import HttpUser, between, constant, task
from locust.clients import HttpSession

from bench.load.pages import Page, hidden

SEED = json.loads(Path(os.environ["KOMPASS_LOAD_SEED"]).read_text(encoding="utf-8"))
READERS, CLASS, BURST, BURSTS = 20, 30, 50, 3
WARM_UP, BURST_GAP, AFTER = 15, 10, 10  # seconds of reading before, between and after
CLASS_GAP = 2  # seconds between two log-ins of the class
PERSONS = iter(SEED["respondents"])
PHASE = {"name": "before"}
ADDRESSES = (f"{net}.{host}" for net in ("198.51.100", "203.0.113") for host in range(1, 255))


def own_address(client) -> None:
    """This browser's address, as the proxy in front of the app would pass it on."""
    client.headers["X-Forwarded-For"] = next(ADDRESSES)


class Reader(HttpUser):
    fixed_count = READERS
    wait_time = between(1, 2)

    def on_start(self):
        own_address(self.client)
        self.page = Page(self.client)
        log_in(self.page, next(PERSONS), "reader: log in")

    @task
    def read_a_section(self):
        self.page.get("/en/form/education", f"section page ({PHASE['name']})")


class Conductor(HttpUser):
    """Sends the burst, then the class, then ends the run."""

    fixed_count = 1
    wait_time = constant(0)

    @task
    def conduct(self):
        gevent.sleep(WARM_UP)
        for _ in range(BURSTS):
            self._burst()
            gevent.sleep(BURST_GAP)
        PHASE["name"] = "during the class"
        members = [
            gevent.spawn_later(index * CLASS_GAP, self._class_member, next(PERSONS))
            for index in range(CLASS)
        ]
        gevent.joinall(members)
        PHASE["name"] = "after"
        gevent.sleep(AFTER)
        self.environment.runner.quit()

    def _burst(self) -> None:
        """BURST wrong log-ins sent at the same moment, each from its own browser."""
        burst = [(self._session(), next(PERSONS)) for _ in range(BURST)]
        tokens = [_token(Page(session)) for session, _ in burst]
        PHASE["name"] = "during the burst"
        group = Group()
        for (session, person), token in zip(burst, tokens, strict=True):
            wrong = {**person, "code": _wrong(person["code"]), "csrf_token": token}
            group.spawn(Page(session).post, "/en/login", "burst: wrong log-in", wrong, (200, 422))
        group.join()
        PHASE["name"] = "between"

    def _class_member(self, person: dict) -> None:
        log_in(Page(self._session()), person, "class: log in")

    def _session(self) -> HttpSession:
        """A client of its own (own cookies and address), as each person has their own browser."""
        session = HttpSession(self.host, self.environment.events.request, self)
        own_address(session)
        return session


def log_in(page: Page, person: dict, kind: str) -> None:
    data = {"csrf_token": _token(page), **person}
    page.post("/en/login", kind, data, expected=(302,))


def _token(page: Page) -> str:
    return hidden(page.get("/en/login", "log-in page").text, "csrf_token")


def _wrong(code: str) -> str:
    """A code of the right form that is not this one."""
    return ("A" if code[0] != "A" else "B") + code[1:]
