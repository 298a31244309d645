"""`kompass questionnaire check`: every editor error, and translation completeness."""

from collections.abc import Callable
from pathlib import Path

from engine import codelists, loader, plugins, translation_files
from engine.errors import QuestionnaireError
from engine.translations import Translations


def check_tree(folder: Path, echo: Callable[[str], None]) -> bool:
    """Print errors and per-language figures for `folder`; True when there are no errors."""
    manager = plugins.make_plugin_manager()
    types = plugins.question_types(manager)
    root = _questionnaires_root(folder)
    try:
        loaded = loader.load_all(root, types)
    except QuestionnaireError as exc:
        for error in exc.errors:
            echo(str(error))
        echo(f"{len(exc.errors)} error(s) found.")
        return False
    for (qid, version), questionnaire in sorted(loaded.items()):
        echo(f"Questionnaire {qid} version {version}: OK")
        _print_completeness(questionnaire.translations, echo)
    shared = codelists.load(root / codelists.FOLDER)
    if shared.lists:
        echo("Shared code lists:")
        _print_completeness(shared.translations, echo)
    return True


def _questionnaires_root(folder: Path) -> Path:
    """Accept the questionnaires folder itself or a folder inside it."""
    for candidate in (folder, *folder.resolve().parents):
        if (candidate / codelists.FOLDER).is_dir() or loader.find_versions(candidate):
            return candidate
    return folder


def _print_completeness(translations: Translations, echo: Callable[[str], None]) -> None:
    echo(f"  {'language':<10}{'translated':>12}{'missing':>9}{'machine':>9}")
    for stats in translation_files.completeness(translations):
        echo(
            f"  {stats.language:<10}{stats.translated:>7}/{stats.total:<4}"
            f"{stats.missing:>9}{stats.machine_translated:>9}"
        )
    echo("  Missing strings are shown in the source language.")
