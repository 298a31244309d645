"""Shared code lists (questionnaires/codelists/) and their translations."""

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from engine.definition import language_file
from engine.definition.error_catalogue import editor_error
from engine.definition.errors import EditorError, QuestionnaireError
from engine.definition.model import Codelist
from engine.definition.yamlsource import read_yaml
from engine.translation.texts import Translations

FOLDER = "codelists"
SOURCE_LANGUAGE = "en"


@dataclass
class SharedCodelists:
    lists: dict[str, Codelist] = field(default_factory=dict)
    translations: Translations = field(default_factory=lambda: Translations(SOURCE_LANGUAGE))
    errors: list[EditorError] = field(default_factory=list)

    def lists_for(self, names: list[str]) -> dict[str, Codelist]:
        return {name: self.lists[name] for name in names if name in self.lists}

    def expected_keys(self) -> set[tuple[str, ...]]:
        return {(c.id, value) for c in self.lists.values() for value in c.values}


def load(folder: Path) -> SharedCodelists:
    shared = SharedCodelists()
    for file in sorted(folder.glob("*.yaml")):
        _load_list(file, shared)
    expected = shared.expected_keys()
    for file in language_file.language_files(folder / "translations"):
        loaded, errors = language_file.read(file, expected)
        shared.errors += errors
        if loaded:
            shared.translations.files[loaded.tag] = loaded
    shared.errors += _missing_source_labels(folder, shared, expected)
    return shared


def _load_list(file: Path, shared: SharedCodelists) -> None:
    from engine.definition.loader import pydantic_errors

    try:
        source = read_yaml(file)
        codelist = Codelist.model_validate(source.data)
    except QuestionnaireError as exc:
        shared.errors += exc.errors
        return
    except ValidationError as exc:
        shared.errors += pydantic_errors(source, exc, Codelist)
        return
    if codelist.id != file.stem:
        shared.errors.append(
            source.error("wrong-file-name", ("id",), name=codelist.id, file_name=file.name)
        )
    shared.errors += source.duplicates("duplicate-option", ("values",), codelist.values)
    shared.lists[codelist.id] = codelist


def _missing_source_labels(folder, shared, expected) -> list[EditorError]:
    source = shared.translations.files.get(SOURCE_LANGUAGE)
    file = folder / "translations" / f"{SOURCE_LANGUAGE}.yaml"
    missing = sorted(k for k in expected if not shared.translations.get(SOURCE_LANGUAGE, *k))
    if source is None and expected:
        missing = missing[:1]
    return [
        editor_error("missing-source-text", file, ".".join(key), file_name=file.name)
        for key in missing
    ]
