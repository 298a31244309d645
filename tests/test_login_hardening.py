"""Log-in findings of the outside security test: equal hash work, typed digits, audit scope."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from auth.code_login.models import LoginCode
from auth.people import duf
from auth.staff.models import AuditEvent
from tests.helpers import add_person, log_in, make_code
from tests.staff_helpers import add_user, staff_login

ARABIC_INDIC = "٢٠٢٠ ٠٠٠٠ ٠٠٠٠"
PERSIAN = "۲۰۲۰۰۰۰۰۰۰۰۰"


@pytest.fixture
def verifications(monkeypatch):
    """Counts every argon2 verification made, whatever the hash it checks against."""
    counted = []
    original = PasswordHasher.verify

    def counting(self, hash_, password):
        counted.append(1)
        return original(self, hash_, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return counted


def _expire_codes(app) -> None:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        for record in session.scalars(select(LoginCode)):
            record.valid_to -= timedelta(days=30)
        session.commit()


def test_every_failed_respondent_log_in_verifies_one_hash(app, client, runner, verifications):
    make_code(runner, "202000000000")
    add_person(app, "201900000000")
    make_code(runner, "201800000000")
    _expire_codes(app)
    make_code(runner, "202000000000")
    counts = []
    for number in ("202000000000", "201900000000", "201800000000", "201700000000"):
        before = len(verifications)
        assert log_in(client, "AAAAAA", duf=number).status_code == 422
        counts.append(len(verifications) - before)
    assert counts == [1, 1, 1, 1]


def test_unknown_and_deactivated_staff_verify_one_hash(app, client, verifications):
    add_user(app, "veileder", ["bosetting"])
    add_user(app, "sovende", ["bosetting"], active=False)
    counts = []
    for username in ("veileder", "sovende", "nobody"):
        before = len(verifications)
        assert staff_login(client, username, "wrong password!").status_code == 422
        counts.append(len(verifications) - before)
    assert counts == [1, 1, 1]


@pytest.mark.parametrize("typed", [ARABIC_INDIC, PERSIAN])
def test_arabic_indic_and_persian_digits_are_read_as_ascii(typed):
    assert duf.normalise_typed(typed) == "202000000000"
    with pytest.raises(duf.InvalidDuf):
        duf.normalise(typed)


@pytest.mark.parametrize(
    "typed", ["2020000000²0", "２０２００００００００００", "202000000000\u0665"]
)
def test_other_unicode_digits_are_refused(typed):
    with pytest.raises(duf.InvalidDuf):
        duf.normalise_typed(typed)


def test_a_respondent_logs_in_with_persian_digits(client, runner):
    code = make_code(runner)
    assert log_in(client, code, duf=PERSIAN).status_code == 302


def test_superscript_digits_get_the_clear_duf_message(client):
    response = log_in(client, "AAAAAA", duf="2020000000²0")
    assert response.status_code == 422 and "12 digits" in response.text


def test_failed_staff_log_ins_carry_the_accounts_municipality(app, client):
    add_user(app, "veileder", ["bosetting"], municipality="4601")
    add_user(app, "kommuneadmin", ["kommuneadmin"], municipality="4601")
    staff_login(client, "veileder", "wrong password!")
    staff_login(client, "ukjent", "wrong password!")
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        failed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "staff.login_failed")
        ).all()
    assert (failed[0].actor_username, failed[0].actor_municipality) == ("veileder", "4601")
    assert failed[1].actor_username.startswith("unknown:") and not failed[1].actor_municipality
    admin = app.test_client()
    staff_login(admin, "kommuneadmin")
    page = admin.get("/admin/logg").text
    assert "<td>veileder</td><td>4601</td><td>staff.login_failed</td>" in page
    assert "<td>ukjent</td>" not in page
