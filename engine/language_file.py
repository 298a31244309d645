"""Read one translation file (`translations/<lang>.yaml`) and check its keys."""

from collections.abc import Callable
from pathlib import Path

from engine.errors import EditorError, QuestionnaireError
from engine.translations import LanguageFile, flatten
from engine.yamlsource import read_yaml

META_KEYS = {"language", "machine_translated", "translator", "native_name", "cldr_locale"}
KeyTest = Callable[[tuple[str, ...]], bool]


def read(file: Path, is_known: KeyTest) -> tuple[LanguageFile | None, list[EditorError]]:
    """The file's texts and meta; unknown keys and bad meta are errors."""
    try:
        source = read_yaml(file)
    except QuestionnaireError as exc:
        return None, exc.errors
    if not isinstance(source.data, dict):
        return None, [
            source.error("not-a-mapping", (), "the file must be a mapping of keys to texts", "")
        ]
    texts = {k: v for k, v in source.data.items() if k != "meta"}
    meta = source.data.get("meta") or {}
    errors = _meta_errors(source, file.stem, meta)
    for path, value in flatten(texts).items():
        if not is_known(path):
            errors.append(_unknown_key(source, path))
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            errors.append(
                source.error(
                    "text-not-a-string",
                    path,
                    f"the value is {value!r}, not text",
                    "put the text in quotes",
                )
            )
    language_file = LanguageFile(
        tag=file.stem,
        file=file,
        texts=texts,
        machine_translated=meta.get("machine_translated") is True,
        native_name=meta.get("native_name"),
        cldr_locale=meta.get("cldr_locale"),
    )
    return language_file, errors


def _meta_errors(source, tag: str, meta: object) -> list[EditorError]:
    if not isinstance(meta, dict):
        return [source.error("bad-meta", ("meta",), "meta must be a mapping", "see the format doc")]
    errors = [
        source.error(
            "unknown-meta-key",
            ("meta", key),
            f"unknown meta key '{key}'",
            f"allowed: {', '.join(sorted(META_KEYS))}",
        )
        for key in meta
        if key not in META_KEYS
    ]
    if meta.get("language") != tag:
        errors.append(
            source.error(
                "language-mismatch",
                ("meta", "language"),
                f"meta.language is {meta.get('language')!r} but the file is named {tag}.yaml",
                f"set meta.language: {tag}, or rename the file",
            )
        )
    if not isinstance(meta.get("machine_translated", False), bool):
        errors.append(
            source.error(
                "bad-meta",
                ("meta", "machine_translated"),
                "machine_translated must be true or false",
                "write machine_translated: true (no human translator) or false",
            )
        )
    return errors


def _unknown_key(source, path: tuple[str, ...]) -> EditorError:
    hint = "remove it, or correct it to the id used in questionnaire.yaml"
    if path[-1] in ("True", "False"):
        hint = 'YAML read yes/no/on/off as true/false: put the key in quotes, e.g. "no":'
    return source.error(
        "unknown-translation-key", path, f"the key '{'.'.join(path)}' matches nothing", hint
    )
