"""Lockouts hold under concurrent attempts: the counter is changed in one statement, before the
slow hash, so attempts racing past a check cannot add up to more than the limit."""

import re
import threading
from datetime import timedelta

from auth.code_login import throttle
from engine.app.db import utcnow
from tests.helpers import log_in, make_code, reserve
from tests.staff_helpers import add_user, staff_login, token

LIMIT = throttle.Limit(5, timedelta(minutes=15))


def at_once(count: int, action) -> list:
    barrier, results = threading.Barrier(count), []

    def run():
        barrier.wait()
        results.append(action())

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_reservations_let_exactly_the_limit_through(app):
    now = utcnow()

    def attempt():
        return reserve(app, "k" * 64, LIMIT, now)

    assert sorted(at_once(12, attempt)) == [False] * 7 + [True] * 5
    assert attempt() is False


def test_concurrent_wrong_codes_lock_the_duf_number(app, runner):
    code = make_code(runner)
    statuses = at_once(10, lambda: log_in(app.test_client(), "AAAAAA").status_code)
    assert statuses == [422] * 10
    assert log_in(app.test_client(), code).status_code == 422


def test_concurrent_wrong_passwords_lock_the_account(app):
    add_user(app, "veileder", ["bosetting"])
    wrong = at_once(10, lambda: staff_login(app.test_client(), "veileder", "wrong!").status_code)
    assert wrong == [422] * 10
    assert staff_login(app.test_client(), "veileder").status_code == 422


def test_a_password_reset_unlocks_the_account(app):
    target = add_user(app, "veileder", ["bosetting"], "4601")
    add_user(app, "admin", ["kommuneadmin"], "4601")
    for _ in range(6):
        staff_login(app.test_client(), "veileder", "wrong!")
    admin = app.test_client()
    staff_login(admin, "admin")
    page = admin.post(f"/admin/brukere/{target}/nytt-passord", data={"csrf_token": token(admin)})
    password = re.search(r'class="code">([^<]+)<', page.text).group(1)
    user = app.test_client()
    staff_login(user, "veileder", password)
    assert user.get("/admin/").location.endswith("/admin/password")
