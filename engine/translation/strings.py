"""Every translatable string of a version in one language, and writing changes back to files.

A string's key names where it lives: `questionnaire:<path>` (the version's translation files),
`codelist:<list>.<value>` (the shared code lists) or `interface:<English text>` (the interface
catalogue `questionnaires/interface/<lang>.po`).
"""

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from engine.app import plugins
from engine.definition import codelists, loader
from engine.definition.error_catalogue import editor_error
from engine.definition.errors import QuestionnaireError
from engine.questionnaire.loaded import Questionnaire
from engine.translation import catalogues as translation_catalogues
from engine.translation import state as translation_state
from engine.translation.catalogues import (
    INTERFACE_FOLDER,
    INTERFACE_SOURCE_LANGUAGE,
    MACHINE_FLAG,
    REVIEWED_FLAG,
)
from engine.translation.files import FOLDER
from engine.translation.state import Mark, source_hash

QUESTIONNAIRE, CODELIST, INTERFACE = "questionnaire", "codelist", "interface"


class NoSuchVersion(LookupError):
    """There is no folder for the questionnaire version asked for."""


@dataclass(frozen=True)
class TranslatableString:
    key: str
    where: str
    source: str
    translation: str
    state: str


@dataclass(frozen=True)
class Change:
    """A new text (None: keep the text) for `key`, reviewed by a human or not."""

    key: str
    text: str | None
    reviewed: bool


def load(root: Path, questionnaire_id: str, version: int) -> Questionnaire:
    """The version as its files say now (raises QuestionnaireError with every error)."""
    directory = root / questionnaire_id / str(version)
    if not (directory / loader.QUESTIONNAIRE_FILE).is_file():
        raise NoSuchVersion(f"{questionnaire_id}/{version}")
    types = plugins.question_types(plugins.make_plugin_manager())
    return loader.load_version(directory, types, codelists.load(root / codelists.FOLDER))


def strings(root: Path, questionnaire: Questionnaire, lang: str) -> list[TranslatableString]:
    return [
        *yaml_strings(questionnaire, lang, QUESTIONNAIRE),
        *yaml_strings(questionnaire, lang, CODELIST),
        *_interface_strings(root / INTERFACE_FOLDER, lang),
    ]


def yaml_strings(questionnaire: Questionnaire, lang: str, part: str):
    translations = _translations(questionnaire, part)
    for path in translations.source_keys():
        if part == CODELIST and path[0] not in questionnaire.codelists:
            continue
        yield TranslatableString(
            key=f"{part}:{'.'.join(path)}",
            where=where(questionnaire, part, path),
            source=translations.value(translations.source_language, path) or "",
            translation=translations.value(lang, path) or "",
            state=translations.state(lang, path),
        )


def unrecorded(root: Path, questionnaire: Questionnaire, lang: str) -> list[TranslatableString]:
    """Translated questionnaire and code-list strings whose source text was never recorded."""
    found = []
    for part in (QUESTIONNAIRE, CODELIST):
        marks = translation_state.read_marks(yaml_file(root, questionnaire, part, lang))
        found += [
            string
            for string in yaml_strings(questionnaire, lang, part)
            if string.translation
            and string.state != translation_state.SOURCE
            and not getattr(marks.get(string.key.split(":", 1)[1]), "source", None)
        ]
    return found


def _interface_strings(folder: Path, lang: str):
    catalog = _interface_catalog(folder / f"{lang}.po")
    for msgid in translation_catalogues.template_ids(folder):
        message = catalog.get(msgid) if catalog else None
        yield TranslatableString(
            key=f"{INTERFACE}:{msgid}",
            where="interface: a button, heading or message of the respondent's pages",
            source=msgid,
            translation=(message.string if message else "") or "",
            state=(
                translation_state.SOURCE
                if lang == INTERFACE_SOURCE_LANGUAGE
                else translation_catalogues.message_state(catalog, msgid)
            ),
        )


def _interface_catalog(path: Path) -> Catalog | None:
    """The interface catalogue of a language (None without one); an error when it is broken."""
    if not path.is_file():
        return None
    problems = translation_catalogues.check_folders([path.parent])
    for file, problem in problems:
        if file == path:
            raise QuestionnaireError(
                [editor_error("interface-file-unreadable", path, problem=problem)]
            )
    return translation_catalogues.read_catalog(path)


