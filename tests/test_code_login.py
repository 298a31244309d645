"""Login codes: how they are made, stored, used, replaced, expired and locked out."""

import json
import re
import threading
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError
from sqlalchemy import select

from auth.code_login import bounded_hashing, codes
from auth.code_login.models import LoginCode
from auth.people import duf
from auth.people.models import Person
from auth.staff import passwords
from engine.app.db import utcnow
from tests.helpers import add_person, log_in, make_code

GENERIC_FAILURE = "We could not log you in"


def test_codes_use_six_characters_without_look_alikes():
    made = {codes.generate() for _ in range(2000)}
    assert len(made) > 1990
    assert all(re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code) for code in made)
    assert not set("".join(made)) & set("01IO")


@pytest.mark.parametrize("typed", ["202000000000", "2020 0000 0000", " 202000000000 "])
def test_duf_numbers_accept_spaces(typed):
    assert duf.normalise(typed) == "202000000000"


@pytest.mark.parametrize("typed", ["", "2020", "20200000000A", "2020-0000-0000", "302000000000"])
def test_malformed_duf_numbers_are_rejected(typed):
    with pytest.raises(duf.InvalidDuf):
        duf.normalise(typed)


def test_only_a_hash_of_the_code_is_stored(app, runner):
    code = make_code(runner)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        [record] = session.scalars(select(LoginCode)).all()
        assert code not in record.code_hash
        assert record.code_hash.startswith(codes.PEPPERED + "$argon2id$")
        assert record.masked != code and record.masked[0] == code[0]
        assert record.valid_to - record.valid_from == timedelta(days=7)


def test_login_is_case_insensitive_and_stamps_first_use(app, client, runner):
    code = make_code(runner)
    response = log_in(client, code.lower())
    assert response.status_code == 302 and response.location.endswith("/en/kompass/form/")
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        [record] = session.scalars(select(LoginCode)).all()
        assert record.first_used_at is not None


def test_the_same_code_resumes_until_expiry(app, client, runner):
    code = make_code(runner)
    assert log_in(client, code).status_code == 302
    client.post("/en/logout", data={"csrf_token": _token(client)})
    assert log_in(client, code).status_code == 302
    _age_codes(app, days=8)
    client.post("/en/logout", data={"csrf_token": _token(client)})
    response = log_in(client, code)
    assert response.status_code == 422 and GENERIC_FAILURE in response.text


def test_a_new_code_replaces_the_old_one(client, runner):
    old = make_code(runner)
    new = make_code(runner)
    failed = log_in(client, old)
    assert failed.status_code == 422 and GENERIC_FAILURE in failed.text
    assert log_in(client, new).status_code == 302


def test_every_failure_gives_the_same_message(client, runner):
    code = make_code(runner)
    wrong_code = log_in(client, "AAAAAA")
    unknown_person = log_in(client, code, duf="201900000000")
    assert wrong_code.status_code == unknown_person.status_code == 422
    assert _error(wrong_code.text) == _error(unknown_person.text)
    assert GENERIC_FAILURE in _error(wrong_code.text)


def test_a_malformed_duf_number_gets_its_own_message(client):
    response = log_in(client, "ABCDEF", duf="12345")
    assert response.status_code == 422
    assert "12 digits" in response.text


def test_repeated_failures_lock_the_duf_number(client, runner):
    code = make_code(runner)
    for _ in range(5):
        assert log_in(client, "AAAAAA").status_code == 422
    locked = log_in(client, code)
    assert locked.status_code == 422 and GENERIC_FAILURE in locked.text


def test_repeated_failures_from_one_client_are_limited(app, client, runner):
    code = make_code(runner, duf="202100000017")
    app.config["KOMPASS_CLIENT_MAX_FAILURES"] = 4
    for number in range(4):
        log_in(client, "AAAAAA", duf=f"20200000000{number}")
    assert log_in(client, code, duf="202100000017").status_code == 422


