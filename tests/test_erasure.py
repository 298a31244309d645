"""Erasing one person on request: from the staff UI (system administrators) and the command line."""

import re

import pytest
from sqlalchemy import func, select

from adminui import statistics
from auth.code_login.models import LoginCode
from auth.people.models import Person
from auth.staff.models import AuditEvent
from engine.app.context import db_session
from engine.export import rows
from engine.responses.storage import Response, Submission
from tests.helpers import add_person, make_code
from tests.staff_helpers import add_user, staff_login, token
from tests.test_export import answered, run_export
from tests.test_lockout_races import at_once
from tests.test_retention import ANSWERS
from tests.test_statistics import analyst

DUF = "202000000001"
OTHER = "202000000002"
NAME = ("Amina", "Haddad")


@pytest.fixture
def mapped(app, runner):
    """A person with a submitted mapping and a code, and another person who stays."""
    person_id = add_person(app, DUF, first_name=NAME[0], last_name=NAME[1])
    make_code(runner, DUF)
    answered(app, person_id, answers=ANSWERS)
    other = add_person(app, OTHER)
    answered(app, other, answers=ANSWERS)
    return person_id


def admin_client(app, roles=("systemadmin",)):
    add_user(app, "admin", list(roles), None)
    client = app.test_client()
    staff_login(client, "admin")
    return client


def check(client, typed=DUF):
    return client.post("/admin/sletting", data={"csrf_token": token(client), "duf": typed})


def confirm(client, person_id):
    data = {"csrf_token": token(client), "person_id": str(person_id)}
    return client.post("/admin/sletting/slett", data=data)


def table_counts(app) -> dict[str, int]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Person, LoginCode, Response, Submission)
        }


def shown_counts(html: str) -> list[str]:
    return re.findall(r'<th scope="row">[^<]*</th><td>(\d+)</td>', html)


def audit_events(app) -> list[AuditEvent]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_the_confirmation_shows_counts_and_erases_nothing(app, mapped):
    client = admin_client(app)
    before = table_counts(app)
    page = check(client, "2020 0000 0001")
    assert page.status_code == 200
    # person, mapping, snapshot, code, contact details
    assert shown_counts(page.text) == ["1", "1", "1", "1", "0"]
    assert NAME[0] not in page.text and NAME[1] not in page.text
    assert table_counts(app) == before
    assert audit_events(app)[-1].action == "person.erase_check"


def test_erasing_removes_the_person_their_mapping_snapshots_and_codes(app, mapped):
    client = admin_client(app)
    before = table_counts(app)
    page = confirm(client, mapped)
    assert page.status_code == 200
    assert shown_counts(page.text) == ["1", "1", "1", "1", "0"]
    assert table_counts(app) == {
        "persons": before["persons"] - 1, "login_codes": before["login_codes"] - 1,
        "responses": before["responses"] - 1, "response_submissions": 1,
    }  # fmt: skip
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        assert session.get(Person, mapped) is None
        assert not session.scalar(
            select(func.count()).where(Response.subject == f"person:{mapped}")
        )
    assert check(client).status_code == 404


def test_the_audit_entries_hold_counts_and_an_opaque_id_never_the_person(app, mapped):
    client = admin_client(app)
    check(client)
    confirm(client, mapped)
    events = audit_events(app)
    erased = [e for e in events if e.action == "person.erase"]
    assert len(erased) == 1 and erased[0].person_id == mapped
    assert erased[0].details == {
        "persons_deleted": 1, "responses_deleted": 1, "submissions_deleted": 1,
        "login_codes_deleted": 1,
    }  # fmt: skip
    for event in events:
        text = str(event.details) + event.actor_username
        assert DUF not in text and NAME[0] not in text and NAME[1] not in text


def test_every_audit_entry_of_a_persons_life_is_free_of_personal_data(app, mapped):
    """From search to erasure, as counsellor and administrator: no DUF number, no name."""
    add_user(app, "veileder", ["bosetting"], "4601")
    counsellor = app.test_client()
    staff_login(counsellor, "veileder")
    counsellor.post("/admin/kommuner/kompass/sok", data={"csrf_token": token(counsellor),
                                                          "duf": DUF})  # fmt: skip
    counsellor.get(f"/admin/personer/{mapped}")
    counsellor.get(f"/admin/personer/{mapped}/kartlegging")
    counsellor.post(f"/admin/personer/{mapped}/koder",
                    data={"csrf_token": token(counsellor), "confirm": "1", "revision": "3",
                          "reason": "Rettelse"})  # fmt: skip
    admin = admin_client(app)
    check(admin)
    confirm(admin, mapped)
    events = audit_events(app)
    assert {"person.search", "person.view", "mapping.read", "person.erase"} <= {
        e.action for e in events
    }
    for event in events:
        text = f"{event.details} {event.actor_username}"
        assert DUF not in text and NAME[0] not in text and NAME[1] not in text


