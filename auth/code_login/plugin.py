"""Hook implementations of the code-login plugin."""

from pathlib import Path

from flask import url_for

from auth.code_login import cli, demo, respondent_session, retention, views
from auth.code_login.codes import close_all
from auth.people.models import Person
from engine.app.hookspecs import hookimpl
from engine.responses.lifecycle import SUBMITTED
from engine.responses.respondent import Respondent

REQUIRES = ("people",)  # codes are made for persons in the registry
HERE = Path(__file__).parent


@hookimpl
def kompass_migration_locations():
    return str(HERE / "migrations" / "versions")


@hookimpl
def kompass_init_app(app):
    app.register_blueprint(views.blueprint)
    app.cli.add_command(cli.group)


@hookimpl
def kompass_current_respondent():
    subject = respondent_session.current_subject()
    if not subject:
        return None
    return Respondent(subject=subject, questionnaire_id=respondent_session.questionnaire_id())


@hookimpl
def kompass_login_url(lang):
    return url_for("code_login.login_page", lang=lang)


@hookimpl
def kompass_logout():
    respondent_session.sign_out()


@hookimpl
def kompass_response_event(session, event, response):
    """A submitted mapping closes the person's log-in codes (committed with the submission)."""
    if event != SUBMITTED:
        return
    kind, _, person_id = response.subject.partition(":")
    person = session.get(Person, int(person_id)) if kind == "person" else None
    if person is not None:
        close_all(person, "submitted", response.questionnaire_id)


@hookimpl(trylast=True)
def kompass_demo_data(session, questionnaire):
    return demo.load(session)


@hookimpl
def kompass_erase_subject(session, subject):
    return retention.delete_codes_of(session, subject)


@hookimpl
def kompass_retention(run):
    return retention.retention(run)
