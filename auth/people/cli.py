"""`kompass persons import FILE.csv [--skip-invalid]`."""

from pathlib import Path

import click
from flask.cli import AppGroup

from auth.people import erasure_cli, importer
from engine.app.context import kompass

group = AppGroup("persons", help="The person registry.")


@group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Import the good rows even if some are bad.")
def import_command(file: Path, skip_invalid: bool) -> None:
    """Import persons from a CSV file with the columns listed in the docs."""
    with kompass().sessions() as session:
        report = importer.import_file(session, file, skip_invalid)
        counts = {"imported": report.imported, "updated": report.updated,
                  "problems": len(report.problems)}  # fmt: skip
        kompass().plugins.hook.kompass_command_done(
            session=session, action="persons.import", person_id=None, details=counts
        )
    for line, problem in report.problems:
        click.echo(f"{file}:{line}: {problem}", err=True)
    if report.unreadable:
        raise click.ClickException("the file cannot be read; nothing was imported.")
    if report.refused:
        raise click.ClickException(
            f"the import stopped; {report.imported} new and {report.updated} updated person(s) "
            "were saved before the refused lines. Import the file again when the cause is fixed."
        )
    if report.problems and not skip_invalid:
        raise click.ClickException(
            f"{len(report.problems)} bad row(s); nothing was imported. "
            "Fix them, or use --skip-invalid to import the good rows."
        )
    click.echo(f"Imported {report.imported} new and updated {report.updated} person(s).")


group.add_command(erasure_cli.erase_command)
