"""A questionnaire version as one JSON document, and back: what publishing stores.

The document ("bundle") holds everything the app needs to serve and read a version without its
files: the questionnaire, the code lists it uses with their labels, every translation, and the
CLDR lists it offers. `thaw` rebuilds the same `Questionnaire` from it.
"""

import functools
import hashlib
import json
from pathlib import Path

from engine.definition import audio, expressions, interface_texts, media_images
from engine.definition.cldr_lists import CldrLists
from engine.definition.errors import QuestionnaireError
from engine.definition.model import Codelist, QuestionnaireSource
from engine.definition.qtypes import QuestionType
from engine.definition.yamlsource import read_yaml_data
from engine.questionnaire.loaded import Questionnaire
from engine.translation import state as translation_state
from engine.translation.files import FOLDER as TRANSLATIONS
from engine.translation.texts import LanguageFile, Translations

FORMAT = 1
QUESTIONNAIRE_FILE = "questionnaire.yaml"
# Fields of the questionnaire added after bundles were first stored: left out while empty
LATER_FIELDS = (interface_texts.FIELD, "ordered_lists")


class FrozenVersionError(ValueError):
    """A stored bundle that cannot be read back (never expected; reported, never served)."""


def freeze(questionnaire: Questionnaire) -> dict:
    """The bundle of a loaded questionnaire."""
    used = set(questionnaire.codelists)
    content = {
        "source": questionnaire.source.model_dump(mode="json"),
        "codelists": {name: c.model_dump(mode="json") for name, c in _sorted(questionnaire)},
        "codelist_texts": _texts(questionnaire.codelist_translations, used),
        "translations": _texts(questionnaire.translations),
        **({"audio": audio.freeze(questionnaire.audio)} if questionnaire.audio else {}),
    }
    for field in LATER_FIELDS:  # bundles from before a field keep their fingerprint
        if not content["source"][field]:
            content["source"].pop(field)
    media_images.freeze(questionnaire, content)
    return {"format": FORMAT, "content": content, "cldr": questionnaire.cldr.to_dict()}


def _sorted(questionnaire: Questionnaire) -> list[tuple[str, Codelist]]:
    return sorted(questionnaire.codelists.items())


def _texts(translations: Translations, only: set[str] | None = None) -> dict:
    return {
        "source_language": translations.source_language,
        "languages": {
            tag: {
                "texts": {k: v for k, v in file.texts.items() if only is None or k in only},
                "machine_translated": file.machine_translated,
                "native_name": file.native_name,
                "cldr_locale": file.cldr_locale,
                "marks": {
                    key: mark.to_dict()
                    for key, mark in sorted(file.marks.items())
                    if only is None or key.split(".", 1)[0] in only
                },
            }
            for tag, file in sorted(translations.files.items())
        },
    }


def fingerprint(bundle: dict) -> str:
    """SHA-256 of the bundle's content (CLDR lists excluded: they are not the editors' work)."""
    return _digest(bundle["content"])


def _digest(data: object) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def file_hashes(directory: Path) -> dict[str, str]:
    """A hash of what each YAML file of a version folder says (comments and layout ignored),
    and of each audio file's bytes."""
    files = [
        directory / QUESTIONNAIRE_FILE,
        *sorted((directory / TRANSLATIONS).glob("*.yaml")),
        *audio.files(directory),
    ]
    hashes = {
        file.relative_to(directory).as_posix(): _file_digest(file)
        for file in files
        if file.is_file()
    }
    return hashes | media_images.file_hashes(directory)


def _file_digest(file: Path) -> str:
    stat = file.stat()
    return _digest_of(file, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=512)
def _digest_of(file: Path, _mtime_ns: int, _size: int) -> str:
    """The digest of what the file says; of its bytes when it cannot be read as YAML, when it
    is a state sidecar (written by the commands, so its layout never changes by hand) or audio.
    Kept per file version (time and size), since every publish and thaw asks again. Read by
    libyaml without lines (`read_yaml_data`): the same data several times faster, which every
    process pays at its first thaw (a `kompass export` too)."""
    if translation_state.is_sidecar(file) or file.suffix not in {".yaml", ".yml"}:
        return "bytes:" + _bytes_digest(file)
    try:
        return _digest(read_yaml_data(file))
    except QuestionnaireError:
        return "unreadable:" + _bytes_digest(file)


def _bytes_digest(file: Path) -> str:
    with file.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def changed_files(directory: Path, published: dict[str, str]) -> list[str]:
    """The files of a version folder that differ from what was published (added, gone, edited)."""
    now = file_hashes(directory) if directory.is_dir() else {}
    return sorted(
        name for name in set(now) | set(published) if now.get(name) != published.get(name)
    )


def thaw(bundle: dict, types: dict[str, QuestionType]) -> Questionnaire:
    """The questionnaire a bundle was made from."""
    try:
        content = bundle["content"]
        source = QuestionnaireSource.model_validate(content["source"])
        questionnaire = Questionnaire(
            source=source,
            directory=Path(source.id) / str(source.version),
            types=types,
            codelists={n: Codelist.model_validate(c) for n, c in content["codelists"].items()},
            translations=_translations(content["translations"]),
            codelist_translations=_translations(content["codelist_texts"]),
            cldr=CldrLists.from_dict(bundle["cldr"]),
            images=media_images.thaw(content),
            audio=audio.thaw(content.get("audio", {})),
        )
        _compile_rules(questionnaire)
    except (KeyError, TypeError, ValueError, expressions.ExpressionError) as exc:
        raise FrozenVersionError(
            f"stored questionnaire cannot be read: {type(exc).__name__}"
        ) from exc
    missing = {q.type for q in questionnaire.questions.values()} - set(types)
    if missing:
        raise FrozenVersionError(f"question types not installed: {', '.join(sorted(missing))}")
    return questionnaire


def _translations(data: dict) -> Translations:
    translations = Translations(data["source_language"])
    for tag, entry in data["languages"].items():
        translations.files[tag] = LanguageFile(
            tag=tag,
            file=Path(TRANSLATIONS) / f"{tag}.yaml",
            texts=entry["texts"],
            machine_translated=entry["machine_translated"],
            native_name=entry["native_name"],
            cldr_locale=entry["cldr_locale"],
            marks=translation_state.marks_from_dict(entry.get("marks", {})),
        )
    return translations


def _compile_rules(questionnaire: Questionnaire) -> None:
    """Parse `visible_if` and `check` again; they were checked when the version was published."""
    for qid, question in questionnaire.questions.items():
        if question.visible_if is not None:
            questionnaire.visible_if[qid] = expressions.parse(question.visible_if)
        for constraint in question.constraints:
            rule = (expressions.parse(constraint.check), constraint.message)
            questionnaire.checks.setdefault(qid, []).append(rule)
