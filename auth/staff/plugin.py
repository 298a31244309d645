"""Hook implementations of the staff plugin."""

from pathlib import Path

from auth.people.erasure import person_id_of
from auth.staff import audit, cli, demo
from engine.context import db_session
from engine.hookspecs import hookimpl

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
