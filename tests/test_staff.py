"""Staff log-in, user administration, person search, codes, printing, interviews, audit."""

import csv
import io
import re

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from auth.staff import passwords
from auth.staff.models import AuditEvent, User
from engine.responses.storage import Response
from tests.conftest import csrf_token, hidden
from tests.helpers import add_person, log_in
from tests.staff_helpers import (
    PASSWORD,
    add_mottak_person,
    add_user,
    build_world,
    new_code_from,
    staff_login,
    token,
)


def events(app, action=None):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return session.scalars(query).all()


@pytest.fixture
def counsellor(app, client):
    add_user(app, "veileder", ["bosetting", "vertskommune"], "4601")
    staff_login(client, "veileder")
    return client


def make_code(client, person_id: int) -> str:
    page = client.post(f"/admin/personer/{person_id}/koder", data={"csrf_token": token(client)})
    return new_code_from(page.text)


def search(client, duf):
    return client.post(
        "/admin/kommuner/kompass/sok", data={"csrf_token": token(client), "duf": duf}
    )


def test_log_in_and_out_are_audited(app, client):
    add_user(app, "veileder", ["bosetting"])
    assert staff_login(client, "veileder").location.endswith("/admin/")
    client.post("/admin/logout", data={"csrf_token": token(client)})
    assert client.get("/admin/").status_code == 302
    assert [e.action for e in events(app)] == ["staff.login", "staff.logout"]


def test_failures_look_the_same_and_lock_the_account(app, client):
    add_user(app, "veileder", ["bosetting"])
    add_user(app, "sovende", ["bosetting"], active=False)
    wrong = staff_login(client, "veileder", "wrong password!")
    unknown = staff_login(client, "nobody", PASSWORD)
    inactive = staff_login(client, "sovende", PASSWORD)
    assert wrong.status_code == unknown.status_code == inactive.status_code == 422
    assert _error(wrong.text) == _error(unknown.text) == _error(inactive.text)
    for _ in range(4):
        staff_login(client, "veileder", "wrong password!")
    assert staff_login(client, "veileder").status_code == 422
    assert len(events(app, "staff.login_failed")) == 8


def test_deactivating_a_user_ends_their_sessions(app):
    add_user(app, "admin", ["kommuneadmin"])
    victim_id = add_user(app, "veileder", ["bosetting"])
    victim, admin = app.test_client(), app.test_client()
    staff_login(victim, "veileder")
    assert victim.get("/admin/").status_code == 200
    staff_login(admin, "admin")
    form = {"csrf_token": token(admin), "username": "veileder", "first_name": "V",
            "last_name": "L", "email": "", "phone": "", "active": "0"}  # fmt: skip
    assert admin.post(f"/admin/brukere/{victim_id}", data=form).status_code == 302
    assert victim.get("/admin/").status_code == 302
    assert staff_login(victim, "veileder").status_code == 422
    assert events(app, "user.deactivate")[0].target_user_id == victim_id


def test_sessions_expire_when_idle(app, client):
    add_user(app, "veileder", ["bosetting"])
    staff_login(client, "veileder")
    with client.session_transaction() as session:
        session["staff"] = {**session["staff"], "seen": session["staff"]["seen"] - 31 * 60}
    assert client.get("/admin/").status_code == 302


