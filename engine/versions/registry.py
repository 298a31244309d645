"""The questionnaire versions a running app serves: published ones, read from the database.

A published version never changes, so each is read (thawed) once per process and kept; threads
that ask for the same version at once wait for one thaw instead of each doing it. Which
version is the newest is kept with the publication stamp (`published.STAMP`) it was found
under, and asked of the database again when the stamp that the pool's ping read as the
transaction began differs: a version published by another process is given to new respondents
at once, and no request asks for it otherwise. There is no fallback from one version to another.
"""

import logging
import threading
from pathlib import Path

from sqlalchemy.orm import Session

from engine.app.db import ping_row
from engine.definition.qtypes import QuestionType
from engine.definition.uses import Use
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.memo import Memo
from engine.versions import frozen, published

log = logging.getLogger(__name__)
THAWED = Memo(8)
"""Versions thawed in this process, by content fingerprint and question types: every registry
(one per app; the tests make hundreds) shares one thaw of a version and the values its memo
keeps. A fingerprint names the whole bundle, so equal keys are the same content."""


class QuestionnaireRegistry:
    def __init__(self, types: dict[str, QuestionType], active_id: str, files_root: Path,
                 known_uses: dict[str, Use] | None = None):  # fmt: skip
        self.types = types
        self.uses = known_uses or {}
        self.active_id = active_id
        self.files_root = files_root
        self._thawed: dict[int, Questionnaire] = {}
        self._newest: dict[str, tuple[tuple, int]] = {}  # served questionnaires: (stamp, id)
        self._lock = threading.Lock()

    def get(self, session: Session, version_id: int) -> Questionnaire | None:
        """The published version with this id, or None if it is not (or no longer) servable."""
        if version_id in self._thawed:
            return self._thawed[version_id]
        row = session.get(published.PublishedVersion, version_id)
        if row is None or not row.is_published:
            return None
        with self._lock:
            if version_id not in self._thawed:
                questionnaire = self._thaw(row)
                if questionnaire is None:
                    return None
                self._thawed[version_id] = questionnaire
        return self._thawed[version_id]

    def newest_id(self, session: Session, questionnaire_id: str | None = None) -> int | None:
        """The newest published version's id, asked of the database only when something was
        published since it was last asked (or the session's engine reads no stamp)."""
        questionnaire_id = questionnaire_id or self.active_id
        stamp = ping_row(session)
        if stamp is None:
            return published.newest_id(session, questionnaire_id)
        kept = self._newest.get(questionnaire_id)
        if kept is None or kept[0] != stamp:
            newest = published.newest_id(session, questionnaire_id)
            if newest is None:  # not kept: a URL can name any questionnaire
                return None
            kept = self._newest[questionnaire_id] = (stamp, newest)
        return kept[1]

    def active(self, session: Session, questionnaire_id: str | None = None) -> Questionnaire | None:
        """The newest published version of a questionnaire (default: the `ACTIVE_QUESTIONNAIRE`,
        which a log-in leads to unless the code names another), the one new respondents get."""
        version_id = self.newest_id(session, questionnaire_id)
        return self.get(session, version_id) if version_id is not None else None

    def served_ids(self, session: Session) -> list[str]:
        """Every questionnaire with a published version, the default one first."""
        ids = published.questionnaire_ids(session)
        return sorted(ids, key=lambda qid: (qid != self.active_id, qid))

    def _thaw(self, row: published.PublishedVersion) -> Questionnaire | None:
        try:
            key = (row.fingerprint, frozenset(self.types.items()))
            questionnaire = THAWED.get(key, lambda: frozen.thaw(row.content, self.types))
        except frozen.FrozenVersionError as exc:
            log.error("questionnaire %s version %s cannot be served: %s",
                      row.questionnaire_id, row.version, exc)  # fmt: skip
            return None
        return questionnaire

    def changed_files_warnings(self, session: Session) -> list[str]:
        """A line per published version whose folder's files differ from what was published:
        `make serve` says them once as it starts (a thaw reads no file; `kompass questionnaire
        check` and the content pages name the files too)."""
        found = []
        for row in published.published_versions(session):
            directory = self.files_root / row.questionnaire_id / str(row.version)
            changed = frozen.changed_files(directory, row.files or {})
            if changed:
                found.append(
                    f"questionnaire {row.questionnaire_id} version {row.version}: files differ "
                    f"from the published version ({', '.join(changed)}); serving the published "
                    "content. Start a new version for changes: kompass questionnaire "
                    f"new-version {row.questionnaire_id}"
                )
        return found
