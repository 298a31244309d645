"""Read one translation file (`translations/<lang>.yaml`) and check its keys."""

from collections.abc import Collection
from pathlib import Path

from engine.definition.error_catalogue import closest
from engine.definition.errors import EditorError, QuestionnaireError
from engine.definition.yamlsource import YamlSource, read_yaml
from engine.translation import state as translation_state
from engine.translation.texts import LanguageFile, flatten

META_KEYS = {"language", "machine_translated", "translator", "name", "cldr_locale"}
Key = tuple[str, ...]


def read(file: Path, known: Collection[Key]) -> tuple[LanguageFile | None, list[EditorError]]:
    """The file's texts and meta; keys not in `known` and bad meta are errors."""
    try:
        source = read_yaml(file)
    except QuestionnaireError as exc:
        return None, exc.errors
    if not isinstance(source.data, dict):
        return None, [source.error("not-a-mapping", ())]
    texts = {k: v for k, v in source.data.items() if k != "meta"}
    meta = source.data.get("meta") or {}
    errors = _meta_errors(source, file.stem, meta)
    for path, value in flatten(texts).items():
        if path not in known:
            errors.append(_unknown_key(source, path, known))
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            errors.append(source.error("text-not-a-string", path, value=repr(value)))
    try:
        marks = translation_state.read_marks(file)
    except QuestionnaireError as exc:
        return None, errors + exc.errors
    language_file = LanguageFile(
        tag=file.stem,
        file=file,
        texts=texts,
        machine_translated=meta.get("machine_translated") is True,
        native_name=meta.get("name"),
        cldr_locale=meta.get("cldr_locale"),
        marks=marks,
    )
    return language_file, errors


def _meta_errors(source: YamlSource, tag: str, meta: object) -> list[EditorError]:
    if not isinstance(meta, dict):
        return [source.error("bad-meta", ("meta",), key="meta", expected="a mapping")]
    errors = [
        source.error(
            "unknown-meta-key",
            ("meta", key),
            closest(str(key), META_KEYS),
            key=key,
            allowed=", ".join(sorted(META_KEYS)),
        )
        for key in meta
        if key not in META_KEYS
    ]
    if meta.get("language") != tag:
        errors.append(
            source.error(
                "language-mismatch", ("meta", "language"), found=repr(meta.get("language")), tag=tag
            )
        )
    if not isinstance(meta.get("name", ""), str):
        errors.append(source.error("bad-meta", ("meta", "name"), key="name", expected="text"))
    if not isinstance(meta.get("machine_translated", False), bool):
        errors.append(
            source.error(
                "bad-meta",
                ("meta", "machine_translated"),
                key="machine_translated",
                expected="true or false",
            )
        )
    return errors


def language_files(folder: Path) -> list[Path]:
    """The translation files of a folder, without their state sidecars."""
    return [f for f in sorted(folder.glob("*.yaml")) if not translation_state.is_sidecar(f)]


def _unknown_key(source: YamlSource, path: Key, known: Collection[Key]) -> EditorError:
    """The error for a key that matches nothing, with the nearest known key of the same depth."""
    text = ".".join(path)
    candidates = (".".join(key) for key in known if len(key) == len(path))
    return source.error("unknown-translation-key", path, closest(text, candidates), key=text)
