"""Hook implementations of the staff plugin."""

from pathlib import Path

from auth.staff import cli, demo
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
    return demo.load(session)
