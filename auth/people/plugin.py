"""Hook implementations of the person registry."""

from pathlib import Path

from auth.people import cli, demo, erasure, export
from engine.app.hookspecs import hookimpl

REQUIRES = ()
HERE = Path(__file__).parent


@hookimpl
def kompass_migration_locations():
    return str(HERE / "migrations" / "versions")


@hookimpl
def kompass_init_app(app):
    app.cli.add_command(cli.group)


@hookimpl(tryfirst=True)
def kompass_demo_data(session, questionnaire):
    return demo.load(session)


@hookimpl
def kompass_export_columns(identifiable):
    return export.columns(identifiable)


@hookimpl
def kompass_export_joins(identifiable):
    return export.joins(identifiable)


@hookimpl
def kompass_export_filters():
    return export.filters()


@hookimpl
def kompass_subject_name(session, subject):
    return erasure.name_of(session, subject)


@hookimpl(trylast=True)
def kompass_erase_subject(session, subject):
    """The person row goes last, after the codes and anything else that refers to it."""
    return erasure.delete_person(session, subject)


@hookimpl
def kompass_retention(run):
    return erasure.retention(run)
