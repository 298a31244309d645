"""Interface strings read from gettext `.po` files at run time: no compile step, no `.mo` files.

Each catalogue is compiled in memory when it is first used (Babel: `read_po`, `write_mo`) and
kept for the life of the process; a file that changed on disk is compiled again. Fuzzy entries
(outdated: their source text changed) are left out, so they show in the source language. The
respondent's catalogues are served from recorded revisions
(engine/translation/recorded_catalogues.py).
"""

import logging
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations
from flask_babel import Domain, get_locale

from engine.definition import format_check
from engine.translation import state as translation_state

INTERFACE_FOLDER = "interface"  # inside the questionnaires directory: <tag>.po + messages.pot
TEMPLATE = "messages.pot"
INTERFACE_SOURCE_LANGUAGE = "en"  # the msgids are English
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,35}$")
log = logging.getLogger(__name__)


def compile_po(path: Path) -> Translations:
    """The catalogue of one `.po` file, compiled in memory (fuzzy entries left out, and
    translations that would not format as their source: those show the source text)."""
    return compile_catalog(read_catalog(path), path.name)


def compile_catalog(catalog: Catalog, name: str) -> Translations:
    """A read catalogue compiled as `compile_po` does; `name` names it in warnings."""
    for message, reason in format_problems(catalog):
        log.warning("%s line %s: %s; the source text is shown", name, message.lineno, reason)
        catalog.delete(message.id, context=message.context)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


@dataclass(frozen=True)
class Loaded:
    """A compiled catalogue, the file time it was loaded at (None: no file) and its revision."""

    translations: NullTranslations
    stamp: int | None
    revision: object


class PoCatalogues:
    """The compiled catalogues of one folder by name, cached and reloaded when a file changes.

    A page asks for dozens of strings; the file's time is looked at again only after
    `RECHECK_SECONDS`, so an edited catalogue is served within a second without a `stat` per string.
    """

    RECHECK_SECONDS = 1.0

    def __init__(self, folder: Path, file_name: Callable[[str], str], clock=time.monotonic):
        self.folder = folder
        self.file_name = file_name
        self.clock = clock
        self._cache: dict[Path, tuple[float, Loaded]] = {}
        self._lock = threading.Lock()

    def get(self, name: str | None) -> NullTranslations:
        if not name or not _SAFE_NAME.match(name):
            return NullTranslations()
        return self._current(name).translations

    def stamp(self, name: str) -> object:
        """The revision of the catalogue `get(name)` serves now (here the file's time); None:
        no file."""
        return self._current(name).revision if name and _SAFE_NAME.match(name) else None

    def _current(self, name: str) -> Loaded:
        path = self.folder / self.file_name(name)
        now = self.clock()
        cached = self._cache.get(path)
        if cached and now - cached[0] < self.RECHECK_SECONDS:
            return cached[1]
        stamp = _file_stamp(path)
        loaded = cached[1] if cached else None
        if loaded is None or loaded.stamp != stamp:
            with self._lock:
                loaded = self.load(name, path, stamp, loaded)
        self._cache[path] = (now, loaded)
        return loaded

    def load(self, name: str, path: Path, stamp: int | None, previous: Loaded | None) -> Loaded:
        """The catalogue as its file says now; `stamp` is the file's time (None: no file)."""
        translations = _compile_or_nothing(path) if stamp is not None else NullTranslations()
        return Loaded(translations, stamp, stamp)


def _file_stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _compile_or_nothing(path: Path) -> NullTranslations:
    """A broken file serves the source language (and `kompass questionnaire check` names it)."""
    try:
        return compile_po(path)
    except Exception:  # Babel raises many kinds for a malformed file; none may break a page
        log.exception("interface catalogue %s cannot be read", path.name)
        return NullTranslations()


