"""The respondent's interface strings, served only from recorded revisions.

Like every `PoCatalogues`, a process looks at a catalogue's file time once per `RECHECK_SECONDS`
and does nothing more while it is unchanged. When the file changed (or on first use), it records
the file's text as a revision (engine.translation.interface_revisions: one query when the newest
revision
holds it already) and serves the newest revision, compiled once. A file that cannot be read
becomes no revision: the newest recorded one is served, and the error is logged. While the
database cannot be reached, what was served before is kept and the file is tried again later.
"""

import logging
import time
from collections.abc import Callable
from pathlib import Path

from babel.support import NullTranslations
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from engine.translation import interface_revisions
from engine.translation.catalogues import (
    INTERFACE_FOLDER,
    Loaded,
    PoCatalogues,
    PoDomain,
    compile_catalog,
    current_locale,
)
from engine.translation.interface_revisions import FILES, InterfaceRevision, RevisionRefused

log = logging.getLogger(__name__)
RETRY = -1  # a file time no file has: the next check loads the catalogue again


class RecordedCatalogues(PoCatalogues):
    """`<folder>/<tag>.po`, each served as the newest recorded revision of its language."""

    def __init__(self, folder: Path, sessions: sessionmaker, clock=time.monotonic):
        super().__init__(folder, lambda tag: f"{tag}.po", clock)
        self.sessions = sessions

    def load(self, name: str, path: Path, stamp: int | None, previous: Loaded | None) -> Loaded:
        try:
            with self.sessions() as session:
                revision = recorded(session, name, path)
                return _compiled(name, revision, stamp, previous)
        except SQLAlchemyError:
            log.exception("interface catalogue %s: the database cannot be reached", path.name)
            kept = previous.translations if previous else NullTranslations()
            return Loaded(kept, RETRY, previous.revision if previous else None)


def recorded(session: Session, name: str, path: Path) -> InterfaceRevision | None:
    """Record the file's text if it is new and readable; the newest revision of `name`."""
    try:
        text = path.read_bytes() if path.is_file() else b""
        if text or interface_revisions.newest(session, name) is not None:
            return interface_revisions.record(session, name, text, FILES).revision
    except (OSError, RevisionRefused) as exc:
        log.error("%s cannot be read (%s); its newest revision is served", path.name, exc)
    return interface_revisions.newest(session, name)


def _compiled(name: str, revision, stamp: int | None, previous: Loaded | None) -> Loaded:
    """The revision compiled, or the one compiled before if it is the same revision."""
    number = revision.number if revision else None
    if previous is not None and previous.revision == number:
        return Loaded(previous.translations, stamp, number)
    if revision is None:
        return Loaded(NullTranslations(), stamp, None)
    catalog = interface_revisions.check(revision.text.encode("utf-8"))
    return Loaded(compile_catalog(catalog, f"{name}.po"), stamp, number)


def respondent_domain(
    questionnaires_dir: Path, tag_of: Callable[[str], str], sessions: sessionmaker
) -> PoDomain:
    """Interface strings of the respondent pages: `<questionnaires>/interface/<tag>.po`, the tag
    being that of the current (or forced) locale: `tag_of` maps a locale to a language tag."""
    catalogues = RecordedCatalogues(questionnaires_dir / INTERFACE_FOLDER, sessions)
    return PoDomain(catalogues, lambda: _tag(tag_of))


def _tag(tag_of: Callable[[str], str]) -> str | None:
    locale = current_locale()
    return tag_of(locale) if locale else None


def record_folder(session: Session, folder: Path) -> list[tuple[str, int]]:
    """Record each catalogue of `folder` (and each recorded language whose file is gone);
    the languages that got a new revision, with its number."""
    names = {path.stem for path in folder.glob("*.po")}
    names |= set(interface_revisions.languages(session))
    made = []
    for name in sorted(names):
        before = interface_revisions.newest(session, name)
        revision = recorded(session, name, folder / f"{name}.po")
        if revision is not None and (before is None or before.number != revision.number):
            made.append((name, revision.number))
    return made
