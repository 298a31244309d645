"""`kompass questionnaire check`: every editor error, and translation completeness."""

from collections.abc import Callable
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from engine.app import plugins
from engine.app.db import make_engine, make_sessionmaker, missing_sqlite_file
from engine.definition import codelists, legal_pages, loader, markup_check
from engine.definition.error_catalogue import editor_error
from engine.definition.errors import EditorError, QuestionnaireError
from engine.questionnaire.loaded import Questionnaire
from engine.translation import catalogues as translation_catalogues
from engine.translation import format as translation_format
from engine.translation.catalogues import INTERFACE_FOLDER
from engine.translation.state import COUNTED
from engine.versions import published, publishing


def check_tree(
    folder: Path,
    echo: Callable[[str], None],
    database_url: str | None = None,
    enabled: list[str] | None = None,
) -> bool:
    """Print errors and per-language figures for `folder`; True when there are no errors.

    With a database, published versions whose files changed since publishing are errors too.
    `enabled` are the plugins whose question types and uses count (None: every installed one).
    """
    manager = plugins.make_plugin_manager(enabled)
    types = plugins.question_types(manager)
    root = _questionnaires_root(folder)
    published_rows, changed, kept_copies = _published(root, database_url, echo)
    changed += _interface_errors(root / INTERFACE_FOLDER)  # also when a version does not load
    changed += legal_pages.check(root)
    try:
        loaded = loader.load_all(root, types, plugins.uses(manager))
    except QuestionnaireError as exc:
        return _report(exc.errors + changed, echo)
    changed += _format_errors(root, loaded.values())
    if changed:
        return _report(changed, echo)
    for (qid, version), questionnaire in sorted(loaded.items()):
        state = "published" if (qid, version) in published_rows else "draft"
        echo(f"Questionnaire {qid} version {version} ({state}): OK")
        _print_states(questionnaire, root / INTERFACE_FOLDER, echo)
        _print_warnings(markup_check.warnings(questionnaire.translations), echo)
    shared = codelists.load(root / codelists.FOLDER)
    _print_warnings(markup_check.warnings(shared.translations) + kept_copies, echo)
    return True


def _format_errors(root: Path, questionnaires) -> list[EditorError]:
    """Each text that would not format once, though versions share code lists."""
    found = [e for q in questionnaires for e in translation_format.errors(root, q)]
    return list({str(error): error for error in found}.values())


def _interface_errors(folder: Path) -> list[EditorError]:
    unreadable = translation_catalogues.check_folders([folder])
    broken = {path for path, _ in unreadable}
    return [
        editor_error("interface-file-unreadable", path, problem=problem)
        for path, problem in unreadable
    ] + [
        error
        for path in sorted(folder.glob("*.po"))
        if path not in broken
        for error in translation_format.interface_errors(path)
    ]


def _print_warnings(warnings: list[EditorError], echo: Callable[[str], None]) -> None:
    for warning in warnings:
        echo(f"warning: {warning}")


def _report(errors: list[EditorError], echo: Callable[[str], None]) -> bool:
    for error in errors:
        echo(str(error))
    echo(f"{len(errors)} error(s) found.")
    return False


def _published(root: Path, database_url: str | None, echo) -> tuple[set, list, list]:
    """From the database: the published (id, version) pairs, the changed files of each (errors)
    and the shared code lists that differ from a published version's copy (warnings)."""
    if database_url is None or missing_sqlite_file(database_url):
        return set(), [], []
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session:
            rows = published.published_versions(session)
            return (
                {(r.questionnaire_id, r.version) for r in rows},
                publishing.changed_published_files(session, root),
                publishing.codelist_warnings(root, rows),
            )
    except SQLAlchemyError:
        echo("No migrated database: published versions were not compared with their files.")
        return set(), [], []
    finally:
        engine.dispose()


def _questionnaires_root(folder: Path) -> Path:
    """Accept the questionnaires folder itself or a folder inside it."""
    for candidate in (folder, *folder.resolve().parents):
        if (candidate / codelists.FOLDER).is_dir() or loader.find_versions(candidate):
            return candidate
    return folder


def _print_states(questionnaire: Questionnaire, interface: Path, echo) -> None:
    """Per language and part: how many strings are missing, machine, outdated, reviewed."""
    echo(f"  {'language':<10}{'part':<15}" + "".join(f"{name:>10}" for name in COUNTED))
    source = questionnaire.source.source_language
    for lang in questionnaire.languages():
        if lang == source:
            continue
        parts = {
            "questionnaire": questionnaire.translations.counts(lang),
            "code lists": questionnaire.codelist_translations.counts(
                lang, set(questionnaire.codelists)
            ),
            "interface": translation_catalogues.interface_counts(interface, lang),
        }
        for part, counts in parts.items():
            name = lang if part == "questionnaire" else ""
            echo(f"  {name:<10}{part:<15}" + "".join(f"{counts[s]:>10}" for s in COUNTED))
    echo("  Missing and outdated strings are shown in the source language.")