class PoDomain(Domain):
    """A Flask-Babel domain whose catalogues come from `PoCatalogues`, chosen by `name_of()`."""

    def __init__(self, catalogues: PoCatalogues, name_of: Callable[[], str | None]):
        super().__init__()
        self.catalogues = catalogues
        self.name_of = name_of

    def get_translations(self) -> NullTranslations:
        return self.catalogues.get(self.name_of())

    def stamps(self, names: list[str]) -> tuple:
        """The revision of each named catalogue, for keys of what is made from their texts."""
        return tuple(self.catalogues.stamp(name) for name in names)


def current_locale() -> str | None:
    locale = get_locale()
    return str(locale) if locale else None


def gettext_folder_domain(folder: Path) -> PoDomain:
    """A domain over a gettext folder (`<locale>/LC_MESSAGES/messages.po`), by request locale."""
    catalogues = PoCatalogues(folder, lambda locale: f"{locale}/LC_MESSAGES/messages.po")
    return PoDomain(catalogues, current_locale)


MACHINE_FLAG, REVIEWED_FLAG, OUTDATED_FLAG = "machine", "reviewed", "fuzzy"
MACHINE_HEADER = "Machine translation"  # the first comment line of a file no human translated


def read_catalog(path: Path) -> Catalog:
    """A `.po` file as a catalogue; raises (PoFileError, UnicodeDecodeError) on a broken line."""
    with path.open("rb") as stream:
        return read_po(stream, abort_invalid=True)


def format_problems(catalog: Catalog) -> list[tuple[Message, str]]:
    """The translated messages that would not format as their source, with the reason."""
    found = []
    for message in catalog:
        if message.id and message.string and not message.pluralizable:
            reason = format_check.problem(message.id, message.string)
            if reason:
                found.append((message, reason))
    return found


def template_ids(folder: Path) -> list[str]:
    """The source texts of the interface (`messages.pot`), in order."""
    path = folder / TEMPLATE
    return [m.id for m in read_catalog(path) if m.id] if path.is_file() else []


def machine_file(catalog: Catalog) -> bool:
    return (catalog.header_comment or "").lstrip("# ").startswith(MACHINE_HEADER)


def message_state(catalog: Catalog | None, msgid: str) -> str:
    """missing, outdated (fuzzy: its source changed), reviewed, or machine."""
    message = catalog.get(msgid) if catalog else None
    if message is None or not message.string:
        return translation_state.MISSING
    if message.fuzzy:
        return translation_state.OUTDATED
    if REVIEWED_FLAG in message.flags:
        return translation_state.REVIEWED
    if MACHINE_FLAG in message.flags or machine_file(catalog):
        return translation_state.MACHINE
    return translation_state.REVIEWED


def interface_counts(folder: Path, tag: str) -> dict[str, int]:
    """How many interface strings of language `tag` are in each counted state."""
    path = folder / f"{tag}.po"
    catalog = read_catalog(path) if path.is_file() else None
    tally = Counter(message_state(catalog, msgid) for msgid in template_ids(folder))
    return {name: tally[name] for name in translation_state.COUNTED}


def check_folders(folders: list[Path]) -> list[tuple[Path, str]]:
    """The `.po` files (and `.pot` templates) under `folders` that cannot be compiled, with the
    reason."""
    problems = []
    for folder in folders:
        for path in sorted([*folder.rglob("*.po"), *folder.rglob("*.pot")]):
            try:
                compile_po(path)
            except Exception as exc:  # report every kind of parse failure by file
                problems.append((path, str(exc)[:300]))
    return problems


def update_from_template(folder: Path) -> None:
    """Bring every `<tag>.po` in `folder` up to `messages.pot`, keeping previous source texts."""
    with (folder / TEMPLATE).open("rb") as stream:
        template = read_po(stream)
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as stream:
            catalog = read_po(stream)
        catalog.update(template, update_header_comment=False)
        with path.open("wb") as stream:
            write_po(stream, catalog, include_previous=True, ignore_obsolete=True, width=76)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--update"]:
        update_from_template(Path(argv[1]))
        return 0
    problems = check_folders([Path(folder) for folder in argv])
    print("\n".join(f"{path}: {problem}" for path, problem in problems), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
