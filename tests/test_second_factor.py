"""The staff second factor: log-in with a code or a recovery code, lockout, one use per step,
enrolment, recovery codes, switching off, reset, the command and the demo users."""

import json
import re

import pyotp
from sqlalchemy import select

from auth.staff import second_factor
from auth.staff import session as staff_session
from auth.staff.models import AuditEvent, RecoveryCode, User
from tests.conftest import csrf_token
from tests.staff_helpers import (
    CODE_PAGE,
    PASSWORD,
    TOTP_SECRET,
    add_user,
    current_code,
    send_code,
    staff_login,
    token,
)  # fmt: skip
from tests.test_lockout_races import at_once

WRONG = "Koden er feil"


def _user(app, username: str) -> User:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return session.scalars(select(User).where(User.username == username)).one()


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return session.scalars(query).all()


def _password(client, username: str, password: str = PASSWORD):
    page = client.get("/admin/login")
    return client.post(
        "/admin/login",
        data={"csrf_token": csrf_token(page.text), "username": username, "password": password},
    )


def _recovery_codes(html: str) -> list[str]:
    return re.findall(r'<li class="code">([A-Z2-9-]{14})</li>', html)


def _shown_key(html: str) -> str:
    return re.search(r'id="secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")


def _qr_code(html: str) -> str:
    return re.search(r"<svg.*?</svg>", html, re.S).group(0)


def _enrol(client) -> tuple[str, list[str]]:
    """Enrol the logged-in user through the page: the key read from it, a code made from it."""
    page = client.get("/admin/tofaktor")
    key = _shown_key(page.text)
    done = client.post(
        "/admin/tofaktor",
        data={"csrf_token": csrf_token(page.text), "code": pyotp.TOTP(key).now()},
    )
    assert done.status_code == 200
    return key, _recovery_codes(done.text)


# The code and its time step


def test_a_code_matches_its_step_and_the_steps_beside_it_only():
    totp = pyotp.TOTP(TOTP_SECRET)
    now = 1_800_000_000
    step = totp.timecode(now)
    assert second_factor.matching_step(TOTP_SECRET, totp.at(now), now) == step
    assert second_factor.matching_step(TOTP_SECRET, totp.at(now - 30), now) == step - 1
    assert second_factor.matching_step(TOTP_SECRET, totp.at(now + 30), now) == step + 1
    assert second_factor.matching_step(TOTP_SECRET, totp.at(now - 60), now) is None
    assert second_factor.matching_step(TOTP_SECRET, "١٢٣٤٥٦", now) is None


def test_the_uri_names_the_issuer_and_the_user_name_only():
    user = User(username="bergen-admin", first_name="Kari", last_name="Nordmann")
    user.totp_secret = TOTP_SECRET
    uri = second_factor.provisioning_uri(user)
    assert uri.startswith("otpauth://totp/Kompass:bergen-admin?")
    assert "issuer=Kompass" in uri and f"secret={TOTP_SECRET}" in uri
    assert "Kari" not in uri and "Nordmann" not in uri


# Log-in in two steps


def test_the_password_alone_does_not_sign_in(app, client):
    add_user(app, "admin", ["systemadmin"], None)
    answer = _password(client, "admin")
    assert answer.location.endswith(CODE_PAGE)
    assert client.get("/admin/").location.startswith("/admin/login")
    assert client.post("/admin/logg", data={"csrf_token": token(client)}).status_code == 401
    assert "one-time-code" in client.get(CODE_PAGE).text
    done = send_code(client, current_code(app, "admin"))
    assert done.location == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert _events(app, "staff.login")[-1].details == {"second_factor": "totp"}
    assert _user(app, "admin").last_login_at is not None


def test_the_code_step_keeps_where_the_user_was_going(app, client):
    add_user(app, "admin", ["systemadmin"], None)
    page = client.get("/admin/login")
    client.post(
        "/admin/login?next=/admin/logg",
        data={"csrf_token": csrf_token(page.text), "username": "admin", "password": PASSWORD},
    )
    assert send_code(client, current_code(app, "admin")).location == "/admin/logg"


def test_the_code_step_expires(app, client, monkeypatch):
    add_user(app, "admin", ["systemadmin"], None)
    monkeypatch.setattr(staff_session, "PENDING_SECONDS", -1)
    _password(client, "admin")
    assert client.get(CODE_PAGE).location.startswith("/admin/login")
    assert send_code(client, current_code(app, "admin")).location.startswith("/admin/login")
    assert client.get("/admin/").status_code == 302


def test_a_password_reset_between_the_steps_ends_the_code_step(app, client):
    target = add_user(app, "veileder", ["bosetting"], enrolled=True)
    add_user(app, "admin", ["systemadmin"], None)
    _password(client, "veileder")
    admin = app.test_client()
    staff_login(admin, "admin")
    admin.post(f"/admin/brukere/{target}/nytt-passord", data={"csrf_token": token(admin)})
    assert send_code(client, current_code(app, "veileder")).location.startswith("/admin/login")


def test_a_code_step_is_used_once(app):
    add_user(app, "admin", ["systemadmin"], None)
    first, second = app.test_client(), app.test_client()
    _password(first, "admin")
    _password(second, "admin")
    code = current_code(app, "admin")
    assert send_code(first, code).status_code == 302
    replay = send_code(second, code)
    assert replay.status_code == 422 and WRONG in replay.text
    assert _events(app, "staff.totp_failed")[-1].details == {"step": "login"}


def test_concurrent_requests_with_one_code_let_one_through(app):
    add_user(app, "admin", ["systemadmin"], None)
    clients = [app.test_client() for _ in range(6)]
    for client in clients:
        _password(client, "admin")
    code = current_code(app, "admin")
    tokens = [csrf_token(client.get(CODE_PAGE).text) for client in clients]
    pairs = iter(zip(clients, tokens, strict=True))

    def send():
        client, csrf = next(pairs)
        return client.post(CODE_PAGE, data={"csrf_token": csrf, "code": code}).status_code

    assert sorted(at_once(6, send)) == [302] + [422] * 5


def test_concurrent_wrong_codes_lock_the_account(app):
    add_user(app, "admin", ["systemadmin"], None)
    clients = [app.test_client() for _ in range(10)]
    for client in clients:
        _password(client, "admin")
    tokens = iter([csrf_token(client.get(CODE_PAGE).text) for client in clients])
    pairs = iter(zip(clients, tokens, strict=True))

    def send():
        client, csrf = next(pairs)
        return client.post(CODE_PAGE, data={"csrf_token": csrf, "code": "000000"}).status_code

    assert at_once(10, send) == [422] * 10
    assert len(_events(app, "staff.totp_failed")) == 10
    late = app.test_client()
    assert _password(late, "admin").status_code == 422  # the account is locked, password too


def test_the_password_again_does_not_forget_wrong_codes(app):
    add_user(app, "admin", ["systemadmin"], None)
    for _ in range(3):
        client = app.test_client()
        _password(client, "admin")
        send_code(client, "000000")
        send_code(client, "000001")
    client = app.test_client()
    assert _password(client, "admin").status_code == 422


def test_a_locked_account_refuses_even_the_right_code(app):
    add_user(app, "admin", ["systemadmin"], None)
    client = app.test_client()
    _password(client, "admin")
    assert [send_code(client, "000000").status_code for _ in range(6)] == [422] * 6
    assert send_code(client, current_code(app, "admin")).status_code == 422


def test_right_codes_give_their_count_back(app, client):
    add_user(app, "admin", ["systemadmin"], None)
    staff_login(client, "admin")
    made = [
        client.post(
            "/admin/tofaktor/gjenopprettingskoder",
            data={"csrf_token": token(client), "code": current_code(app, "admin")},
        ).status_code
        for _ in range(7)
    ]
    assert made == [200] * 7  # more than KOMPASS_LOGIN_MAX_FAILURES, none of them wrong


def test_a_recovery_code_works_once(app, client):
    add_user(app, "admin", ["systemadmin"], None)
    staff_login(client, "admin")
    _key, codes = _enrol_again_with_codes(app, client)
    other = app.test_client()
    _password(other, "admin")
    assert send_code(other, codes[3].lower().replace("-", " ")).location == "/admin/"
    used = _events(app, "staff.recovery_code_used")[-1]
    assert used.details == {"left": 9} and used.actor_username == "admin"
    assert _events(app, "staff.login")[-1].details == {"second_factor": "recovery"}
    again = app.test_client()
    _password(again, "admin")
    assert send_code(again, codes[3]).status_code == 422


def _enrol_again_with_codes(app, client) -> tuple[str, list[str]]:
    """New recovery codes for the logged-in, enrolled user."""
    page = client.get("/admin/tofaktor")
    done = client.post(
        "/admin/tofaktor/gjenopprettingskoder",
        data={"csrf_token": csrf_token(page.text), "code": current_code(app, "admin")},
    )
    assert done.status_code == 200
    return "", _recovery_codes(done.text)


def test_recovery_codes_are_stored_as_keyed_hashes(app, client):
    add_user(app, "admin", ["systemadmin"], None)
    staff_login(client, "admin")
    _key, codes = _enrol_again_with_codes(app, client)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        stored = session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(codes) == len(stored) == 10 == len(set(codes))
    assert not set(stored) & {code.replace("-", "") for code in codes} and len(stored[0]) == 64


# Enrolment and the user's own page


def test_enrolment_shows_a_qr_code_and_the_key_and_needs_a_confirmed_code(app, client):
    add_user(app, "veileder", ["bosetting"])
    staff_login(client, "veileder")
    page = client.get("/admin/tofaktor")
    assert '<svg role="img"' in page.text and "<title>QR-kode</title>" in page.text
    assert 'autocomplete="one-time-code"' in page.text and 'inputmode="numeric"' in page.text
    again = client.get("/admin/tofaktor").text  # a reload shows the same key and QR code
    assert (_shown_key(again), _qr_code(again)) == (_shown_key(page.text), _qr_code(page.text))
    wrong = client.post("/admin/tofaktor", data={"csrf_token": token(client), "code": "000000"})
    assert wrong.status_code == 422 and not _user(app, "veileder").totp_enabled
    assert _events(app, "staff.totp_failed")[-1].details == {"step": "enrol"}
    key, codes = _enrol(client)
    assert _user(app, "veileder").totp_enabled and len(codes) == 10
    assert _user(app, "veileder").totp_secret == key
    assert len(_events(app, "staff.totp_enabled")) == 1
    assert client.get("/admin/").status_code == 200  # this browser stays signed in
    assert "recovery-codes" not in client.get("/admin/tofaktor").text  # shown once


def test_enabling_ends_the_users_other_sessions(app):
    add_user(app, "veileder", ["bosetting"])
    elsewhere, here = app.test_client(), app.test_client()
    staff_login(elsewhere, "veileder")
    staff_login(here, "veileder")
    _enrol(here)
    assert elsewhere.get("/admin/").location.startswith("/admin/login")


def test_a_new_password_comes_before_enrolment(app, client):
    add_user(app, "admin", ["kommuneadmin"], enrolled=False)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.get(User, _user(app, "admin").id).must_change_password = True
        session.commit()
    staff_login(client, "admin")
    assert client.get("/admin/brukere").location.endswith("/admin/password")
    assert client.get("/admin/tofaktor").location.endswith("/admin/password")


def test_an_enrolled_admin_reaches_everything_after_enrolment(app, client):
    add_user(app, "admin", ["kommuneadmin"], enrolled=False)
    staff_login(client, "admin")
    assert client.get("/admin/brukere").location.endswith("/admin/tofaktor")
    assert "Rollen din krever totrinnsinnlogging" in client.get("/admin/tofaktor").text
    _enrol(client)
    assert client.get("/admin/brukere").status_code == 200


def test_new_recovery_codes_replace_the_old_and_need_a_current_code(app, client):
    add_user(app, "admin", ["systemadmin"], None)
    staff_login(client, "admin")
    _key, old = _enrol_again_with_codes(app, client)
    wrong = client.post(
        "/admin/tofaktor/gjenopprettingskoder", data={"csrf_token": token(client), "code": old[0]}
    )
    assert wrong.status_code == 422  # a recovery code is not a current code
    _key, new = _enrol_again_with_codes(app, client)
    assert not set(old) & set(new)
    assert len(_events(app, "staff.recovery_codes_new")) == 2
    other = app.test_client()
    _password(other, "admin")
    assert send_code(other, old[1]).status_code == 422


def test_a_counsellor_may_turn_it_off_with_a_code_an_admin_may_not(app):
    add_user(app, "veileder", ["bosetting"], enrolled=True)
    add_user(app, "admin", ["kommuneadmin"])
    admin = app.test_client()
    staff_login(admin, "admin")
    refused = admin.post(
        "/admin/tofaktor/av", data={"csrf_token": token(admin), "code": current_code(app, "admin")}
    )
    assert refused.status_code == 403 and _user(app, "admin").totp_enabled
    client = app.test_client()
    staff_login(client, "veileder")
    data = {"csrf_token": token(client), "code": "000000"}
    assert client.post("/admin/tofaktor/av", data=data).status_code == 422
    data["code"] = current_code(app, "veileder")
    assert client.post("/admin/tofaktor/av", data=data).status_code == 302
    assert not _user(app, "veileder").totp_enabled and _user(app, "veileder").totp_secret is None
    assert len(_events(app, "staff.totp_disabled")) == 1
    assert client.get("/admin/").status_code == 200
    assert staff_login(app.test_client(), "veileder").location == "/admin/"  # no code asked


# Reset by a system administrator, or by the command


def _reset(client, target: int, confirm: bool = True):
    data = {"csrf_token": token(client), **({"confirm": "yes"} if confirm else {})}
    return client.post(f"/admin/brukere/{target}/tofaktor/nullstill", data=data)


def test_a_system_administrator_resets_another_users_second_factor(app):
    target = add_user(app, "bergen-admin", ["kommuneadmin"])
    add_user(app, "root", ["systemadmin"], None)
    victim = app.test_client()
    staff_login(victim, "bergen-admin")
    root = app.test_client()
    staff_login(root, "root")
    assert 'name="confirm"' in root.get(f"/admin/brukere/{target}").text
    assert _reset(root, target, confirm=False).status_code == 422
    assert _user(app, "bergen-admin").totp_enabled
    assert _reset(root, target).status_code == 302
    assert not _user(app, "bergen-admin").totp_enabled
    event = _events(app, "staff.totp_reset")[-1]
    assert (event.actor_username, event.target_user_id) == ("root", target)
    assert victim.get("/admin/").location.startswith("/admin/login")  # sessions ended
    again = app.test_client()
    assert staff_login(again, "bergen-admin").location == "/admin/"
    assert again.get("/admin/").location.endswith("/admin/tofaktor")  # must enrol again


def test_only_a_system_administrator_resets_and_not_their_own(app):
    target = add_user(app, "veileder", ["bosetting"], enrolled=True)
    add_user(app, "bergen-admin", ["kommuneadmin"])
    root_id = add_user(app, "root", ["systemadmin"], None)
    municipal = app.test_client()
    staff_login(municipal, "bergen-admin")
    assert "tofaktor/nullstill" not in municipal.get(f"/admin/brukere/{target}").text
    assert _reset(municipal, target).status_code == 403
    root = app.test_client()
    staff_login(root, "root")
    assert _reset(root, root_id).status_code == 403
    assert _user(app, "veileder").totp_enabled and _user(app, "root").totp_enabled
    assert _events(app, "staff.totp_reset") == []


def test_the_reset_command_is_audited(app, runner):
    add_user(app, "root", ["systemadmin"], None)
    result = runner.invoke(args=["users", "totp-reset", "root"])
    assert result.exit_code == 0, result.output
    assert not _user(app, "root").totp_enabled
    assert _events(app, "staff.totp_reset")[-1].actor_username == "(command line)"
    assert runner.invoke(args=["users", "totp-reset", "nobody"]).exit_code != 0


# The demo users


def test_demo_enrols_the_administrators_and_says_how_to_log_in(app, runner):
    text = runner.invoke(args=["demo"]).output
    assert text.count("two-step log-in: key") == 2
    assert "pyotp.TOTP(" in text and "recovery code" in text
    users = {u["username"]: u for u in json.loads(runner.invoke(args=["demo", "--json"]).output)[
        "users"
    ]}  # fmt: skip
    assert {name for name, user in users.items() if "totp_secret" in user} == {
        "systemadmin", "bergen-admin"
    }  # fmt: skip
    root = users["systemadmin"]
    assert root["totp_uri"].startswith("otpauth://totp/Kompass:systemadmin?")
    client = app.test_client()
    _password(client, "systemadmin", root["password"])
    assert send_code(client, pyotp.TOTP(root["totp_secret"]).now()).location == "/admin/"
    admin = users["bergen-admin"]
    other = app.test_client()
    _password(other, "bergen-admin", admin["password"])
    assert send_code(other, admin["recovery_code"]).location == "/admin/"
    assert not _user(app, "bergen-bosetting").totp_enabled
