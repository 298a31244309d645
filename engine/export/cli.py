"""`kompass export`: the analysts' export from the command line, with a progress bar, and an
option per plugin filter (`kompass_export_filters`)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select
from tqdm import tqdm

from engine.app import deployment
from engine.app.context import kompass
from engine.export import criteria as criteria_module
from engine.export import filters as export_filters
from engine.export import rows
from engine.export.formats import FORMATS
from engine.export.run import ExportError, Options, export


@click.command("export")
@click.option("--questionnaire", "questionnaire_id", default=None, help="Default: the active one.")
@click.option("--version", default="all", show_default=True, help="A version number, or all.")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--from", "submitted_from", type=click.DateTime(["%Y-%m-%d"]), help="Submitted on or after."
)
@click.option(
    "--to", "submitted_to", type=click.DateTime(["%Y-%m-%d"]), help="Submitted on or before."
)
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice(criteria_module.STATES),
    default=("submitted",),
    show_default=True,
)
@click.option("--language", default=None)
@click.option("--mode", type=click.Choice(criteria_module.MODES), default=None)
@click.option(
    "--identifiable",
    is_flag=True,
    help="Person identifiers in clear (the file name must say 'identifiable').",
)
@with_appcontext
def export_command(questionnaire_id, version, fmt, out, submitted_from, submitted_to, states,
                   language, mode, identifiable, **filter_values) -> None:  # fmt: skip
    """Export answers by questionnaire version: tidy tables, codebook, data package, in a ZIP."""
    state = kompass()
    if identifiable and "identifiable" not in out.name:
        example = out.with_name(f"{out.stem}-identifiable.zip").name
        raise click.ClickException(
            f"an identifiable export must say so in its file name: {example}"
        )
    asked = criteria_module.Asked(
        questionnaire_id or state.registry.active_id, version, tuple(states),
        submitted_from.date() if submitted_from else None,
        submitted_to.date() if submitted_to else None, language, mode, filter_values,
    )  # fmt: skip
    filters = export_filters.collect(state.plugins.hook)
    with state.sessions() as session:
        try:
            found = criteria_module.criteria(session, asked, deployment.time_zone(), filters)
        except criteria_module.InvalidRequest as exc:
            raise click.ClickException(str(exc)) from exc
        total = session.scalar(select(func.count()).select_from(rows.query(found).subquery()))
        options = Options(found, fmt, identifiable)
        key = current_app.config["KOMPASS_EXPORT_PSEUDONYM_KEY"]
        with tqdm(total=total, unit=" responses", disable=None) as bar:
            try:
                summary = export(
                    session, state.registry, state.plugins.hook, options, out, key, bar.update
                )
            except ExportError as exc:
                raise click.ClickException(str(exc)) from exc
    state.plugins.hook.kompass_exported(actor=None, details=details(options, asked, summary))
    tables = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    click.echo(f"Wrote {out}: {summary.responses} responses (rows per table: {tables or 'none'}).")


def details(options: Options, asked, summary) -> dict:
    """What the audit log keeps of an export: never any answer or identifier."""
    return {
        "questionnaire": asked.questionnaire_id, "version": asked.version,
        "format": options.format, "identifiable": options.identifiable,
        "states": ",".join(asked.states), "from": str(asked.submitted_from or ""),
        "to": str(asked.submitted_to or ""), "language": asked.language or "",
        "mode": asked.mode or "", "responses": summary.responses,
        **{name: value or "" for name, value in asked.filters.items()},
    }  # fmt: skip


def command(filters: list[export_filters.SubjectFilter]) -> click.Command:
    """`kompass export` with an option per plugin filter; a filter named like one of the
    command's own options stops start-up."""
    own = {name.lstrip("-") for param in export_command.params for name in param.opts}
    taken = sorted((own | {p.name for p in export_command.params}) & {f.name for f in filters})
    if taken:
        raise ValueError(f"export filters named like an option of kompass export: {taken}")
    options = [click.Option([f"--{f.name}", f.name], help=f.help) for f in filters]
    return click.Command(
        "export", callback=export_command.callback, params=[*export_command.params, *options],
        help=export_command.help,
    )  # fmt: skip
