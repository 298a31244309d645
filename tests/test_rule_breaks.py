"""Rules that an outside review broke one at a time without a test failing (issue 11).

Each test names the rule it guards; breaking that rule in the code makes it fail.
"""

from sqlalchemy import select, update

from auth.people.models import MOTTAK, Person, ReceptionCentre
from auth.staff.models import AuditEvent, User
from engine.responses.storage import Response
from tests.conftest import csrf_token, hidden
from tests.helpers import add_person, log_in, make_code, post_section
from tests.staff_helpers import add_user, staff_login, token

GENERIC_FAILURE = "We could not log you in"
ALREADY_SENT = "already been sent"


def _wrong(code: str) -> str:
    return "AAAAAA" if code != "AAAAAA" else "BBBBBB"


def _session(app):
    return app.extensions["kompass"].sessions()


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context(), _session(app) as session:
        query = select(AuditEvent).where(AuditEvent.action == action)
        return session.scalars(query).all()


def _response(app) -> Response | None:
    with app.app_context(), _session(app) as session:
        return session.scalars(select(Response)).first()


def _search(client, duf: str):
    return client.post(
        "/admin/kommuner/kompass/sok", data={"csrf_token": token(client), "duf": duf}
    )


def _staff(app, username: str, roles, municipality="4601"):
    add_user(app, username, roles, municipality)
    client = app.test_client()
    staff_login(client, username)
    return client


# (a) The reception centre's municipality decides who may see a person living there.


def _resident_of_centre(app, duf: str, registered_in: str, centre_in: str) -> int:
    with app.app_context(), _session(app) as session:
        centre = ReceptionCentre(name="Mottak", municipality=centre_in)
        session.add(centre)
        session.commit()
        centre_id = centre.id
    return add_person(
        app, duf, residence=MOTTAK, municipality=registered_in, settled_on=None,
        reception_centre_id=centre_id,
    )  # fmt: skip


def test_the_centre_not_the_registered_municipality_decides_the_host(app):
    person = _resident_of_centre(app, "202100000017", registered_in="0301", centre_in="4601")
    bergen = _staff(app, "vert-bergen", ["vertskommune"], "4601")
    oslo = _staff(app, "vert-oslo", ["vertskommune"], "0301")
    assert _search(bergen, "202100000017").status_code == 200
    assert bergen.get(f"/admin/personer/{person}").status_code == 200
    assert _search(oslo, "202100000017").status_code == 404
    assert oslo.get(f"/admin/personer/{person}").status_code == 404


def test_a_resident_without_a_centre_falls_back_to_the_registered_municipality(app):
    add_person(app, "202100000017", residence=MOTTAK, municipality="4601", settled_on=None)
    assert _search(_staff(app, "vert", ["vertskommune"]), "202100000017").status_code == 200
    assert _search(_staff(app, "bo", ["bosetting"]), "202100000017").status_code == 404


# (b) Submitting needs the revision the review page was made from.


