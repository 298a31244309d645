"""The audit log tells what the engine did (issue 18 point 7): events come from the lifecycle's
`kompass_response_event`, committed with the write or not at all, never from a refused or
stale request."""

import json

import pytest

from auth.staff import audit
from auth.staff.models import AuditEvent
from engine.app.hookspecs import hookimpl
from engine.responses import storage
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import INTERVIEW, Respondent
from tests.conftest import csrf_token, hidden
from tests.helpers import add_person, log_in, make_code, post_section, stored_answers
from tests.staff_helpers import add_user, staff_login
from tests.test_audit_gaps import interview, post
from tests.test_published_versions import kompass
from tests.test_staff import events

PERSONAL = {"q.citizenship": "SY", "q.mother_tongue": "ar"}
DUF = "202000000000"


def _submit(client, revision: str | None = None):
    review = client.get("/en/form/review").text
    form = {"csrf_token": csrf_token(review), "revision": revision or hidden(review, "revision")}
    return client.post("/en/form/submit", data=form)


def _stale_save(client, section: str, answers: dict, meanwhile: dict):
    """A save posted from a page whose revision another tab has since moved on."""
    page = client.get(f"/en/form/{section}").text
    post(client, section, meanwhile, "stay")
    data = {"csrf_token": csrf_token(page), "revision": hidden(page, "revision"),
            "shown": hidden(page, "shown"), "action": "stay", **answers}  # fmt: skip
    return client.post(f"/en/form/{section}", data=data)


def test_an_interview_submission_is_audited_with_the_counsellor(app, client):
    person = add_person(app)
    interview(app, client, person)
    post(client, "personal", PERSONAL, "stay")
    assert _submit(client).status_code == 302
    submitted = events(app, "interview.submit")
    assert [(e.person_id, e.actor_username) for e in submitted] == [(person, "veileder")]


def test_a_refused_interview_submission_is_not_audited(app, client):
    interview(app, client, add_person(app))
    assert _submit(client).status_code == 422
    assert events(app, "interview.submit") == []


def test_a_stale_interview_save_is_not_audited(app, client):
    interview(app, client, add_person(app))
    stale = _stale_save(client, "personal", {"q.mother_tongue": "fa"}, {"q.mother_tongue": "ar"})
    assert stale.status_code == 200 and stored_answers(app)["mother_tongue"] == "ar"
    assert [e.details["section"] for e in events(app, "interview.save")] == ["personal"]


def test_a_stale_interview_submission_is_not_audited(app, client):
    interview(app, client, add_person(app))
    post(client, "personal", PERSONAL, "stay")
    assert _submit(client, revision="0").status_code == 409
    assert events(app, "interview.submit") == []


def test_a_respondents_log_in_and_submission_are_audited_without_personal_data(app, client, runner):
    person = add_person(app, DUF)
    log_in(client, make_code(runner, DUF))
    post_section(client, "en", "personal", PERSONAL, "stay")
    assert _submit(client).status_code == 302
    logins, submits = events(app, "respondent.login"), events(app, "respondent.submit")
    assert [(e.person_id, e.actor_username) for e in logins] == [(person, audit.RESPONDENT)]
    assert [(e.person_id, e.actor_id) for e in submits] == [(person, None)]
    assert events(app, "respondent.submit")[0].details == {}
    written = json.dumps([(e.actor_username, e.details) for e in events(app)])
    assert DUF not in written and "SY" not in written


def test_a_refused_log_in_and_a_refused_submission_are_not_audited(app, client, runner):
    add_person(app, DUF)
    code = make_code(runner, DUF)
    assert log_in(client, "AAAAAA", DUF).status_code == 422
    assert events(app, "respondent.login") == []
    log_in(client, code, DUF)
    assert _submit(client).status_code == 422
    assert events(app, "respondent.submit") == []


def test_publishing_from_the_command_line_is_audited(unpublished_app):
    result = kompass(unpublished_app, "questionnaire", "publish", "kompass", "1")
    assert result.exit_code == 0, result.output
    kompass(unpublished_app, "questionnaire", "publish", "kompass", "1")  # unchanged: no event
    published = events(unpublished_app, "questionnaire.publish")
    assert [(e.actor_username, e.details["questionnaire"], e.details["version"])
            for e in published] == [(audit.COMMAND_LINE, "kompass", 1)]  # fmt: skip


def test_an_unknown_typed_user_name_is_kept_as_a_keyed_hash(app, client):
    typed = "Hemmelig-Passord-123"
    staff_login(client, typed, "wrong password!")
    staff_login(app.test_client(), typed.lower(), "wrong password!")
    failed = events(app, "staff.login_failed")
    names = {e.actor_username for e in failed}
    assert len(failed) == 2 and len(names) == 1
    (name,) = names
    assert name.startswith("unknown:") and typed.lower() not in name.lower()
    assert typed.lower() not in json.dumps([e.details for e in failed]).lower()
    app.config["SECRET_KEY"] = "another key"
    staff_login(app.test_client(), typed, "wrong password!")
    assert events(app, "staff.login_failed")[-1].actor_username != name


class FailingLast:
    """A plugin that fails after the others heard of a write, noting whether one audited it."""

    audited_first = False

    @hookimpl(trylast=True)
    def kompass_response_event(self, session):
        self.audited_first = any(isinstance(row, AuditEvent) for row in session.new)
        raise RuntimeError("a plugin failed")


def test_a_write_and_its_audit_are_committed_together_or_not_at_all(app):
    person, user = add_person(app), add_user(app, "veileder", ["bosetting"], "4601")
    state, failing = app.extensions["kompass"], FailingLast()
    state.plugins.register(failing, name="failing")
    counsellor = Respondent(f"person:{person}", INTERVIEW, f"user:{user}", include_staff=True)
    with app.app_context(), state.sessions() as session:
        service = Lifecycle(session, state.registry, state.plugins.hook)
        opened = service.open(counsellor.subject, "en")
        with pytest.raises(RuntimeError):
            service.save_section(opened, "personal", {"citizenship": "SY"}, 1, "en", counsellor)
    assert failing.audited_first
    assert events(app, "interview.save") == []
    with app.app_context(), state.sessions() as session:
        assert storage.find(session, counsellor.subject, "kompass").revision == 1
