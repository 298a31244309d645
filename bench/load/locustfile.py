"""Respondents and staff at the same time, as they really use Kompass (run by bench/load/run.py).

A respondent chooses a language, logs in with their own code, fills every section (with
repeated entries), goes back once, reviews and submits, then the next seeded person takes the
place. Staff search for persons by DUF number and make codes. Every request has a kind
(`name`) for the statistics; any unexpected status counts as an error.

Settings (environment): KOMPASS_LOAD_SEED (the JSON written by the seeding), KOMPASS_LOAD_THINK
("min,max" seconds between pages), KOMPASS_LOAD_STAFF_SHARE (one staff user in N users) and
KOMPASS_LOAD_STAFF_ROUNDS (searches per staff user; 0: until the time is up).
"""

import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlsplit

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

from bench.load import journey
from bench.load.pages import Page, hidden

SEED = json.loads(Path(os.environ["KOMPASS_LOAD_SEED"]).read_text(encoding="utf-8"))
THINK = [float(s) for s in os.environ.get("KOMPASS_LOAD_THINK", "10,30").split(",")]
STAFF_SHARE = int(os.environ.get("KOMPASS_LOAD_STAFF_SHARE", "20"))
STAFF_ROUNDS = int(os.environ.get("KOMPASS_LOAD_STAFF_ROUNDS", "0"))  # 0: until the time is up
RESPONDENTS = iter(SEED["respondents"])
STAFF = itertools.cycle(SEED["staff"])
_LANGUAGE_LINK = re.compile(r'href="/([A-Za-z-]+)/form/"')
_ENTRY_ID = re.compile(r'name="(q\.[a-z0-9_]+\.\d+\._id)" value="([^"]*)"')


@events.test_start.add_listener
def _quit_when_everyone_is_done(environment, **_):
    """End the run early once every user has stopped (every seeded person has submitted)."""
    runner = environment.runner

    def watch():
        while runner.state != "running" or runner.user_count:
            gevent.sleep(0.5)
        runner.quit()

    gevent.spawn(watch)


class Respondent(HttpUser):
    weight = STAFF_SHARE - 1
    wait_time = between(*THINK)

    @task
    def answer_the_questionnaire(self):
        person = next(RESPONDENTS, None)
        if person is None:
            raise StopUser()  # every seeded person has had their turn
        self.client.cookies.clear()
        page = Page(self.client)
        lang = random.choice(_LANGUAGE_LINK.findall(page.get("/", "start page").text) or ["en"])
        self.wait()
        page.get(f"/{lang}/form/", "form start", expected=(302,))
        login = page.get(f"/{lang}/login", "log-in page")
        data = {"csrf_token": hidden(login.text, "csrf_token"), **person}
        if page.post(f"/{lang}/login", "log in", data, expected=(302,)).status_code != 302:
            return
        for section, answers, entries in journey.STEPS:
            if section == journey.BACK_FROM:
                self._back_and_forward(page, lang, section, answers)
            self._section(page, lang, section, answers, entries)
        self._review_and_submit(page, lang)

    def _section(self, page: Page, lang: str, section: str, answers: dict, entries: list):
        """Add each entry (filling in the ones before, as the page keeps them), then Next."""
        path = f"/{lang}/form/{section}"
        self.wait()
        html = page.get(path, "section page").text
        fields = journey.form_fields(answers)
        for index, (group, _) in enumerate(entries):
            so_far = journey.section_fields(answers, entries[:index])
            added = {**fields, **so_far, f"q.{group}.count": str(index)}
            added = page.post(path, "add entry", _form(html, added, f"add:{group}"), (302,))
            html = page.get(_where(added, path), "section page").text
            self.wait()
        whole = journey.section_fields(answers, entries)
        page.post(path, "save", _form(html, whole, "next"), expected=(302,))

    def _back_and_forward(self, page: Page, lang: str, section: str, answers: dict):
        """Back (which saves this page) to the section before, then Next from there again."""
        path = f"/{lang}/form/{section}"
        self.wait()
        html = page.get(path, "section page").text
        fields = journey.form_fields(answers)
        page.post(path, "save", _form(html, fields, "back"), expected=(302,))
        before, before_answers, before_entries = journey.step_before(section)
        path = f"/{lang}/form/{before}"
        self.wait()
        html = page.get(path, "section page").text
        whole = journey.section_fields(before_answers, before_entries)
        page.post(path, "save", _form(html, whole, "next"), expected=(302,))

    def _review_and_submit(self, page: Page, lang: str):
        self.wait()
        review = page.get(f"/{lang}/form/review", "review page").text
        data = {"csrf_token": hidden(review, "csrf_token"), "revision": hidden(review, "revision")}
        self.wait()
        page.post(f"/{lang}/form/submit", "submit", data, expected=(302,))
        page.get(f"/{lang}/form/receipt", "receipt page")


def _where(redirect, otherwise: str) -> str:
    """The path a redirect goes to (an added entry: the section page, at the new entry)."""
    location = urlsplit(redirect.headers.get("Location", ""))
    if not location.path:
        return otherwise
    return location.path + (f"?{location.query}" if location.query else "")


def _form(html: str, fields: dict, action: str) -> dict:
    """A section page's form as the browser posts it: token, revision, shown ids, entry ids."""
    return {
        "csrf_token": hidden(html, "csrf_token"),
        "revision": hidden(html, "revision"),
        "shown": hidden(html, "shown"),
        "action": action,
        **dict(_ENTRY_ID.findall(html)),
        **fields,
    }


class Staff(HttpUser):
    weight = 1
    wait_time = between(*THINK)

    def on_start(self):
        self.page = Page(self.client)
        login = self.page.get("/admin/login", "staff: log-in page")
        data = {"csrf_token": hidden(login.text, "csrf_token"), **next(STAFF)}
        self.page.post("/admin/login", "staff: log in", data, expected=(302,))
        self.rounds = 0

    @task
    def search_and_make_a_code(self):
        self.rounds += 1
        if STAFF_ROUNDS and self.rounds > STAFF_ROUNDS:
            raise StopUser()
        search = self.page.get("/admin/kommuner/kompass", "staff: search page").text
        data = {"csrf_token": hidden(search, "csrf_token")}
        duf = random.choice(SEED["staff_persons"])
        self.wait()
        found = self.page.post("/admin/kommuner/kompass/sok", "staff: search", {**data, "duf": duf})
        person_id = hidden(found.text, "person_id")
        self.wait()
        self.page.get(f"/admin/personer/{person_id}", "staff: person page")
        self.wait()
        self.page.post(f"/admin/personer/{person_id}/koder", "staff: make a code", data)
