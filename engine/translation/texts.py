"""Translation files: lookup with fallback to the source language, and the state of each text."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from engine.translation import state as translation_state
from engine.translation.state import COUNTED, MISSING, SHOWN, SOURCE, Mark


@dataclass(frozen=True)
class Text:
    """A string, the language it is really in (after any fallback) and its translation state:
    source, reviewed, machine, or outdated/missing (then the text is the source language's).
    Names from CLDR count as reviewed."""

    value: str
    lang: str
    state: str = translation_state.REVIEWED
    path: tuple[str, ...] = ()
    """Where the text is in the translation files (its audio is keyed by it)."""


@dataclass
class LanguageFile:
    tag: str
    file: Path
    texts: dict
    machine_translated: bool = False
    native_name: str | None = None
    cldr_locale: str | None = None
    marks: dict[str, Mark] = field(default_factory=dict)


@dataclass
class Translations:
    source_language: str
    files: dict[str, LanguageFile] = field(default_factory=dict)

    def languages(self) -> list[str]:
        return sorted(self.files)

    def get(self, lang: str, *path: str) -> Text | None:
        """The text at `path` in `lang` if it is shown (machine or reviewed), else in the source
        language with the state that made it fall back, else None."""
        source = _string(_dig(self.files.get(self.source_language), path))
        fallback = SOURCE
        if lang != self.source_language:
            value = _string(_dig(self.files.get(lang), path))
            fallback = self._state(lang, path, value, source)
            if fallback in SHOWN:
                return Text(value, lang, fallback, path)
        return Text(source, self.source_language, fallback, path) if source else None

    def text(self, lang: str, *path: str) -> Text:
        """Like `get`, but never empty: the last resort is the key itself."""
        return self.get(lang, *path) or Text(path[-1], self.source_language, MISSING)

    def value(self, lang: str, path: tuple[str, ...]) -> str | None:
        """The text at `path` in `lang` itself (no fallback), or None."""
        return _string(_dig(self.files.get(lang), path))

    def state(self, lang: str, path: tuple[str, ...]) -> str:
        """The state of the string at `path` in `lang` (`source` in the source language)."""
        if lang == self.source_language:
            return SOURCE
        source = _string(_dig(self.files.get(self.source_language), path))
        return self._state(lang, path, _string(_dig(self.files.get(lang), path)), source)

    def _state(self, lang: str, path: tuple[str, ...], value: str | None, source) -> str:
        file = self.files.get(lang)
        if file is None:
            return MISSING
        mark = file.marks.get(".".join(path))
        return translation_state.state(value, source, mark, file.machine_translated)

    def source_keys(self) -> list[tuple[str, ...]]:
        source = self.files.get(self.source_language)
        return sorted(flatten(source.texts)) if source else []

    def counts(self, lang: str, only: set[str] | None = None) -> dict[str, int]:
        """How many of the source language's strings are in each counted state (`only`: keys
        under these top-level names)."""
        keys = [key for key in self.source_keys() if only is None or key[0] in only]
        tally = Counter(self.state(lang, key) for key in keys)
        return {name: tally[name] for name in COUNTED}


def _string(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value) if str(value).strip() else None


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