def test_create_admin_command_and_first_password(app, runner, client):
    result = runner.invoke(
        args=["users", "create-admin", "--username", "root"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert staff_login(client, "root").status_code == 302
    assert client.get("/admin/brukere").location.endswith("/admin/tofaktor")
    weak = runner.invoke(args=["users", "create-admin", "--username", "x"], input="short\nshort\n")
    assert weak.exit_code != 0


def test_a_new_user_gets_a_one_time_password_and_must_change_it(app, client):
    add_user(app, "admin", ["kommuneadmin"])
    staff_login(client, "admin")
    form = {"csrf_token": token(client), "username": "ny-veileder", "first_name": "Ny",
            "last_name": "Veileder", "email": "ny@bergen.kommune.no", "phone": "99999000",
            "active": "1", "municipality": "0301"}  # fmt: skip
    page = client.post("/admin/brukere/ny", data=form)
    password = re.search(r'class="code">([^<]+)<', page.text).group(1)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        created = session.scalars(select(User).where(User.username == "ny-veileder")).one()
        assert created.municipality == "4601"
        assert password not in created.password_hash
    newcomer = app.test_client()
    staff_login(newcomer, "ny-veileder", password)
    assert newcomer.get("/admin/").location.endswith("/admin/password")
    newcomer.post("/admin/password", data={"csrf_token": token(newcomer), "current": password,
                                           "new": PASSWORD, "repeat": PASSWORD})  # fmt: skip
    assert newcomer.get("/admin/").status_code == 200


def test_user_form_errors_are_shown_and_nothing_is_saved(app, client):
    add_user(app, "admin", ["kommuneadmin"])
    staff_login(client, "admin")
    form = {"csrf_token": token(client), "username": "A B", "first_name": "", "last_name": "",
            "email": "not-an-address", "phone": "12", "active": "1"}  # fmt: skip
    page = client.post("/admin/brukere/ny", data=form)
    assert page.status_code == 422
    assert page.text.count('class="error-message"') == 5
    assert events(app, "user.create") == []


def test_a_municipal_admin_cannot_give_national_roles(app, client):
    add_user(app, "admin", ["kommuneadmin"])
    target = add_user(app, "veileder", [])
    staff_login(client, "admin")
    page = client.get(f"/admin/brukere/{target}").text
    assert 'value="bosetting"' in page and 'value="systemadmin"' not in page
    client.post(f"/admin/brukere/{target}/roller", data={"csrf_token": token(client),
                                                         "role": "vertskommune"})  # fmt: skip
    assert [e.details["role"] for e in events(app, "role.add")] == ["vertskommune"]


def test_search_is_a_post_and_shows_the_seed_fields(app, counsellor):
    add_person(app)
    page = search(counsellor, "2020 0000 0000")
    assert page.status_code == 200
    for value in ("Navn Navnesen", "Syria", "Bergen"):
        assert value in page.text
    assert counsellor.get("/admin/kommuner/kompass/sok").status_code == 405
    assert events(app, "person.search")[0].details == {"result": "hit"}


def test_not_yours_looks_exactly_like_not_found(app, counsellor):
    add_person(app, "201900000123", municipality="0301")
    not_yours = search(counsellor, "201900000123")
    not_found = search(counsellor, "201900000999")
    assert not_yours.status_code == not_found.status_code == 404
    assert masked(not_yours.text, "201900000123") == masked(not_found.text, "201900000999")


def masked(page: str, duf: str) -> str:
    """The page without what may differ between two requests: the DUF number and the
    time-stamped CSRF token."""
    page = re.sub(r'(name="csrf_token" value=")[^"]*"', r'\1TOKEN"', page)
    return page.replace(duf, "X")


def test_a_malformed_duf_number_gets_a_clear_message(counsellor):
    page = search(counsellor, "2020-00")
    assert page.status_code == 422 and "12" in page.text


def test_codes_are_shown_once_then_masked_and_replace_earlier_ones(app, counsellor):
    person = add_person(app)
    first = make_code(counsellor, person)
    second = make_code(counsellor, person)
    page = counsellor.get(f"/admin/personer/{person}").text
    assert first not in page and second not in page
    rows = re.findall(r"<tr><td class=\"code\">([^<]+)</td>.*?<td>([^<]*)</td></tr>", page)
    assert [status for _, status in rows] == ["Gyldig", "Erstattet"]
    assert rows[0][0] == second[0] + "••••" + second[-1]
    anonymous = app.test_client()
    assert log_in(anonymous, first).status_code == 422
    assert log_in(anonymous, second).status_code == 302
    assert len(events(app, "code.create")) == 2


def test_the_person_page_shows_the_mapping_state(app, counsellor, client):
    person = add_person(app)
    code = make_code(counsellor, person)
    assert "Ingen kartlegging er startet." in counsellor.get(f"/admin/personer/{person}").text
    respondent = app.test_client()
    log_in(respondent, code)
    respondent.get("/en/form/personal")
    page = counsellor.get(f"/admin/personer/{person}").text
    assert "Startet, ikke sendt inn" in page and "Besvart av personen alene." in page
    assert re.search(r"<td>\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d</td><td>Gyldig</td>", page)


def test_the_printed_slip_has_code_duf_validity_and_two_languages(app, counsellor):
    person = add_person(app)
    made = counsellor.post(
        f"/admin/personer/{person}/koder", data={"csrf_token": token(counsellor)}
    )
    code = new_code_from(made.text)
    slip = counsellor.post(f"/admin/personer/{person}/skriv-ut",
                           data={"csrf_token": token(counsellor), "code": code.lower(),
                                 "slip_lang": "ti"})  # fmt: skip
    assert slip.status_code == 200
    assert code in slip.text and "202000000000" in slip.text and "http://localhost/" in slip.text
    assert 'lang="nb" dir="ltr"' in slip.text and 'lang="ti" dir="ltr"' in slip.text
    assert "@media print" in counsellor.get("/admin/static/admin.css").text
    assert events(app, "code.print")[0].details == {"language": "ti"}


def test_interview_mode_uses_the_respondent_pages_and_records_who(app, counsellor):
    person = add_mottak_person(app, "202100000017", "4601")
    start = counsellor.post(
        f"/admin/personer/{person}/intervju",
        data={"csrf_token": token(counsellor), "lang": "ti", "beside": "nb"},
    )
    assert start.location.endswith("/ti/kompass/form/")
    page = counsellor.get("/ti/form/personal").text
    assert 'class="t beside" lang="nb"' in page
    assert counsellor.get("/ti/form/assessment").status_code == 200
    assessment = counsellor.get("/ti/form/assessment").text
    counsellor.post("/ti/form/assessment", data={
        "csrf_token": csrf_token(assessment), "revision": hidden(assessment, "revision"),
        "shown": hidden(assessment, "shown"), "q.counsellor_remarks": "Good Norwegian.",
        "action": "back"})  # fmt: skip
    with app.extensions["kompass"].sessions() as session:
        response = session.scalars(select(Response)).one()
        assert response.subject == f"person:{person}"
        assert response.mode == "interview" and response.entered_by.startswith("user:")
        assert response.answers["counsellor_remarks"] == "Good Norwegian."
    assert events(app, "interview.open")[0].person_id == person
    logout = counsellor.post("/ti/logout", data={"csrf_token": csrf_token(page)})
    assert logout.location.endswith(f"/admin/personer/{person}")
    assert counsellor.get("/ti/form/personal").status_code == 302


def test_the_staff_section_stays_hidden_from_the_person(app, counsellor):
    person = add_person(app)
    code = make_code(counsellor, person)
    respondent = app.test_client()
    log_in(respondent, code)
    assert respondent.get("/en/form/assessment").status_code == 404


def test_audit_log_views_and_export(app, runner):
    world = build_world(app)
    bergen, oslo, root = app.test_client(), app.test_client(), app.test_client()
    staff_login(bergen, "actor-kommuneadmin")
    staff_login(oslo, "actor-kommuneadmin_other")
    staff_login(root, "actor-systemadmin")
    bergen_page = bergen.get("/admin/logg").text
    assert "actor-kommuneadmin_other" not in bergen_page and "actor-kommuneadmin" in bergen_page
    root_page = root.get("/admin/logg").text
    assert "actor-kommuneadmin_other" in root_page
    filtered = root.post("/admin/logg", data={"csrf_token": token(root), "municipality": "0301"})
    assert (
        "actor-kommuneadmin_other" in filtered.text and ">actor-kommuneadmin<" not in filtered.text
    )
    result = runner.invoke(args=["audit", "export"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {row["action"] for row in rows} == {"staff.login", "audit.view"}
    assert {row["actor_username"] for row in rows} >= {"actor-systemadmin", "actor-kommuneadmin"}
    assert world.settled_bergen


def test_the_audit_log_is_append_only(app):
    add_user(app, "veileder", ["bosetting"])
    staff_login(app.test_client(), "veileder")
    engine = app.extensions["kompass"].sessions.kw["bind"]
    for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError), engine.begin() as connection:
            connection.execute(text(statement))
    assert [e.action for e in events(app)] == ["staff.login"]


def test_staff_ui_is_norwegian_first_with_english_second(app, counsellor):
    page = counsellor.get("/admin/").text
    assert "Arbeidsflate" in page and "Tildele koder til innlogging" in page
    counsellor.post("/admin/language", data={"csrf_token": token(counsellor), "locale": "en"})
    assert "Assign login codes" in counsellor.get("/admin/").text


def _error(html: str) -> str:
    return re.search(r'class="error-summary".*?<a href="#username">([^<]*)', html, re.S).group(1)


def test_a_password_hashed_with_other_parameters_is_rehashed_at_the_next_right_log_in(app, client):
    add_user(app, "veileder", ["bosetting"])
    old = PasswordHasher().hash(PASSWORD)  # argon2's defaults: 64 MiB, four lanes
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.scalars(select(User).where(User.username == "veileder")).one().password_hash = old
        session.commit()
    assert staff_login(client, "veileder", "wrong password").status_code != 302
    assert _password_hash(app, "veileder") == old
    assert staff_login(client, "veileder").status_code == 302
    rehashed = _password_hash(app, "veileder")
    assert rehashed != old and not passwords.needs_rehash(rehashed, "fast")


def _password_hash(app, username: str) -> str:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return session.scalars(select(User).where(User.username == username)).one().password_hash
