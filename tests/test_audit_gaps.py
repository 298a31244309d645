"""Audit gaps (issue 11): interview saves, reading the audit log and users, the commands."""

import json

import pytest

from auth.staff import audit
from renderers.html.journey import BESIDE_KEY
from tests.conftest import csrf_token, hidden
from tests.helpers import add_person
from tests.staff_helpers import add_user, staff_login, token
from tests.test_people import GOOD, HEADER
from tests.test_staff import events

REMARK = "Speaks Norwegian well, secret remark"


def interview(app, client, person: int) -> None:
    add_user(app, "veileder", ["bosetting", "vertskommune"], "4601")
    staff_login(client, "veileder")
    client.post(
        f"/admin/personer/{person}/intervju", data={"csrf_token": token(client), "lang": "en"}
    )


def post(client, section: str, answers: dict, action: str = "next"):
    page = client.get(f"/en/form/{section}").text
    data = {"csrf_token": csrf_token(page), "revision": hidden(page, "revision"),
            "shown": hidden(page, "shown"), "action": action, **answers}  # fmt: skip
    return client.post(f"/en/form/{section}", data=data)


def test_each_section_a_counsellor_saves_is_audited_without_the_answers(app, client):
    person = add_person(app)
    interview(app, client, person)
    post(client, "assessment", {"q.counsellor_remarks": REMARK}, "back")
    post(client, "personal", {"q.mother_tongue": "ar"}, "stay")
    saves = events(app, "interview.save")
    assert [(e.person_id, e.details["section"]) for e in saves] == [
        (person, "assessment"),
        (person, "personal"),
    ]
    assert all(e.actor_username == "veileder" for e in saves)
    assert REMARK not in json.dumps([e.details for e in events(app)])


def test_a_respondents_own_save_is_not_an_interview_event(app, client, runner):
    from tests.helpers import log_in, make_code, post_section

    log_in(client, make_code(runner))
    post_section(client, "en", "personal", {"q.mother_tongue": "ar"}, "stay")
    assert events(app, "interview.save") == []


def test_reading_the_audit_log_the_user_list_and_a_user_is_audited(app, client):
    add_user(app, "admin", ["kommuneadmin"], "4601")
    target = add_user(app, "target", ["bosetting"], "4601")
    staff_login(client, "admin")
    client.get("/admin/brukere")
    assert client.get(f"/admin/brukere/{target}").status_code == 200
    logg = client.post("/admin/logg", data={"csrf_token": token(client), "action": "staff.login",
                                     "until": "2030-01-31"})  # fmt: skip
    assert logg.status_code == 200, logg.text[-2000:]
    [listed] = events(app, "user.list")
    assert (listed.actor_username, listed.details) == ("admin", {"count": 2})
    assert events(app, "user.view")[0].target_user_id == target
    viewed = events(app, "audit.view")[0]
    assert viewed.details["filter_action"] == "staff.login"
    assert viewed.details["filter_until"].startswith("2030-02-01")
    assert viewed.details["filter_municipality"] == "4601"


def test_a_user_update_records_what_changed_but_no_password(app, client):
    add_user(app, "root", ["systemadmin"], None)
    target = add_user(app, "target", ["bosetting"], "4601")
    staff_login(client, "root")
    form = {"csrf_token": token(client), "username": "target", "first_name": "Tor",
            "last_name": "Test", "email": "tor@kommune.no", "phone": "", "municipality": "",
            "active": "1"}  # fmt: skip
    assert client.post(f"/admin/brukere/{target}", data=form).status_code == 302
    [update] = events(app, "user.update")
    assert update.details == {
        "changed": "first_name,email,municipality,roles",
        "municipality": "4601→",
        "roles": "bosetting→",
    }
    client.post(f"/admin/brukere/{target}", data={**form, "active": "0"})
    [deactivated] = events(app, "user.deactivate")
    assert deactivated.details == {"changed": "active", "active": "True→False"}
    assert "password" not in json.dumps([e.details for e in events(app)])


def test_the_commands_are_audited(app, runner, tmp_path):
    csv_file = tmp_path / "persons.csv"
    csv_file.write_text(HEADER + "\n".join(GOOD) + "\n", encoding="utf-8")
    assert runner.invoke(args=["persons", "import", str(csv_file)]).exit_code == 0
    person = add_person(app)
    assert runner.invoke(args=["codes", "create", "--duf", "202000000000"]).exit_code == 0
    assert runner.invoke(args=["demo", "--json"]).exit_code == 0
    [imported] = events(app, "persons.import")
    assert imported.details == {"imported": 2, "updated": 0, "problems": 0}
    [code] = events(app, "code.create")
    assert code.person_id == person
    [demo] = events(app, "demo.load")
    assert demo.details["users"] > 0
    assert {imported.actor_username, code.actor_username, demo.actor_username} == {
        audit.COMMAND_LINE
    }


@pytest.mark.parametrize("beside", ["x" * 5000, "xx", "en"])
def test_only_a_known_second_language_is_kept_and_audited(app, client, beside):
    person = add_person(app)
    add_user(app, "veileder", ["bosetting"], "4601")
    staff_login(client, "veileder")
    form = {"csrf_token": token(client), "lang": "en", "beside": beside}
    assert client.post(f"/admin/personer/{person}/intervju", data=form).status_code == 302
    assert events(app, "interview.open")[0].details == {"lang": "en", "beside": None}
    with client.session_transaction() as session:
        assert session.get(BESIDE_KEY) is None
    client.get("/en/form/personal?beside=" + "y" * 5000)
    with client.session_transaction() as session:
        assert session.get(BESIDE_KEY) is None
