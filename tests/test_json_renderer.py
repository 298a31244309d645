"""A renderer written on `engine.responses.lifecycle` alone (issue 20 point 4): a JSON API defined
here,
with no import from `renderers/html`, fills and submits a mapping in interview mode, and the
audit log, the stored response and the plugins hear the same as from the HTML pages."""

import ast
from pathlib import Path

import pytest
from flask import Blueprint, abort, request
from sqlalchemy import select

from auth.code_login.models import LoginCode
from auth.staff import audit
from auth.staff.models import AuditEvent
from engine.app.context import kompass, lifecycle
from engine.app.hookspecs import hookimpl
from engine.responses import storage
from engine.responses.lifecycle import UnknownPart
from tests.conftest import csrf_token, hidden
from tests.helpers import add_person, make_code, post_section
from tests.staff_helpers import add_user, staff_login, token

LANG = "en"
HTML_DUF, JSON_DUF = "202000000000", "201900000123"
PERSONAL = {"citizenship": "SY", "mother_tongue": "ar"}
ASSESSMENT = {"interpreter_used": "no", "counsellor_remarks": "Secret remark, never audited"}

api = Blueprint("json_renderer", __name__, url_prefix="/test-api")


def _respondent():
    respondent = kompass().plugins.hook.kompass_current_respondent()
    if respondent is None:
        abort(401)
    return respondent


def _state(opened, problems=()) -> dict:
    response = opened.response
    return {
        "revision": response.revision,
        "submitted": response.submitted,
        "answers": response.answers,
        "problems": [{"path": list(p.path), "code": p.code} for p in problems],
    }


@api.get("/response")
def open_response():
    respondent = _respondent()
    service = lifecycle()
    opened = service.open(respondent.subject, LANG)
    return {**_state(opened), "sections": [s.id for s in service.sections(opened, respondent)]}


@api.post("/sections/<section_id>")
def save_section(section_id: str):
    respondent, body = _respondent(), request.get_json()
    service = lifecycle()
    opened = service.open(respondent.subject, LANG)
    try:
        saved = service.save_section(
            opened, section_id, body["answers"], body["revision"], LANG, respondent
        )
    except storage.StaleRevision:
        return {"error": "stale"}, 409
    except UnknownPart:
        abort(404)
    return _state(opened, saved.problems)


@api.post("/submit")
def submit():
    respondent, body = _respondent(), request.get_json()
    service = lifecycle()
    opened = service.open(respondent.subject, LANG)
    try:
        submitted = service.submit(opened, body["revision"], respondent)
    except storage.StaleRevision:
        return {"error": "stale"}, 409
    return _state(opened, submitted.problems), 422 if submitted.problems else 200


class Heard:
    """A plugin that notes every response event it hears."""

    def __init__(self):
        self.events: list[tuple] = []

    @hookimpl
    def kompass_response_event(self, event, response, actor, mode, section):
        self.events.append((response.subject, event, actor, mode, section))


@pytest.fixture
def world(app):
    """The API mounted, a listening plugin, a counsellor, and two persons with a log-in code."""
    app.register_blueprint(api)
    heard = Heard()
    app.extensions["kompass"].plugins.register(heard, name="heard")
    staff = add_user(app, "veileder", ["bosetting", "vertskommune"], "4601")
    runner = app.test_cli_runner()
    persons = {duf: add_person(app, duf) for duf in (HTML_DUF, JSON_DUF)}
    for duf in persons:
        make_code(runner, duf)
    return app, heard, staff, persons


def _interview(app, person: int):
    client = app.test_client()
    staff_login(client, "veileder")
    started = client.post(
        f"/admin/personer/{person}/intervju", data={"csrf_token": token(client), "lang": LANG}
    )
    assert started.status_code == 302
    return client


def _through_html(client) -> None:
    for section, answers in (("personal", PERSONAL), ("assessment", ASSESSMENT)):
        posted = {f"q.{qid}": value for qid, value in answers.items()}
        assert post_section(client, LANG, section, posted).status_code == 302
    review = client.get(f"/{LANG}/form/review").text
    form = {"csrf_token": csrf_token(review), "revision": hidden(review, "revision")}
    assert client.post(f"/{LANG}/form/submit", data=form).status_code == 302


def _through_json(client) -> None:
    headers = {"X-CSRFToken": token(client)}
    state = client.get("/test-api/response").get_json()
    assert "assessment" in state["sections"]
    for section, answers in (("personal", PERSONAL), ("assessment", ASSESSMENT)):
        body = {"revision": state["revision"], "answers": answers}
        state = client.post(f"/test-api/sections/{section}", json=body, headers=headers).get_json()
        assert state["problems"] == []
    sent = client.post("/test-api/submit", json={"revision": state["revision"]}, headers=headers)
    assert sent.status_code == 200 and sent.get_json()["submitted"]


def _audited(app, person: int) -> list[tuple]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        query = select(AuditEvent).where(AuditEvent.person_id == person).order_by(AuditEvent.id)
        return [(e.action, e.actor_id, e.actor_username, e.details) for e in session.scalars(query)]


def _stored(app, person: int) -> dict:
    """What the response and its snapshot say of who entered it and how (not when)."""
    subject = f"person:{person}"
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        response = storage.find(session, subject, "kompass")
        [snapshot] = storage.submissions(session, response.id)
        codes = select(LoginCode.closed_reason).where(LoginCode.person_id == person)
        closed = session.scalars(codes)
        return {
            "response": (response.state, response.mode, response.entered_by, response.answers),
            "snapshot": (snapshot.mode, snapshot.entered_by),
            "sections": {s: (e["mode"], e["by"]) for s, e in response.section_log.items()},
            "codes": list(closed),
        }


def test_a_json_renderer_on_the_lifecycle_alone_is_audited_as_the_html_pages(world):
    app, heard, staff, persons = world
    html, json = persons[HTML_DUF], persons[JSON_DUF]
    _through_html(_interview(app, html))
    _through_json(_interview(app, json))

    counsellor = f"user:{staff}"
    assert (
        _audited(app, json)
        == _audited(app, html)
        == [
            ("code.create", None, audit.COMMAND_LINE, {}),
            ("interview.open", staff, "veileder", {"lang": LANG, "beside": None}),
            ("interview.save", staff, "veileder", {"section": "personal"}),
            ("interview.save", staff, "veileder", {"section": "assessment"}),
            ("interview.submit", staff, "veileder", {}),
        ]
    )
    assert (
        _stored(app, json)
        == _stored(app, html)
        == {
            "response": ("submitted", "interview", counsellor, {**PERSONAL, **ASSESSMENT}),
            "snapshot": ("interview", counsellor),
            "sections": {
                section: ("interview", counsellor) for section in ("personal", "assessment")
            },
            "codes": ["submitted"],
        }
    )
    for person in (html, json):
        subject = f"person:{person}"
        assert [e for e in heard.events if e[0] == subject] == [
            (subject, "saved", counsellor, "interview", "personal"),
            (subject, "saved", counsellor, "interview", "assessment"),
            (subject, "submitted", counsellor, "interview", None),
        ]


def test_the_renderer_imports_nothing_from_the_html_renderer():
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in imported if name and name.startswith("renderers")]