def test_exports_and_statistics_no_longer_hold_the_person(app, mapped, tmp_path):
    pseudonym = rows.pseudonym("test-pseudonym-key", f"person:{mapped}")
    before = run_export(app, tmp_path, "--format", "csv", name="before.zip")["responses"]
    assert pseudonym in {r["person"] for r in before}
    submitted_before = submitted_count(app)
    confirm(admin_client(app), mapped)
    after = run_export(app, tmp_path, "--format", "csv", "--identifiable",
                       name="after-identifiable.zip")["responses"]  # fmt: skip
    assert len(after) == len(before) - 1
    assert pseudonym not in {r["person"] for r in after}
    assert DUF not in {r["duf"] for r in after}
    assert submitted_count(app) == submitted_before - 1 == 1
    assert analyst(app).get("/admin/statistikk").status_code == 200


def submitted_count(app) -> int:
    """What the statistics page counts as submitted (before small cells are hidden)."""
    with app.test_request_context():
        src = statistics.source(db_session(), "kompass")
        return statistics.count(db_session(), src, statistics.Filters()).state["submitted"]


def test_only_a_system_administrator_may_erase(app, mapped):
    for roles in (["analytiker"], ["kommuneadmin"], ["innholdsredaktor"]):
        add_user(app, roles[0], roles, "4601")
        client = app.test_client()
        staff_login(client, roles[0])
        assert client.get("/admin/sletting").status_code == 403
        assert check(client).status_code == 403
        assert confirm(client, mapped).status_code == 403
    anonymous = app.test_client()
    assert confirm(anonymous, mapped).status_code == 401
    assert table_counts(app)["persons"] == 2


@pytest.mark.parametrize(
    ("typed", "status", "message"),
    [("12345", 422, "12 digits"), ("201900000000", 404, "No person"), ("", 422, "12 digits")],
)
def test_a_bad_duf_number_gets_a_message(app, mapped, typed, status, message):
    client = admin_client(app)
    client.post("/admin/language", data={"csrf_token": token(client), "locale": "en"})
    page = check(client, typed)
    assert page.status_code == status and message in page.text


@pytest.mark.parametrize("person_id", ["", "abc", "-1", "99999999999999999999", "999"])
def test_a_bad_person_id_is_not_found(app, mapped, person_id):
    assert confirm(admin_client(app), person_id).status_code == 404
    assert table_counts(app)["persons"] == 2


def test_the_form_posts_need_the_csrf_token(app, mapped):
    client = admin_client(app)
    assert client.post("/admin/sletting", data={"duf": DUF}).status_code == 400
    assert client.post("/admin/sletting/slett", data={"person_id": mapped}).status_code == 400
    assert table_counts(app)["persons"] == 2


def test_erasures_at_the_same_time_erase_once_and_audit_once(app, mapped):
    clients = []
    for n in range(4):
        add_user(app, f"admin{n}", ["systemadmin"], None)
        clients.append(app.test_client())
        staff_login(clients[-1], f"admin{n}")
    tokens = [token(client) for client in clients]
    data = [{"csrf_token": t, "person_id": str(mapped)} for t in tokens]
    pending = list(zip(clients, data, strict=True))
    statuses = at_once(4, lambda: _post(pending.pop()))
    assert sorted(statuses) == [200, 404, 404, 404]
    assert [e.action for e in audit_events(app)].count("person.erase") == 1
    assert table_counts(app)["persons"] == 1


def _post(pair) -> int:
    client, data = pair
    return client.post("/admin/sletting/slett", data=data).status_code


def test_the_command_line_erases_and_audits(app, mapped):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["persons", "erase", "--duf", DUF], input="n\n")
    assert result.exit_code == 1 and "persons_deleted: 1" in result.output
    assert table_counts(app)["persons"] == 2
    result = runner.invoke(args=["persons", "erase", "--duf", DUF, "--yes"])
    assert result.exit_code == 0, result.output
    assert "Erased:" in result.output and "responses_deleted: 1" in result.output
    assert table_counts(app)["persons"] == 1
    event = audit_events(app)[-1]
    assert (event.action, event.person_id, event.actor_username) == (
        "person.erase", mapped, "(command line)")  # fmt: skip
    assert DUF not in str(event.details)
    again = runner.invoke(args=["persons", "erase", "--duf", DUF, "--yes"])
    assert again.exit_code == 1 and "no person" in again.output
    bad = runner.invoke(args=["persons", "erase", "--duf", "12", "--yes"])
    assert bad.exit_code == 2 and "12 digits" in bad.output


def test_the_audit_log_page_no_longer_shows_the_duf_number(app, mapped):
    client = admin_client(app)
    check(client)
    assert DUF in client.get("/admin/logg").text
    confirm(client, mapped)
    page = client.get("/admin/logg")
    assert "person.erase" in page.text and DUF not in page.text
