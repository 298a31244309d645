"""`kompass translations export|import|review|record-sources`: the translators' round trip."""

import sys
from pathlib import Path

import click

from engine.app import config
from engine.definition.error_catalogue import editor_error
from engine.definition.errors import QuestionnaireError
from engine.translation import exchange as translation_exchange
from engine.translation import interface_cli, interface_revisions
from engine.translation import state as translation_state
from engine.translation import strings as translation_strings
from engine.translation.exchange import About
from engine.translation.strings import Change, NoSuchVersion


@click.group()
def translations() -> None:
    """Translation files: export for translators, import their work, mark strings reviewed."""


def _target(function):
    for option in reversed(
        (
            click.option("--questionnaire", "questionnaire_id", required=True),
            click.option("--version", type=int, required=True),
            click.option("--lang", required=True, help="language tag, e.g. uk or fa-AF"),
        )
    ):
        function = option(function)
    return function


def _root() -> Path:
    settings = config.load(config.PROJECT_ROOT / "instance", need_secrets=False)
    return Path(settings["QUESTIONNAIRES_DIR"])


def _load(root: Path, questionnaire_id: str, version: int):
    try:
        return translation_strings.load(root, questionnaire_id, version)
    except NoSuchVersion as exc:
        raise click.ClickException(f"there is no version folder {exc}") from exc
    except QuestionnaireError as exc:
        raise click.ClickException(
            f"fix these first (kompass questionnaire check):\n{exc}"
        ) from exc


@translations.command("export")
@_target
@click.option("--format", "file_format", type=click.Choice(["xlsx", "po"]), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export(questionnaire_id: str, version: int, lang: str, file_format: str, out: Path) -> None:
    """Write every string (questionnaire, code lists, interface) with source, state and place."""
    root = _root()
    questionnaire = _load(root, questionnaire_id, version)
    strings = translation_strings.strings(root, questionnaire, lang)
    writer = (
        translation_exchange.export_xlsx
        if file_format == "xlsx"
        else translation_exchange.export_po
    )
    writer(out, About(questionnaire_id, version, lang), strings)
    click.echo(f"Wrote {len(strings)} strings to {out}.")


@translations.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--write", is_flag=True, help="write the changes (without it, only report them)")
@click.option("--lang", help="refuse the file unless it is for this language")
def import_(file: Path, write: bool, lang: str | None) -> None:
    """Check a translator's FILE and report what it changes; write only with --write."""
    sys.exit(0 if import_file(_root(), file, write, click.echo, lang) else 1)


def import_file(root: Path, file: Path, write: bool, echo, lang: str | None = None) -> bool:
    """Check, report and (with `write`) apply a translator's file; False when it has errors."""
    about, rows, errors = translation_exchange.read_file(file)
    if about is None and not errors:
        errors = [editor_error("import-no-about", file)]
    if not errors:
        target = About(about.questionnaire, about.version, lang or about.language)
        questionnaire = _load(root, about.questionnaire, about.version)
        known = translation_strings.strings(root, questionnaire, target.language)
        errors = translation_exchange.check(file, about, target, rows, known)
    if errors:
        for error in errors:
            echo(str(error))
        echo(f"{len(errors)} error(s) found; nothing was written.")
        return False
    edits = translation_exchange.edits(rows, known)
    for edit in edits:
        echo(str(edit))
    if not write:
        echo(f"{len(edits)} string(s) would change; run again with --write to write them.")
        return True
    changes = [Change(e.key, e.new, e.new_state == translation_state.REVIEWED) for e in edits]
    _write(root, questionnaire, about.language, changes, interface_revisions.IMPORT, echo)
    echo(f"{len(edits)} string(s) written.")
    return True


def _write(root: Path, questionnaire, lang: str, changes: list[Change], origin: str, echo):
    """Write the changes; a changed interface catalogue becomes a revision, audited."""
    translation_strings.apply(root, questionnaire, lang, changes)
    interface = [c for c in changes if c.key.startswith(f"{translation_strings.INTERFACE}:")]
    if interface:
        interface_cli.record_written(root, lang, origin, len(interface), echo)


@translations.command("review")
@_target
@click.option("--key", "keys", multiple=True, help="a key from the export (repeatable)")
@click.option("--all", "everything", is_flag=True, help="every translated string")
def review(questionnaire_id: str, version: int, lang: str, keys: tuple, everything: bool) -> None:
    """Mark strings reviewed by a human translator (outdated ones too: the text still fits)."""
    if bool(keys) == everything:
        raise click.UsageError("give --key KEY (one or more) or --all")
    root = _root()
    questionnaire = _load(root, questionnaire_id, version)
    strings = translation_strings.strings(root, questionnaire, lang)
    by_key = {string.key: string for string in strings}
    unknown = [key for key in keys if key not in by_key]
    if unknown:
        file = questionnaire.directory
        raise click.ClickException(
            "\n".join(str(editor_error("review-unknown-key", file, key=key)) for key in unknown)
        )
    chosen = [by_key[key] for key in keys] if keys else strings
    changes = [
        Change(string.key, None, reviewed=True)
        for string in chosen
        if string.translation and string.state != translation_state.SOURCE
    ]
    _write(root, questionnaire, lang, changes, interface_revisions.REVIEW, click.echo)
    click.echo(f"{len(changes)} string(s) marked reviewed.")


@translations.command("record-sources")
@_target
def record_sources(questionnaire_id: str, version: int, lang: str) -> None:
    """Remember the source text of translations made before states were kept (run once)."""
    root = _root()
    questionnaire = _load(root, questionnaire_id, version)
    changes = [
        Change(string.key, None, reviewed=string.state == translation_state.REVIEWED)
        for string in translation_strings.unrecorded(root, questionnaire, lang)
    ]
    translation_strings.apply(root, questionnaire, lang, changes)
    click.echo(f"{len(changes)} source text(s) recorded.")
