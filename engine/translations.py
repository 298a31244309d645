"""Translation files: lookup with fallback to the source language, and completeness figures."""

from dataclasses import dataclass, field
from pathlib import Path

SOURCE, REVIEWED, MACHINE, OUTDATED, MISSING = (
    "source",
    "reviewed",
    "machine",
    "outdated",
    "missing",
)
STATES = (SOURCE, REVIEWED, MACHINE, OUTDATED, MISSING)


@dataclass(frozen=True)
class Text:
    """A string together with the language it is really in (after any fallback), and its state:
    one of STATES, `missing` when it fell back to the source language."""

    value: str
    lang: str
    state: str = SOURCE


@dataclass
class LanguageFile:
    tag: str
    file: Path
    texts: dict
    machine_translated: bool = False
    native_name: str | None = None
    cldr_locale: str | None = None


@dataclass
class Translations:
    source_language: str
    files: dict[str, LanguageFile] = field(default_factory=dict)

    def languages(self) -> list[str]:
        return sorted(self.files)

    def get(self, lang: str, *path: str) -> Text | None:
        """The text at `path` in `lang`, else in the source language, else None."""
        for candidate in (lang, self.source_language):
            value = _dig(self.files.get(candidate), path)
            if isinstance(value, str | int | float) and str(value).strip():
                return Text(str(value), candidate, self._state(lang, candidate))
        return None

    def text(self, lang: str, *path: str) -> Text:
        """Like `get`, but never empty: the last resort is the key itself."""
        return self.get(lang, *path) or Text(path[-1], self.source_language, MISSING)

    def _state(self, asked: str, found: str) -> str:
        if asked == self.source_language:
            return SOURCE
        if found != asked:
            return MISSING
        return MACHINE if self.files[found].machine_translated else REVIEWED


def _dig(language_file: LanguageFile | None, path: tuple[str, ...]) -> object:
    node: object = language_file.texts if language_file else None
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def flatten(texts: dict, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], object]:
    """{'a': {'b': 'x'}} -> {('a', 'b'): 'x'}."""
    flat: dict[tuple[str, ...], object] = {}
    for key, value in texts.items():
        path = prefix + (str(key),)
        if isinstance(value, dict):
            flat.update(flatten(value, path))
        else:
            flat[path] = value
    return flat
