"""The lockout's rules one at a time (each found by breaking it, `make mutation`): a success
gives its count back to its own key only, a proved-right account is cleared, attempts during
a lock do not lengthen it, each client address counts apart, and a code closed by submitting
logs nobody in and is not stamped as used."""

from datetime import timedelta

from sqlalchemy import select

from auth.code_login import login, throttle
from auth.code_login.models import LoginCode
from auth.code_login.throttle_model import LoginThrottle
from auth.staff.models import User
from engine.app.db import utcnow
from tests.helpers import log_in, make_code, reserve
from tests.staff_helpers import add_user, staff_login

LIMIT = throttle.Limit(3, timedelta(minutes=15))


def _reserve(app, key: str, now) -> bool:
    return reserve(app, key, LIMIT, now)


def _refund(app, key: str) -> None:
    with app.extensions["kompass"].sessions() as session:
        throttle.refund(session, key)
        session.commit()


def _failures(app, key: str) -> int:
    with app.extensions["kompass"].sessions() as session:
        query = select(LoginThrottle.failures).where(LoginThrottle.key == key)
        return session.scalars(query).one()


def _client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_refund_gives_back_one_count_of_its_own_key_and_never_goes_below_zero(app):
    now = utcnow()
    for key in ("a", "a", "b"):
        _reserve(app, key, now)
    _refund(app, "a")
    assert (_failures(app, "a"), _failures(app, "b")) == (1, 1)
    _refund(app, "a")
    _refund(app, "a")
    assert (_failures(app, "a"), _failures(app, "b")) == (0, 1)


def test_attempts_during_a_lock_do_not_lengthen_it(app):
    start = utcnow()
    assert [_reserve(app, "k", start) for _ in range(4)] == [True, True, True, False]
    during = start + timedelta(minutes=10)
    assert not any(_reserve(app, "k", during) for _ in range(5))
    assert _reserve(app, "k", start + timedelta(minutes=16))


def test_failures_older_than_the_window_are_forgotten(app):
    start = utcnow() - timedelta(days=1)  # the window runs on the attempts' time, not the clock
    assert all(_reserve(app, "k", start) for _ in range(3))
    assert _reserve(app, "k", start + LIMIT.lock) is False  # the window's last moment counts
    later = start + LIMIT.lock + timedelta(minutes=16)
    assert [_reserve(app, "k", later) for _ in range(4)] == [True, True, True, False]


def test_a_new_window_starts_at_its_first_failure(app):
    start = utcnow() - timedelta(days=1)
    assert _reserve(app, "k", start)
    again = start + LIMIT.lock + timedelta(seconds=1)  # the first window is over
    assert [_reserve(app, "k", again) for _ in range(3)] == [True, True, True]
    assert _reserve(app, "k", again + timedelta(minutes=14)) is False


def test_a_lock_ends_at_its_moment_with_a_full_count_again(app):
    start = utcnow()
    assert [_reserve(app, "k", start) for _ in range(4)] == [True, True, True, False]
    assert not any(_reserve(app, "k", start + timedelta(minutes=10)) for _ in range(2))
    end = start + LIMIT.lock
    assert [_reserve(app, "k", end) for _ in range(4)] == [True, True, True, False]


def test_successful_staff_log_ins_never_lock_their_address(app):
    app.config["KOMPASS_CLIENT_MAX_FAILURES"] = 3
    add_user(app, "veileder", ["bosetting"])
    statuses = [staff_login(_client_from(app, "10.0.0.1"), "veileder").status_code
                for _ in range(5)]  # fmt: skip
    assert statuses == [302] * 5


def test_a_right_password_clears_the_account_failures(app):
    add_user(app, "veileder", ["bosetting"])
    for _ in range(2):
        for _ in range(4):  # one short of the lock (KOMPASS_LOGIN_MAX_FAILURES is 5)
            assert staff_login(app.test_client(), "veileder", "wrong!").status_code == 422
        assert staff_login(app.test_client(), "veileder").status_code == 302


def test_each_address_is_locked_apart(app):
    app.config["KOMPASS_CLIENT_MAX_FAILURES"] = 3
    add_user(app, "veileder", ["bosetting"])
    for name in ("anna", "bo", "cato", "dina"):
        staff_login(_client_from(app, "10.0.0.1"), name, "wrong!")
    assert staff_login(_client_from(app, "10.0.0.1"), "veileder").status_code == 422
    assert staff_login(_client_from(app, "10.0.0.2"), "veileder").status_code == 302


def test_a_staff_log_in_is_stamped(app):
    user_id = add_user(app, "veileder", ["bosetting"])
    before = utcnow()
    staff_login(app.test_client(), "veileder")
    with app.extensions["kompass"].sessions() as session:
        assert session.get(User, user_id).last_login_at >= before - timedelta(seconds=1)


def test_successful_respondent_log_ins_never_lock_their_address(app, runner):
    app.config["KOMPASS_CLIENT_MAX_FAILURES"] = 3
    numbers = [f"20200000000{n}" for n in range(5)]
    codes = [make_code(runner, number) for number in numbers]
    statuses = [log_in(_client_from(app, "10.0.0.1"), code, number).status_code
                for code, number in zip(codes, numbers, strict=True)]  # fmt: skip
    assert statuses == [302] * 5


def test_wrong_codes_lock_their_own_duf_number_and_address_only(app, runner):
    app.config["KOMPASS_CLIENT_MAX_FAILURES"] = 5
    first, second = "202000000001", "202000000002"
    codes = {number: make_code(runner, number) for number in (first, second)}
    for _ in range(5):  # KOMPASS_LOGIN_MAX_FAILURES is 5: the sixth attempt is refused
        log_in(_client_from(app, "10.0.0.1"), "AAAAAA", first)
    assert log_in(_client_from(app, "10.0.0.1"), codes[second], second).status_code == 422
    assert log_in(_client_from(app, "10.0.0.2"), codes[first], first).status_code == 422
    assert log_in(_client_from(app, "10.0.0.2"), codes[second], second).status_code == 302


def test_a_code_closed_by_submitting_logs_nobody_in_and_is_not_stamped(app, runner):
    code = make_code(runner)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        record = session.scalars(select(LoginCode)).one()
        record.closed_at, record.closed_reason = utcnow(), "submitted"
        session.commit()
        policy = login.Policy.from_config(app.config)
        outcome, person = login.attempt(session, "202000000000", code, "10.0.0.1", policy)
        assert (outcome, person) == (login.Outcome.SUBMITTED, None)
        session.expire_all()
        assert session.scalars(select(LoginCode)).one().first_used_at is None
