"""`kompass interface history|show`: the recorded revisions of the interface catalogues, and
recording the catalogue a `kompass translations` command wrote, in the audit log."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from engine.app import config, plugins
from engine.app.context import kompass
from engine.app.db import make_engine, make_sessionmaker, missing_sqlite_file
from engine.translation import interface_revisions
from engine.translation.catalogues import INTERFACE_FOLDER, PoCatalogues
from engine.translation.interface_revisions import InterfaceRevision

AUDITED = {
    interface_revisions.IMPORT: "interface.import",
    interface_revisions.REVIEW: "interface.review",
}
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"]


@click.group()
def interface() -> None:
    """The interface catalogues' revisions: which strings the respondent's pages showed."""


@interface.command("history")
@click.argument("lang")
@with_appcontext
def history(lang: str) -> None:
    """Every revision of LANG's catalogue: number, when it was recorded (UTC), from where."""
    with kompass().sessions() as session:
        revisions = interface_revisions.history(session, lang)
    if not revisions:
        raise click.ClickException(f"no revision of the interface catalogue '{lang}' is recorded")
    for revision in revisions:
        click.echo(_line(revision))


@interface.command("show")
@click.argument("lang")
@click.option("--revision", "number", type=int, help="the revision's number (see history)")
@click.option("--at", "moment", type=click.DateTime(MOMENT_FORMATS), help="a moment, in UTC")
@with_appcontext
def show(lang: str, number: int | None, moment: datetime | None) -> None:
    """Print the whole text of a revision of LANG's catalogue: --revision N, or the one in
    force --at a moment (e.g. a response's saved time). What it is goes to stderr."""
    if (number is None) == (moment is None):
        raise click.UsageError("give --revision N or --at MOMENT")
    at = moment.replace(tzinfo=UTC) if moment else None
    with kompass().sessions() as session:
        found = (
            interface_revisions.find(session, lang, number)
            if at is None
            else interface_revisions.in_force(session, lang, at)
        )
        if found is None:
            raise click.ClickException(f"no such revision of the interface catalogue '{lang}'")
        text = found.text
    click.echo(_line(found), err=True)
    if at is not None and at - found.recorded_at < timedelta(seconds=PoCatalogues.RECHECK_SECONDS):
        click.echo(_switching_note(found), err=True)
    click.echo(text, nl=False)


def _line(revision: InterfaceRevision) -> str:
    recorded = revision.recorded_at.strftime("%Y-%m-%d %H:%M:%S")
    return (
        f"revision {revision.number:<4} recorded {recorded} UTC  {revision.origin:<7} "
        f"sha256 {revision.sha256[:12]}"
    )


def _switching_note(revision: InterfaceRevision) -> str:
    return (
        f"note: this moment is within {PoCatalogues.RECHECK_SECONDS:g} s of the revision being "
        f"recorded; a page may still have shown revision {revision.number - 1} then."
    )


def record_written(root: Path, lang: str, origin: str, strings: int, echo) -> None:
    """Record the catalogue a translations command wrote as a revision and audit it as the
    command line's (without a migrated database the app records it when it first serves it)."""
    settings = config.load(config.PROJECT_ROOT / "instance", need_secrets=False)
    url = settings["DATABASE_URL"]
    if missing_sqlite_file(url):
        echo("No database: the interface revision is recorded when the app first serves it.")
        return
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            text = (root / INTERFACE_FOLDER / f"{lang}.po").read_bytes()
            number = interface_revisions.record(session, lang, text, origin).revision.number
            _audit(session, settings, origin, language=lang, revision=number, strings=strings)
        echo(f"Interface catalogue {lang}: revision {number}.")
    except SQLAlchemyError:
        echo("No migrated database: the interface revision is recorded when the app serves it.")
    finally:
        engine.dispose()


def _audit(session, settings: dict, origin: str, **details) -> None:
    manager = plugins.make_plugin_manager(plugins.enabled(settings["PLUGINS"]))
    manager.hook.kompass_command_done(
        session=session, action=AUDITED[origin], person_id=None, details=details
    )