def _translations(questionnaire: Questionnaire, part: str):
    return (
        questionnaire.translations if part == QUESTIONNAIRE else questionnaire.codelist_translations
    )


def where(questionnaire: Questionnaire, part: str, path: tuple[str, ...]) -> str:
    """A note for translators: where the string appears."""
    if part == CODELIST:
        return f"code list '{path[0]}', value '{path[-1]}'"
    kind, name = path[0], path[1] if len(path) > 1 else ""
    if len(path) == 1:
        return "the questionnaire's title"
    if kind == "sections":
        return f"section '{name}': {path[-1]}"
    if kind == "questions":
        detail = f"row '{path[3]}'" if len(path) > 3 else path[2]
        return f"section '{questionnaire.section_of.get(name, '?')}', question '{name}': {detail}"
    if kind == "messages":
        return f"error message '{name}'"
    if kind == "images":
        return f"alternative text of the picture images/{name}.svg (what it shows, in a few words)"
    if name in questionnaire.questions:
        return f"question '{name}', option '{path[-1]}'"
    return f"option list '{name}', option '{path[-1]}'"


def apply(root: Path, questionnaire: Questionnaire, lang: str, changes: list[Change]) -> None:
    """Write new texts and marks; every changed string records the source it was made from."""
    by_part: dict[str, list[Change]] = {}
    for change in changes:
        by_part.setdefault(change.key.split(":", 1)[0], []).append(change)
    for part in (QUESTIONNAIRE, CODELIST):
        if by_part.get(part):
            file = yaml_file(root, questionnaire, part, lang)
            _apply_yaml(file, _translations(questionnaire, part), lang, by_part[part])
    if by_part.get(INTERFACE):
        _apply_po(root / INTERFACE_FOLDER / f"{lang}.po", lang, by_part[INTERFACE])


def yaml_file(root: Path, questionnaire: Questionnaire, part: str, lang: str) -> Path:
    if part == QUESTIONNAIRE:
        return questionnaire.directory / FOLDER / f"{lang}.yaml"
    return root / codelists.FOLDER / "translations" / f"{lang}.yaml"


def _round_trip() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _apply_yaml(file: Path, translations, lang: str, changes: list[Change]) -> None:
    yaml = _round_trip()
    if file.is_file():
        with file.open(encoding="utf-8") as stream:
            data = yaml.load(stream)
    else:
        data = CommentedMap(meta=CommentedMap(language=lang, machine_translated=False))
    marks = translation_state.read_marks(file)
    for change in changes:
        path = tuple(change.key.split(":", 1)[1].split("."))
        if change.text is not None:
            _set(data, path, change.text)
        source = translations.value(translations.source_language, path) or ""
        marks[".".join(path)] = Mark(source=source_hash(source), reviewed=change.reviewed)
    with file.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    translation_state.write_marks(file, marks)


def _set(data: CommentedMap, path: tuple[str, ...], text: str) -> None:
    node = data
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[_quoted(key)] = CommentedMap()
        node = node[key]
    node[path[-1] if path[-1] in node else _quoted(path[-1])] = DoubleQuotedScalarString(text)


def _quoted(key: str) -> str:
    """Keys YAML 1.1 would read as true/false (yes, no, on, off, ...) are written in quotes."""
    ambiguous = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}
    return DoubleQuotedScalarString(key) if key.lower() in ambiguous else key


def _apply_po(file: Path, lang: str, changes: list[Change]) -> None:
    catalog = _interface_catalog(file) or Catalog(locale=lang.replace("-", "_"))
    for change in changes:
        msgid = change.key.split(":", 1)[1]
        message = catalog.get(msgid) or catalog.add(msgid)
        if change.text is not None:
            message.string = change.text
        message.flags -= {"fuzzy", MACHINE_FLAG, REVIEWED_FLAG}
        message.flags.add(REVIEWED_FLAG if change.reviewed else MACHINE_FLAG)
        message.previous_id = []
    with file.open("wb") as stream:
        write_po(stream, catalog, include_previous=True, width=76)