def test_no_duf_number_or_code_in_urls(client, runner):
    code = make_code(runner)
    response = log_in(client, code)
    assert "202000000000" not in response.location and code not in response.location


def test_codes_create_command_prints_code_and_validity(app, runner):
    unknown = runner.invoke(args=["codes", "create", "--duf", "2020 0000 0000"])
    assert unknown.exit_code != 0 and "no person with this DUF number" in unknown.output
    add_person(app)
    result = runner.invoke(args=["codes", "create", "--duf", "2020 0000 0000"])
    assert result.exit_code == 0
    assert re.search(r"Code: [A-Z2-9]{6}", result.output)
    assert "Valid to" in result.output
    bad = runner.invoke(args=["codes", "create", "--duf", "12"])
    assert bad.exit_code != 0 and "12 digits" in bad.output


def test_demo_json_lists_persons_with_fresh_codes(runner, client):
    result = runner.invoke(args=["demo", "--json"])
    data = json.loads(result.output)
    assert len(data["persons"]) >= 2
    first = data["persons"][0]
    assert log_in(client, first["code"], duf=first["duf"]).status_code == 302


def _age_codes(app, days: int) -> None:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        for record in session.scalars(select(LoginCode)):
            record.valid_from -= timedelta(days=days)
            record.valid_to -= timedelta(days=days)
        session.commit()
        assert session.scalars(select(Person)).first().codes[0].valid_to < utcnow()


def _token(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client.get("/en/login").text)


def _error(html: str) -> str:
    return re.search(r'class="error-message"[^>]*><p>([^<]*)', html).group(1)


def _stored_hash(app) -> str:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return session.scalars(select(LoginCode)).one().code_hash


def _set_stored_hash(app, value: str) -> None:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.scalars(select(LoginCode)).one().code_hash = value
        session.commit()


def test_a_code_stored_before_the_pepper_and_new_parameters_still_logs_in(app, client, runner):
    code = make_code(runner)
    _set_stored_hash(app, PasswordHasher().hash(code))  # the parameters used until now
    assert log_in(client, "WRONG2").status_code == 422
    assert _stored_hash(app).startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert log_in(client, code).status_code == 302
    upgraded = _stored_hash(app)
    assert upgraded.startswith(codes.PEPPERED + "$argon2id$v=19$m=1024,t=1,p=1$")  # "fast" here
    client.post("/en/logout")
    assert log_in(client, code).status_code == 302
    assert _stored_hash(app) == upgraded


def test_codes_are_hashed_with_the_parameters_of_the_threat_model(app):
    with app.app_context():
        stored = codes.hash_code("ABCDEF")
    assert stored.startswith(codes.PEPPERED + "$argon2id$v=19$m=8192,t=1,p=1$")


def test_the_database_alone_does_not_check_a_code(app, runner):
    code = make_code(runner)
    stored = _stored_hash(app).removeprefix(codes.PEPPERED)
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(stored, code)
    record = LoginCode(code_hash=codes.PEPPERED + stored)
    with app.app_context():
        assert codes.matches(record, code, "fast")
        app.config["SECRET_KEY"] = "another-secret"
        assert not codes.matches(record, code, "fast")


@pytest.mark.parametrize("hasher", [
    bounded_hashing.BoundedHasher(time_cost=1, memory_cost=1024, parallelism=1),
    passwords.HASHERS["fast"],
], ids=["code", "password"])  # fmt: skip
def test_at_most_the_slots_hash_at_once(hasher):
    """Codes and staff passwords share the per-process bound."""
    stored = hasher.hash("ABCDEF")
    taken = 0
    while bounded_hashing.HASH_SLOTS.acquire(blocking=False):
        taken += 1
    done = threading.Event()
    waiting = threading.Thread(target=lambda: hasher.verify(stored, "ABCDEF") and done.set())
    try:
        waiting.start()
        assert taken >= 1 and not done.wait(0.3)
    finally:
        for _ in range(taken):
            bounded_hashing.HASH_SLOTS.release()
    assert done.wait(5)
    waiting.join()
