"""The `kompass` command: the operator's entry point (a Flask CLI group).

Commands that need the app live on `app.cli` (engine.app.commands and each plugin's own); this
group adds the life of a questionnaire version: check, new-version, diff, publish.
"""

import json
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from engine.app import config, lifelong, plugins
from engine.app.context import kompass
from engine.app.factory import create_app
from engine.definition.errors import QuestionnaireError
from engine.definition.questionnaire_check import check_tree
from engine.translation.cli import translations
from engine.translation.interface_cli import interface
from engine.versions import diff, publishing
from engine.versions.published import PublishedVersionChanged


def _create_app():
    """The app, or a missing secret or plugin said as a plain error rather than a traceback."""
    try:
        return create_app()
    except (config.MissingSecret, plugins.PluginError) as exc:
        raise click.ClickException(str(exc)) from exc


def _started_app():
    """The app of a `kompass` process: collections that scanned what start-up made again and
    again were a sixth of `kompass --help` (bench/README.md, "Start-up"). Only the console
    script makes it so; a test that invokes `main` keeps its process's collector as it was."""
    with lifelong.made_for_the_process():
        return _create_app()


def launch() -> None:
    """The `kompass` console script."""
    main(obj=ScriptInfo(create_app=_started_app))


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Kompass: competence mapping. Settings come from KOMPASS_* environment variables."""
    if click.get_current_context().invoked_subcommand == "run":
        # Flask's development server is never production, so it may make its own secrets.
        os.environ.setdefault(config.PREFIX + "ENV", config.DEVELOPMENT)


main.add_command(translations)
main.add_command(interface)


@main.group()
def questionnaire() -> None:
    """Questionnaire files."""


@questionnaire.command("check")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def questionnaire_check(path: Path | None) -> None:
    """Check every questionnaire and translation under PATH (default: the configured folder).

    Published versions are also compared with what the configured database froze.
    """
    settings = config.load(config.PROJECT_ROOT / "instance", need_secrets=False)
    folder = path or Path(settings["QUESTIONNAIRES_DIR"])
    enabled = plugins.enabled(settings["PLUGINS"])
    sys.exit(0 if check_tree(folder, click.echo, settings["DATABASE_URL"], enabled) else 1)


@questionnaire.command("publish")
@click.argument("questionnaire_id")
@click.argument("version", type=int)
@with_appcontext
def questionnaire_publish(questionnaire_id: str, version: int) -> None:
    """Freeze VERSION of QUESTIONNAIRE_ID in the database; from then on it never changes."""
    state = kompass()
    with state.sessions() as session:
        publication = _publish(state, session, questionnaire_id, version)
        if publication.new:
            _report_published(state, session, publication.row)
            warnings = []
        else:  # the shared code lists it keeps its copy of, named as `check` names them
            warnings = publishing.codelist_warnings(_root(), [publication.row])
    verb = "Published" if publication.new else "Already published, unchanged:"
    fingerprint = publication.row.fingerprint[:12]
    click.echo(f"{verb} {questionnaire_id} version {version} (fingerprint {fingerprint}).")
    for warning in warnings:
        click.echo(f"warning: {warning}")


def _publish(state, session, questionnaire_id: str, version: int):
    try:
        return publishing.publish_from_files(
            session, _root(), questionnaire_id, version, state.registry.types, state.registry.uses
        )
    except QuestionnaireError as exc:
        raise click.ClickException(f"not published; fix these first:\n{exc}") from exc
    except publishing.NoSuchVersion as exc:
        raise click.ClickException(f"there is no version folder {exc}") from exc
    except PublishedVersionChanged as exc:
        raise click.ClickException(
            f"{questionnaire_id} version {version} is already published with other "
            f"content, and a published version never changes. Undo the edits, then start "
            f"a new version: kompass questionnaire new-version {questionnaire_id}"
        ) from exc


def _report_published(state, session, row) -> None:
    """For the audit log, as a command: which version, with its fingerprint."""
    details = {"questionnaire": row.questionnaire_id, "version": row.version,
               "fingerprint": row.fingerprint}  # fmt: skip
    state.plugins.hook.kompass_command_done(
        session=session, action="questionnaire.publish", person_id=None, details=details
    )


@questionnaire.command("new-version")
@click.argument("questionnaire_id")
@with_appcontext
def questionnaire_new_version(questionnaire_id: str) -> None:
    """Copy the newest version folder to the next number, as a draft to edit."""
    try:
        target = publishing.new_version(_root(), questionnaire_id)
    except publishing.NoSuchVersion as exc:
        raise click.ClickException(f"there is no questionnaire folder {exc}") from exc
    click.echo(f"Draft {target} made. Edit it, run 'kompass questionnaire check', then publish.")


@questionnaire.command("diff")
@click.argument("questionnaire_id")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@with_appcontext
def questionnaire_diff(questionnaire_id: str, old: int, new: int, as_json: bool) -> None:
    """What changed from version OLD to NEW (published as frozen, drafts as their files say)."""
    state = kompass()
    with state.sessions() as session:
        try:
            bundles = [
                publishing.bundle(session, _root(), questionnaire_id, v, state.registry.types)
                for v in (old, new)
            ]
        except QuestionnaireError as exc:
            raise click.ClickException(f"a version has errors:\n{exc}") from exc
        except publishing.NoSuchVersion as exc:
            raise click.ClickException(f"there is no version folder {exc}") from exc
    changes = diff.diff(*bundles)
    if as_json:
        click.echo(json.dumps(diff.as_json(changes), ensure_ascii=False, indent=2))
    else:
        click.echo(diff.as_text(changes))


def _root() -> Path:
    return Path(current_app.config["KOMPASS_QUESTIONNAIRES_DIR"])
