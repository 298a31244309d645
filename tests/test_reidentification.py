"""No role can link a pseudonymised export row to a person with what it sees (docs/privacy.md).

The outside tester's join: export rows (created/submitted, mode=interview) against the same
role's audit page rows (time, an interview event, DUF number). A unique match is an export row
that fits exactly one DUF number which fits no other row.
"""

import re
from datetime import date

import pytest
from sqlalchemy import select

from auth.staff import access, audit, roles
from auth.staff.models import User, UserRole
from engine.responses import verification
from engine.responses.respondent import INTERVIEW
from engine.responses.storage import Response
from tests.helpers import add_person
from tests.staff_helpers import add_user, staff_login, token
from tests.test_export import answered, download, tables

ROW = re.compile(
    r"<tr><td>(\d\d)\.(\d\d)\.(\d{4}) [\d:]+</td><td>[^<]*</td><td>[^<]*</td>"
    r"<td>(interview\.[a-z_]+)</td><td>(\d*)</td>"
)
BERGEN = "4601"
TIMES = ("created_at", "updated_at", "submitted_at")


def interview_audit(client) -> list[tuple[date, str]]:
    """(day, DUF number) of every interview event on the role's own audit page."""
    page = client.post("/admin/logg", data={"csrf_token": token(client)})
    assert page.status_code == 200
    return [
        (date(int(y), int(m), int(d)), duf) for d, m, y, _, duf in ROW.findall(page.text) if duf
    ]


def fits(row: dict, day: date) -> bool:
    """Could this export row be the response behind an interview event on `day`?"""
    if row["mode"] not in ("", INTERVIEW):
        return False
    shown = {row["created_at"], row["submitted_at"], row["updated_at"]}
    return any(day.isoformat().startswith(value) for value in shown if value)


def unique_matches(rows: list[dict], events: list[tuple[date, str]]) -> list[tuple[str, str]]:
    candidates = {r["person"]: {duf for day, duf in events if fits(r, day)} for r in rows}
    rows_of = {duf: [p for p, dufs in candidates.items() if duf in dufs] for _, duf in events}
    return [
        (person, next(iter(dufs)))
        for person, dufs in candidates.items()
        if len(dufs) == 1 and len(rows_of[next(iter(dufs))]) == 1
    ]


@pytest.fixture
def municipality(app):
    """Six mappings in Bergen submitted today, one of them in an interview that is audited."""
    counsellor = add_user(app, "counsellor", ["bosetting"], BERGEN)
    persons = [add_person(app, f"2020000003{n:02}", municipality=BERGEN) for n in range(6)]
    for person in persons[1:]:
        answered(app, person)
    answered(app, persons[0], mode=INTERVIEW)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        actor = session.get(User, counsellor)
        for action in ("interview.start", "interview.save", "interview.end"):
            audit.record(session, action, actor, person_id=persons[0], section="about")
    return persons


def exporting_auditors() -> list[str]:
    """Every role that can both export and read the audit log."""
    found = []
    for role in roles.ALL:
        user = User(username=role, municipality=BERGEN, role_rows=[UserRole(role=role)])
        if access.can_export(user) and access.can_read_audit(user):
            found.append(role)
    return found


def test_the_roles_that_can_link_are_the_administrators():
    assert set(exporting_auditors()) == {roles.KOMMUNEADMIN, roles.SYSTEMADMIN}


def verify_every_section(app) -> None:
    """Every response gone through with its person: `verification.set` events to match."""
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        for response in session.scalars(select(Response)):
            questionnaire = state.registry.get(session, response.version_id)
            for section in questionnaire.sections(include_staff=True):
                verification.record(session, response, questionnaire, section.id,
                                    verification.GONE_THROUGH, "user:1")  # fmt: skip
        session.commit()


@pytest.mark.parametrize("role", exporting_auditors())
def test_no_export_row_joins_one_person_on_the_audit_page(app, municipality, role):
    add_user(app, "auditor", [role], BERGEN)
    verify_every_section(app)
    client = app.test_client()
    staff_login(client, "auditor")
    events = interview_audit(client)
    assert {duf for _, duf in events} == {"202000000300"}  # the join has something to find
    response = download(client, format="csv", state="submitted")
    assert response.status_code == 200, response.text
    rows = tables(response.data)["responses"]
    assert len(rows) == 6
    assert unique_matches(rows, events) == []
    assert all(len(r["submitted_at"]) == 4 and r["mode"] == "" for r in rows)
    marks = [value for r in rows for name, value in r.items() if name.startswith("verified_")]
    assert marks and set(marks) == {""}  # audited events: an audit reader could match them


def test_an_analyst_gets_dates_without_time_and_nothing_in_the_order(app, municipality):
    add_user(app, "analyst", ["analytiker"], None)
    client = app.test_client()
    staff_login(client, "analyst")
    rows = tables(download(client, format="csv").data)["responses"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", r[c]) for r in rows for c in TIMES)
    assert "entered_by" not in rows[0] and not any(r["response_id"].isdecimal() for r in rows)
    assert [r["person"] for r in rows] == sorted(r["person"] for r in rows)


@pytest.mark.parametrize(
    "form",
    [{"mode": "interview"}, {"from": "2026-03-04"}, {"to": "2026-03-04"}],
)
def test_an_administrator_cannot_filter_finer_than_the_export_shows(app, municipality, form):
    add_user(app, "admin", [roles.KOMMUNEADMIN], BERGEN)
    client = app.test_client()
    staff_login(client, "admin")
    response = download(client, format="csv", **form)
    assert response.status_code == 422 and "hele år" in response.text


def test_too_few_alike_refuses_the_administrators_export(app):
    for n in range(4):
        answered(app, add_person(app, f"2020000004{n:02}", municipality=BERGEN))
    add_user(app, "admin", [roles.KOMMUNEADMIN], BERGEN)
    client = app.test_client()
    staff_login(client, "admin")
    response = download(client, format="csv")
    assert response.status_code == 422 and "Færre enn 5" in response.text
