"""Hook implementations of the staff plugin."""

from pathlib import Path

from auth.people.erasure import person_id_of
from auth.staff import audit, cli, demo
from auth.staff.models import User
from engine.app.context import db_session
from engine.app.hookspecs import hookimpl
from engine.responses import storage
from engine.responses.lifecycle import REOPENED, SAVED, STAFF, SUBMITTED, VERIFIED
from engine.responses.respondent import INTERVIEW, SELF

# Persons (access rules, audit); code_login owns the log-in throttle and server sessions.
REQUIRES = ("people", "code_login")
HERE = Path(__file__).parent


@hookimpl
def kompass_migration_locations():
    return str(HERE / "migrations" / "versions")


@hookimpl
def kompass_init_app(app):
    app.cli.add_command(cli.users)
    app.cli.add_command(cli.audit_group)


@hookimpl
def kompass_demo_data(session, questionnaire):
    """`kompass demo` makes users with known passwords: the audit log says when."""
    loaded = demo.load(session)
    audit.record(session, "demo.load", None, username=audit.COMMAND_LINE,
                 users=len(loaded["users"]))  # fmt: skip
    return loaded


@hookimpl
def kompass_exported(actor, details):
    """Every export goes to the audit log: who, the filters, the format and the row count."""
    audit.record(db_session(), "export", actor, username="" if actor else audit.COMMAND_LINE,
                 **details)  # fmt: skip


@hookimpl
def kompass_command_done(session, action, person_id, details):
    """What the other plugins' commands did (codes made, persons imported), by the command line."""
    audit.record(session, action, None, person_id, username=audit.COMMAND_LINE, **details)


@hookimpl
def kompass_data_removed(session, actor, subject, counts):
    """Erasures and retention runs, with counts only: the person by their opaque id."""
    username = "" if actor else audit.COMMAND_LINE
    if subject is None:
        audit.record(session, "retention.run", actor, username=username, **counts)
        return
    person_id = person_id_of(subject)
    audit.record(session, "person.erase", actor, person_id=person_id, username=username, **counts)


# What the lifecycle wrote, by mode and event; a respondent's own saves are not audited.
RESPONSE_ACTIONS = {
    (INTERVIEW, SAVED): "interview.save",
    (INTERVIEW, SUBMITTED): "interview.submit",
    (SELF, SUBMITTED): "respondent.submit",
    (STAFF, REOPENED): "response.reopen",
    (STAFF, VERIFIED): "verification.set",
}
STAFF_ACTOR = "user:"


@hookimpl
def kompass_response_event(session, event, response, actor, mode, section, details):
    """Audit what the engine wrote (never answers or notes), in its transaction: interview saves
    and submissions with the counsellor, a respondent's submission, a reopening, a verification."""
    action = RESPONSE_ACTIONS.get((mode, event))
    if action is None:
        return
    user = _staff_user(session, actor)
    facts = {"section": section} if section else {}
    if event == REOPENED:
        facts["submission"] = len(storage.submissions(session, response.id))
    audit.add(session, action, user, person_id=person_id_of(response.subject),
              username="" if user else audit.RESPONDENT, **facts, **details)  # fmt: skip


def _staff_user(session, actor: str) -> User | None:
    kind, _, number = actor.partition(":")
    if f"{kind}:" != STAFF_ACTOR or not number.isdecimal():
        return None
    return session.get(User, int(number))


@hookimpl
def kompass_respondent_signed_in(session, subject):
    """A respondent's log-in: the person by their id, never the DUF number."""
    audit.record(session, "respondent.login", None, person_id=person_id_of(subject),
                 username=audit.RESPONDENT)  # fmt: skip
