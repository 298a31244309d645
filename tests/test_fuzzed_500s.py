"""Requests that fuzzing turned into HTTP 500s (issue 11): each now gets a message or a 404.

A test asks each of its hostile values in turn on one app and staff log-in (the failing value is
in the assertion's message): none of the requests changes what the next one reads, and an app
and log-in per value cost about half a second each."""

import re

import pytest
from sqlalchemy import select

from auth.staff.models import AuditEvent
from tests.helpers import add_person
from tests.staff_helpers import add_user, staff_login, token

TOO_BIG = "99999999999"  # past the integer columns
JUST_PAST = str(2**31)


@pytest.fixture
def root(app, client):
    add_user(app, "root", ["systemadmin", "bosetting"], "4601")
    staff_login(client, "root")
    return client


def test_ids_past_the_column_are_not_found(app, root):
    for number in (TOO_BIG, JUST_PAST):
        assert root.get(f"/admin/personer/{number}").status_code == 404, number
        form = {"csrf_token": token(root), "role": "bosetting"}
        assert root.post(f"/admin/personer/{number}/koder", data=form).status_code == 404, number
        assert root.get(f"/admin/brukere/{number}").status_code == 404, number
        assert root.post(f"/admin/brukere/{number}/roller", data=form).status_code == 404, number
        confirm = {"csrf_token": token(root), "person_id": number}
        answer = root.post("/admin/kommuner/kompass/bekreft", data=confirm)
        assert answer.status_code == 404, number


AUDIT_DATES = [
    {"until": "9999-12-31"},
    {"since": "9999-12-31"},
    {"since": "0001-01-01", "until": "0001-01-01"},
    {"since": "1-1-1", "until": "99999-01-01"},
]


def test_extreme_dates_in_the_audit_filter_are_answered(root):
    for dates in AUDIT_DATES:
        page = root.post("/admin/logg", data={"csrf_token": token(root), **dates})
        assert page.status_code == 200, dates


NUL_REFUSED = "Forespørselen kunne ikke leses. Gå tilbake og skriv teksten på nytt."


def refused_with_a_message(page) -> bool:
    """A NUL byte (no one types one; PostgreSQL refuses it) gets 400 and the staff message."""
    return page.status_code == 400 and NUL_REFUSED in page.text


def test_a_nul_byte_in_an_audit_filter_is_refused_with_a_message(root):
    for field in ("action", "username", "municipality"):
        page = root.post("/admin/logg", data={"csrf_token": token(root), field: "staff\x00login"})
        assert refused_with_a_message(page), field


def test_a_nul_byte_in_a_staff_user_name_at_log_in_is_refused_with_a_message(app, client):
    add_user(app, "veileder", ["bosetting"])
    assert refused_with_a_message(staff_login(client, "veil\x00eder"))


def user_form(root, **changes):
    form = {"csrf_token": token(root), "username": "ny-bruker", "first_name": "Ny",
            "last_name": "Bruker", "email": "", "phone": "", "municipality": "4601",
            "active": "1", **changes}  # fmt: skip
    return root.post("/admin/brukere/ny", data=form)


def test_a_nul_byte_in_the_user_form_is_refused_with_a_message(root):
    for field in ("username", "first_name", "last_name", "email", "phone", "municipality"):
        assert refused_with_a_message(user_form(root, **{field: "ab\x00cd"})), field


def test_names_longer_than_the_column_are_a_field_error(root):
    for length in (101, 150, 200, 5000):
        page = user_form(root, first_name="N" * length, last_name="B" * length)
        assert page.status_code == 422, length
        for field in ("first_name", "last_name"):  # in the summary and at the field
            assert f'<a href="#{field}">Skriv høyst 100 tegn.</a>' in page.text, length
            assert re.search(rf'id="{field}-error">.*?Skriv høyst 100 tegn\.</p>', page.text)
        assert page.text.count("Skriv høyst 100 tegn.") == 4, length


def test_a_name_of_100_characters_is_kept_whole(app, root):
    page = user_form(root, first_name="N" * 100)
    assert page.status_code == 200
    assert 'value="' + "N" * 100 + '"' in page.text


def test_a_person_id_past_the_column_in_a_code_form_is_not_found(app, root):
    person = add_person(app)
    assert root.get(f"/admin/personer/{person}").status_code == 200
    assert root.get(f"/admin/personer/{person}{TOO_BIG}").status_code == 404


# The second outside security test's 500s (issue 18), on every database.


def test_a_second_factor_code_posted_before_the_page_was_ever_shown_is_answered(app, client):
    add_user(app, "veileder", ["bosetting"], enrolled=False)
    staff_login(client, "veileder")
    page = client.post("/admin/tofaktor", data={"csrf_token": token(client), "code": "123456"})
    assert page.status_code == 200 and "<svg" in page.text


EXPORT_DATES = [
    {"to": "9999-12-31"},
    {"from": "0001-01-01"},
    {"from": "0001-01-01", "to": "9999-12-31"},
]


def test_export_dates_at_the_ends_of_the_calendar_get_a_message(app, root):
    for dates in EXPORT_DATES:
        form = {"csrf_token": token(root), "format": "csv", **dates}
        page = root.post("/admin/eksport", data=form)
        assert page.status_code == 422 and 'role="alert"' in page.text, dates


def test_statistics_for_a_year_past_the_calendar_are_answered(app, root):
    for year in ("9999", "0", "10000", "1899"):
        assert root.get(f"/admin/statistikk?year={year}").status_code == 200, year


def test_a_user_name_that_lower_case_makes_too_long_is_a_failed_log_in(app, client):
    page = staff_login(client, "İ" * 60)
    assert page.status_code == 422
    assert staff_login(client, "İ" * 30).status_code == 422


def test_a_line_break_in_the_export_municipality_is_a_form_error_not_an_export(app, root):
    for municipality in ("4601\r\nX-Injected: 1", "4601\n", "46\r01", "9999"):
        form = {"csrf_token": token(root), "format": "csv", "municipality": municipality}
        page = root.post("/admin/eksport", data=form)
        assert page.status_code == 422, municipality
        assert "Velg en kommune fra listen." in page.text, municipality
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert exports == []
