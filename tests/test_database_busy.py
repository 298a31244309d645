"""Many log-ins at once never end in a 500: SQLite waits for its lock (WAL, busy timeout),
and a lock that still times out is a 503 page that asks to try again."""

import sqlite3
import threading
from collections import Counter

from sqlalchemy.exc import OperationalError

from auth.code_login import login as code_login
from auth.staff import login as staff_login_module
from tests.conftest import csrf_token
from tests.staff_helpers import PASSWORD, add_user

CONCURRENT = 50


def hold_a_read(app, until: threading.Event, held: threading.Event) -> None:
    """A long read transaction, as an export's stream holds, until `until` (at most 10 s)."""
    engine = app.extensions["kompass"].sessions.kw["bind"]
    raw = engine.raw_connection()
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        raw.driver_connection.isolation_level = None
        raw.cursor().execute("BEGIN")
    cursor = raw.cursor()
    cursor.execute("SELECT count(*) FROM staff_users")
    cursor.fetchall()
    held.set()
    until.wait(10)
    cursor.execute("ROLLBACK") if sqlite else raw.rollback()
    raw.close()


def test_fifty_concurrent_log_ins_beside_a_long_read_get_no_server_error(app):
    app.config["KOMPASS_CLIENT_MAX_FAILURES"] = 10**6  # all from one address
    for n in range(CONCURRENT):
        add_user(app, f"user{n}", ["bosetting"], "4601")
    clients = [app.test_client() for _ in range(CONCURRENT)]
    forms = [
        {"csrf_token": csrf_token(c.get("/admin/login").text), "username": f"user{n}",
         "password": PASSWORD if n % 2 else "wrong"}
        for n, c in enumerate(clients)
    ]  # fmt: skip
    start, statuses = threading.Barrier(CONCURRENT), []
    done, held = threading.Event(), threading.Event()
    reader = threading.Thread(target=hold_a_read, args=(app, done, held))
    reader.start()
    held.wait(10)

    def log_in(client, form):
        start.wait()
        statuses.append(client.post("/admin/login", data=form).status_code)

    threads = [
        threading.Thread(target=log_in, args=pair) for pair in zip(clients, forms, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    reader.join()
    assert Counter(statuses) == {302: CONCURRENT // 2, 422: CONCURRENT // 2}


def locked(*_args, **_kwargs):
    raise OperationalError("UPDATE x", {}, sqlite3.OperationalError("database is locked"))


def test_a_lock_that_still_times_out_is_a_503_page(app, client, monkeypatch):
    monkeypatch.setattr(staff_login_module, "authenticate", locked)
    page = client.post(
        "/admin/login",
        data={"csrf_token": csrf_token(client.get("/admin/login").text), "username": "x",
              "password": "y"},
    )  # fmt: skip
    assert page.status_code == 503 and "prøv igjen" in page.text


def test_a_respondent_gets_the_try_later_page_for_a_lock(app, client, monkeypatch):
    monkeypatch.setattr(code_login, "attempt", locked)
    form = {"csrf_token": csrf_token(client.get("/en/login").text), "duf": "202000000000",
            "code": "ABCDEF"}  # fmt: skip
    page = client.post("/en/login", data=form)
    assert page.status_code == 503 and "Please try later." in page.text
    assert page.headers["Retry-After"] == "5"


def test_other_database_errors_stay_server_errors(app, client, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(code_login, "attempt", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    form = {"csrf_token": csrf_token(client.get("/en/login").text), "duf": "202000000000",
            "code": "ABCDEF"}  # fmt: skip
    assert client.post("/en/login", data=form).status_code == 500
