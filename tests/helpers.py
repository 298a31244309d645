"""Helpers for tests that walk the respondent's journey with Flask's test client."""

import re
from datetime import date

from sqlalchemy import select

from auth.code_login import throttle
from auth.people.models import BOSATT, Person
from tests.conftest import csrf_token, hidden


def add_person(app, duf: str = "202000000000", **fields) -> int:
    """A person in the registry (settled in Bergen unless told otherwise); returns the id."""
    values = {
        "first_name": "Navn", "last_name": "Navnesen", "birth_date": date(2000, 1, 1),
        "gender": "kvinne", "citizenship": "SY", "municipality": "4601",
        "residence": BOSATT, "settled_on": date(2025, 1, 1), **fields,
    }  # fmt: skip
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        person = session.scalars(select(Person).where(Person.duf == duf)).first()
        if person is None:
            person = Person(duf=duf, **values)
            session.add(person)
            session.commit()
        return person.id


def make_code(runner, duf: str = "202000000000") -> str:
    add_person(runner.app, duf)
    result = runner.invoke(args=["codes", "create", "--duf", duf])
    assert result.exit_code == 0, result.output
    return re.search(r"Code: ([A-Z0-9]{6})", result.output).group(1)


def log_in(client, code: str, duf: str = "202000000000", lang: str = "en"):
    page = client.get(f"/{lang}/login")
    return client.post(
        f"/{lang}/login",
        data={"csrf_token": csrf_token(page.text), "duf": duf, "code": code},
    )


def post_section(client, lang: str, section: str, answers: dict, action: str = "next"):
    """Post a section page as the browser would: with its token, revision and shown ids (and
    following the redirect after adding or removing an entry)."""
    page = client.get(f"/{lang}/form/{section}")
    data = {
        "csrf_token": csrf_token(page.text),
        "revision": hidden(page.text, "revision"),
        "shown": hidden(page.text, "shown"),
        "action": action,
        **entry_ids(page.text),
        **answers,
    }
    moves = action.startswith(("add:", "remove:"))
    return client.post(f"/{lang}/form/{section}", data=data, follow_redirects=moves)


def entry_ids(html: str) -> dict[str, str]:
    """The hidden id of every repeated entry on a page, as the browser would send it."""
    return dict(re.findall(r'name="(q\.[a-z0-9_]+\.\d+\._id)" value="([^"]*)"', html))


def error_messages(html: str) -> list[str]:
    """The error messages at the fields, in the page's language."""
    blocks = re.findall(r'<div class="error-message"[^>]*>(.*?)</div>\s*(?:<|$)', html, re.S)
    return [m for block in blocks for m in re.findall(r'<p class="t" [^>]*>([^<]*)</p>', block)]


def stored_answers(app):
    """The answers of the one response in the app's database."""
    from engine.responses.storage import Response

    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return session.query(Response).one().answers


def reserve(app, key: str, limit: throttle.Limit, now) -> bool:
    """One attempt counted under `key` in its own transaction, as a log-in request does."""
    with app.extensions["kompass"].sessions() as session:
        allowed = throttle.reserve(session, key, limit, now)
        session.commit()
        return allowed
