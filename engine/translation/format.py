"""`check`'s view of translations that would not format like their source text
(engine/definition/format_check.py): interface catalogues and the version's translation files."""

from pathlib import Path

from engine.definition import format_check
from engine.definition.error_catalogue import editor_error
from engine.definition.errors import EditorError
from engine.definition.yamlsource import line_in
from engine.questionnaire.loaded import Questionnaire
from engine.translation import catalogues as translation_catalogues
from engine.translation import strings as translation_strings
from engine.translation.strings import CODELIST, QUESTIONNAIRE

MSGID_SHOWN = 60


def interface_errors(path: Path) -> list[EditorError]:
    """Every msgstr of one interface catalogue that would not format like its msgid."""
    catalog = translation_catalogues.read_catalog(path)
    return [
        editor_error("interface-string-format", path, line=message.lineno,
                     msgid=message.id[:MSGID_SHOWN], problem=reason)
        for message, reason in translation_catalogues.format_problems(catalog)
    ]  # fmt: skip


def errors(root: Path, questionnaire: Questionnaire) -> list[EditorError]:
    """Every translated questionnaire or code-list text whose placeholders differ from the
    source's, or whose braces do not balance where the source uses {name}."""
    found = []
    for lang in questionnaire.languages():
        for part in (QUESTIONNAIRE, CODELIST):
            file = translation_strings.yaml_file(root, questionnaire, part, lang)
            for string in translation_strings.yaml_strings(questionnaire, lang, part):
                reason = string.translation and format_check.problem(
                    string.source, string.translation, formatted=False
                )
                if reason:
                    found.append(_format_error(file, string.key.split(":", 1)[1], reason))
    return found


def _format_error(file: Path, key: str, reason: str) -> EditorError:
    """The error at the text's line, so the editor finds it."""
    line = line_in(file, tuple(key.split(".")))
    return editor_error("translation-format", file, key, line, problem=reason)
