"""Interface strings a version may speak: `interface_texts:` in questionnaire.yaml.

It names strings of the interface catalogues (`questionnaires/interface/<lang>.po`) by a stable
key: `log_in: Log in` maps the key to the string's English source text (its msgid). A clip of
such a string is `audio/<lang>/interface.<key>.ogg`, checked, frozen, stored and served like
every other clip (engine/definition/audio.py); which page shows which string is the renderer's
business.
"""

import functools
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError

from engine.definition.error_catalogue import closest
from engine.definition.model import QuestionnaireSource
from engine.definition.yamlsource import YamlSource
from engine.translation.catalogues import (
    INTERFACE_FOLDER,
    INTERFACE_SOURCE_LANGUAGE,
    message_state,
    read_catalog,
    template_ids,
)
from engine.translation.state import SHOWN

PREFIX = "interface"
FIELD = "interface_texts"


def text_path(key: str) -> str:
    """The text path of an interface string, as its clip is named: `interface.<key>`."""
    return f"{PREFIX}.{key}"


def folder_of(directory: Path) -> Path:
    """The interface catalogues beside a version folder (`<questionnaires>/interface`)."""
    return directory.parent.parent / INTERFACE_FOLDER


def declaration_errors(source: YamlSource, model: QuestionnaireSource, directory: Path) -> list:
    """An error for each declared string that the interface template does not have."""
    if not model.interface_texts:
        return []
    try:
        known = template_ids(folder_of(directory))
    except (OSError, PoFileError, UnicodeDecodeError):  # then no declared string is known
        known = []
    return [
        source.error("interface-text-unknown", (FIELD, key), closest(msgid, known), msgid=msgid)
        for key, msgid in model.interface_texts.items()
        if msgid not in known
    ]


def shown(source: QuestionnaireSource, languages: list[str], folder: Path) -> dict[str, set]:
    """Per language, the text paths of the declared strings its catalogue shows (translated,
    not outdated; English always), which are the ones a clip in that language may speak."""
    return {
        lang: {text_path(key) for key, msgid in source.interface_texts.items()
               if _shows(folder, lang, msgid)}
        for lang in languages
    }  # fmt: skip


def key_of(source: QuestionnaireSource, msgid: str) -> str | None:
    """The key under which the version declares the string `msgid`, if it does."""
    return next((key for key, text in source.interface_texts.items() if text == msgid), None)


def _shows(folder: Path, lang: str, msgid: str) -> bool:
    """Whether the language's catalogue shows `msgid` translated (English: the msgid itself)."""
    if lang == INTERFACE_SOURCE_LANGUAGE:
        return True
    return message_state(_catalog(folder / f"{lang}.po"), msgid) in SHOWN


def _catalog(path: Path) -> Catalog | None:
    """The catalogue at `path`, or None when it is missing or cannot be read."""
    try:
        stat = path.stat()
        return _read(path, stat.st_mtime_ns, stat.st_size)
    except (OSError, PoFileError, UnicodeDecodeError):  # check names a broken catalogue itself
        return None


@functools.lru_cache(maxsize=64)
def _read(path: Path, _mtime_ns: int, _size: int) -> Catalog:
    """A catalogue, read once per file version (every load of a version asks again)."""
    return read_catalog(path)
