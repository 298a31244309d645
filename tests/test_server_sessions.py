"""Sessions end on the server: a cookie copied before log-out, a new code, a password change or
the end of its lifetime is refused, on SQLite and PostgreSQL."""

import hashlib
from datetime import timedelta

from sqlalchemy import select

from auth.code_login import server_sessions
from auth.code_login.server_session_model import ServerSession
from tests.conftest import csrf_token
from tests.helpers import add_person, log_in, make_code
from tests.staff_helpers import PASSWORD, add_user, staff_login, token
from tests.test_lockout_races import at_once

NEW_PASSWORD = "another long passphrase"


def copy_of(client, app):
    """Another browser holding a copy of this one's session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def respondent_in(client) -> bool:
    response = client.get("/en/form/")
    return not (response.location or "").endswith("/en/login")


def staff_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def respondent_logout(client) -> None:
    client.post("/en/logout", data={"csrf_token": csrf_token(client.get("/en/login").text)})


def age_sessions(app, **columns) -> None:
    """Move every session's times into the past, e.g. created_at=timedelta(hours=5)."""
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        for row in session.scalars(select(ServerSession)):
            for name, delta in columns.items():
                setattr(row, name, getattr(row, name) - delta)
        session.commit()


def test_a_respondent_cookie_copied_before_log_out_is_refused(app, client, runner):
    log_in(client, make_code(runner))
    copy = copy_of(client, app)
    assert respondent_in(copy)
    respondent_logout(client)
    assert not respondent_in(copy) and not respondent_in(client)


def test_a_new_code_ends_every_session_opened_with_the_old_one(app, runner):
    old = make_code(runner)
    first, second = app.test_client(), app.test_client()
    log_in(first, old)
    log_in(second, old)
    assert respondent_in(first) and respondent_in(second)
    new = make_code(runner)
    assert not respondent_in(first) and not respondent_in(second)
    log_in(first, new)
    assert respondent_in(first)


def test_a_busy_respondent_session_ends_after_its_absolute_lifetime(app, client, runner):
    log_in(client, make_code(runner))
    age_sessions(app, created_at=timedelta(hours=3, minutes=59))
    assert respondent_in(client)
    age_sessions(app, created_at=timedelta(minutes=2))
    assert not respondent_in(client)


def test_an_idle_respondent_session_ends_on_the_server(app, client, runner):
    log_in(client, make_code(runner))
    age_sessions(app, last_seen_at=timedelta(minutes=121))
    assert not respondent_in(client)


def test_only_a_hash_of_the_session_token_is_stored(app, client, runner):
    log_in(client, make_code(runner))
    with client.session_transaction() as cookie:
        session_token = cookie["respondent_session"]
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        [row] = session.scalars(select(ServerSession)).all()
    assert row.kind == "respondent" and row.subject.startswith("person:")
    assert row.token_hash == hashlib.sha256(session_token.encode()).hexdigest()


def test_a_staff_cookie_copied_before_log_out_is_refused(app, client):
    add_user(app, "veileder", ["bosetting"])
    staff_login(client, "veileder")
    copy = copy_of(client, app)
    assert staff_in(copy)
    client.post("/admin/logout", data={"csrf_token": token(client)})
    assert not staff_in(copy)


def test_a_busy_staff_session_ends_after_its_absolute_lifetime(app, client):
    add_user(app, "veileder", ["bosetting"])
    staff_login(client, "veileder")
    age_sessions(app, created_at=timedelta(hours=11, minutes=59))
    assert staff_in(client)
    age_sessions(app, created_at=timedelta(minutes=2))
    assert not staff_in(client)


def test_an_idle_staff_session_ends_on_the_server(app, client):
    add_user(app, "veileder", ["bosetting"])
    staff_login(client, "veileder")
    age_sessions(app, last_seen_at=timedelta(minutes=31))
    assert not staff_in(client)


def test_a_password_change_ends_the_users_other_sessions(app):
    add_user(app, "veileder", ["bosetting"])
    changer, other = app.test_client(), app.test_client()
    staff_login(changer, "veileder")
    staff_login(other, "veileder")
    before = copy_of(changer, app)
    form = {"csrf_token": token(changer), "current": PASSWORD, "new": NEW_PASSWORD,
            "repeat": NEW_PASSWORD}  # fmt: skip
    assert changer.post("/admin/password", data=form).status_code == 302
    assert staff_in(changer)
    assert not staff_in(other) and not staff_in(before)


def test_a_deactivated_users_copied_cookie_is_refused(app):
    add_user(app, "admin", ["kommuneadmin"])
    victim_id = add_user(app, "veileder", ["bosetting"])
    victim, admin = app.test_client(), app.test_client()
    staff_login(victim, "veileder")
    copy = copy_of(victim, app)
    staff_login(admin, "admin")
    form = {"csrf_token": token(admin), "username": "veileder", "first_name": "V",
            "last_name": "L", "email": "", "phone": "", "active": "0"}  # fmt: skip
    admin.post(f"/admin/brukere/{victim_id}", data=form)
    assert not staff_in(copy)


def test_log_out_holds_against_concurrent_requests_with_the_same_cookie(app):
    add_user(app, "veileder", ["bosetting"])
    client = app.test_client()
    staff_login(client, "veileder")
    copies = [copy_of(client, app) for _ in range(6)]
    logout = {"csrf_token": token(client)}

    def act(index):
        if index == 0:
            return client.post("/admin/logout", data=logout).status_code
        return copies[index - 1].get("/admin/").status_code

    counter = iter(range(7))
    results = at_once(7, lambda: act(next(counter)))
    assert 302 in results
    assert not any(staff_in(copy) for copy in copies)


def test_sessions_past_their_absolute_lifetime_are_deleted_at_the_next_log_in(app, runner):
    first, second = app.test_client(), app.test_client()
    log_in(first, make_code(runner))
    age_sessions(app, created_at=timedelta(hours=4, minutes=1))
    log_in(second, make_code(runner, "201900000000"), "201900000000")
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        [row] = session.scalars(select(ServerSession)).all()
    assert row.subject != "person:1" and row.ended_at is None


def test_a_live_session_of_a_person_who_is_gone_is_refused(app, client):
    lifetime = server_sessions.Lifetime(timedelta(hours=1), timedelta(hours=4))
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        token = server_sessions.start(session, "respondent", "person:999", lifetime)
    with client.session_transaction() as cookie:
        cookie.update(respondent_person=999, respondent_session=token)
    assert not respondent_in(client)


def test_a_cookie_naming_another_person_is_refused(app, client, runner):
    log_in(client, make_code(runner))
    other = add_person(app, "202000000009")
    with client.session_transaction() as cookie:
        cookie["respondent_person"] = other
    assert not respondent_in(client)