def test_a_stale_review_page_cannot_submit(app, client, runner):
    log_in(client, make_code(runner))
    post_section(client, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    review = client.get("/en/form/review").text
    post_section(client, "en", "personal", {"q.citizenship": "IQ", "q.mother_tongue": "ar"})
    stale = client.post(
        "/en/form/submit",
        data={"csrf_token": csrf_token(review), "revision": hidden(review, "revision")},
    )
    assert stale.status_code == 409
    assert _response(app).state == "draft"
    fresh = client.get("/en/form/review").text
    submitted = client.post(
        "/en/form/submit",
        data={"csrf_token": csrf_token(fresh), "revision": hidden(fresh, "revision")},
    )
    assert submitted.status_code == 302 and _response(app).state == "submitted"


# (c) "Already sent" only for the right code.


def _submit_with_code(client, runner) -> str:
    code = make_code(runner)
    log_in(client, code)
    post_section(client, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    review = client.get("/en/form/review").text
    client.post(
        "/en/form/submit",
        data={"csrf_token": csrf_token(review), "revision": hidden(review, "revision")},
    )
    return code


def test_already_sent_is_said_only_to_whoever_has_the_code(app, client, runner):
    code = _submit_with_code(client, runner)
    guess = log_in(app.test_client(), _wrong(code))
    assert guess.status_code == 422 and GENERIC_FAILURE in guess.text
    assert ALREADY_SENT not in guess.text
    right = log_in(app.test_client(), code)
    assert right.status_code == 200 and ALREADY_SENT in right.text


# (d) A municipal administrator manages neither national users nor national roles.


def test_a_municipal_admin_cannot_post_a_national_role(app):
    target = add_user(app, "veileder", ["bosetting"], "4601")
    admin = _staff(app, "admin", ["kommuneadmin"])
    for role in ("systemadmin", "analytiker", "innholdsredaktor"):
        refused = admin.post(
            f"/admin/brukere/{target}/roller", data={"csrf_token": token(admin), "role": role}
        )
        assert refused.status_code == 403
    assert _events(app, "role.add") == []
    with app.app_context(), _session(app) as session:
        assert session.get(User, target).roles == {"bosetting"}


def test_a_municipal_admin_cannot_manage_national_users(app):
    national = add_user(app, "nasjonal", ["analytiker"], None)
    national_without_roles = add_user(app, "uten-roller", [], None)
    local_editor = add_user(app, "redaktor", ["innholdsredaktor"], "4601")
    admin = _staff(app, "admin", ["kommuneadmin"])
    for target in (national, national_without_roles, local_editor):
        assert admin.get(f"/admin/brukere/{target}").status_code == 404
        reset = admin.post(
            f"/admin/brukere/{target}/nytt-passord", data={"csrf_token": token(admin)}
        )
        assert reset.status_code == 404
        removed = admin.post(
            f"/admin/brukere/{target}/roller/fjern",
            data={"csrf_token": token(admin), "role": "bosetting"},
        )
        assert removed.status_code == 404
    assert _events(app, "user.password_reset") == [] and _events(app, "role.remove") == []


# (e) Interview mode is checked against the access rules on every request.


def _interviewing(app):
    person = add_person(app)
    counsellor = _staff(app, "veileder", ["bosetting"])
    counsellor.post(
        f"/admin/personer/{person}/intervju",
        data={"csrf_token": token(counsellor), "lang": "en", "beside": ""},
    )
    assert counsellor.get("/en/form/personal").status_code == 200
    return person, counsellor


def test_an_interview_ends_when_the_person_moves_out_of_reach(app):
    person, counsellor = _interviewing(app)
    with app.app_context(), _session(app) as session:
        session.execute(update(Person).where(Person.id == person).values(municipality="0301"))
        session.commit()
    moved = counsellor.get("/en/form/personal")
    assert moved.status_code == 302 and moved.location.endswith("/en/login")


def test_an_interview_ends_when_the_counsellor_loses_the_role(app):
    _, counsellor = _interviewing(app)
    with app.app_context(), _session(app) as session:
        user = session.scalars(select(User).where(User.username == "veileder")).one()
        user.role_rows = []
        session.commit()
    assert counsellor.get("/en/form/personal").status_code == 302


# (f) Opening a person's page is audited.


def test_viewing_a_person_is_audited(app):
    person = add_person(app)
    counsellor = _staff(app, "veileder", ["bosetting"])
    assert counsellor.get(f"/admin/personer/{person}").status_code == 200
    viewed = _events(app, "person.view")
    assert [(e.person_id, e.action) for e in viewed] == [(person, "person.view")]


# (g) A respondent's post never stores answers of a staff-only section.


def test_staff_only_answers_posted_by_a_respondent_are_not_stored(app, client, runner):
    log_in(client, make_code(runner))
    staff_only = {"q.interpreter_used": "yes", "q.counsellor_remarks": "Injected"}
    page = client.get("/en/form/wishes").text
    refused = client.post(
        "/en/form/assessment",
        data={"csrf_token": csrf_token(page), "revision": hidden(page, "revision"),
              "shown": "interpreter_used counsellor_remarks", "action": "next", **staff_only},
    )  # fmt: skip
    assert refused.status_code == 404
    shown = hidden(page, "shown") + " interpreter_used counsellor_remarks"
    client.post(
        "/en/form/wishes",
        data={"csrf_token": csrf_token(page), "revision": hidden(page, "revision"),
              "shown": shown, "action": "next", "q.goals": "Work", **staff_only},
    )  # fmt: skip
    answers = _response(app).answers
    assert "interpreter_used" not in answers and "counsellor_remarks" not in answers


# (h) A successful log-in clears the DUF number's failures.


def test_a_successful_log_in_clears_the_failures_of_the_duf_number(app, runner):
    code = make_code(runner)
    limit = app.config["KOMPASS_LOGIN_MAX_FAILURES"]
    for _ in range(2):
        for _ in range(limit - 1):
            assert log_in(app.test_client(), _wrong(code)).status_code == 422
        assert log_in(app.test_client(), code).status_code == 302
