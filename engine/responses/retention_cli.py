"""`kompass retention run [--dry-run]`: remove what is kept longer than the settings allow."""

import click
from flask import current_app
from flask.cli import AppGroup

from engine.app.context import kompass
from engine.app.db import utcnow
from engine.responses import retention

group = AppGroup("retention", help="Retention: delete or anonymise data kept too long.")


@group.command("run")
@click.option("--dry-run", is_flag=True, help="Count what would be removed; change nothing.")
def run_command(dry_run: bool) -> None:
    """Delete, or anonymise for statistics, what is kept longer than the settings allow."""
    state = kompass()
    settings = {key.removeprefix("KOMPASS_"): value for key, value in current_app.config.items()}
    with state.sessions() as session:
        remover = retention.Remover(session, state.plugins.hook, state.registry)
        counts = retention.run(remover, settings, utcnow(), dry_run)
    click.echo(report(counts, dry_run))


def report(counts: dict[str, int], dry_run: bool) -> str:
    """One line per kind, in name order; a dry run says it changed nothing."""
    heading = "Dry run, nothing changed. Would remove:" if dry_run else "Removed:"
    lines = [f"  {kind}: {number}" for kind, number in sorted(counts.items())]
    return "\n".join([heading, *(lines or ["  nothing"])])
