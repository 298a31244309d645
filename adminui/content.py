"""The content editor's view of questionnaire versions: state, check, translation status, diff.

Published versions come from the database (as frozen), drafts from their version folders.
Nothing here writes files; `publish` freezes a checked draft into the database.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.staff import audit
from auth.staff.models import AuditEvent, User
from engine.definition import loader, markup_check
from engine.definition.errors import EditorError, QuestionnaireError
from engine.questionnaire.loaded import Questionnaire
from engine.translation.state import COUNTED, SOURCE
from engine.versions import diff, frozen, published, publishing
from engine.versions.registry import QuestionnaireRegistry

QUESTIONNAIRE_ID = re.compile(r"[a-z][a-z0-9_]{0,59}")
VERSION_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
DRAFT, PUBLISHED, CHANGED = "draft", "published", "changed"
PUBLISH_ACTION = "questionnaire.publish"
SHORT = 300


@dataclass(frozen=True)
class Version:
    questionnaire_id: str
    version: int
    state: str
    fingerprint: str | None = None
    published_at: datetime | None = None
    published_by: str | None = None
    changed_files: tuple[str, ...] = ()


def versions(session: Session, root: Path) -> list[Version]:
    """Every published version and every version folder that is not published, in order."""
    rows = {(r.questionnaire_id, r.version): r for r in published.published_versions(session)}
    publishers = _publishers(session)
    found = [_published(root, row, publishers) for row in rows.values()]
    found += [Version(qid, number, DRAFT) for qid, number in _folders(root) - rows.keys()]
    return sorted(found, key=lambda v: (v.questionnaire_id, v.version))


def find(session: Session, root: Path, questionnaire_id: str, version: str) -> Version | None:
    """The version an URL names, or None for anything that is no such version."""
    if not (QUESTIONNAIRE_ID.fullmatch(questionnaire_id) and VERSION_NUMBER.fullmatch(version)):
        return None
    wanted = (questionnaire_id, int(version))
    return next(
        (v for v in versions(session, root) if (v.questionnaire_id, v.version) == wanted), None
    )


def _folders(root: Path) -> set[tuple[str, int]]:
    return {
        (folder.parent.name, int(folder.name))
        for folder in loader.find_versions(root)
        if QUESTIONNAIRE_ID.fullmatch(folder.parent.name) and VERSION_NUMBER.fullmatch(folder.name)
    }


def _published(root: Path, row: published.PublishedVersion, publishers: dict) -> Version:
    directory = root / row.questionnaire_id / str(row.version)
    changed = tuple(frozen.changed_files(directory, row.files or {}))
    return Version(
        row.questionnaire_id, row.version, CHANGED if changed else PUBLISHED, row.fingerprint,
        row.published_at, publishers.get((row.questionnaire_id, row.version)), changed,
    )  # fmt: skip


def _publishers(session: Session) -> dict[tuple[str, int], str]:
    """Who published each version from the staff UI (the audit log knows)."""
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == PUBLISH_ACTION))
    return {
        (event.details.get("questionnaire"), event.details.get("version")): event.actor_username
        for event in events
    }


@dataclass
class Loaded:
    """A version read for showing: the questionnaire, or the errors that stop it loading."""

    version: Version
    questionnaire: Questionnaire | None = None
    bundle: dict | None = None
    errors: list[EditorError] = field(default_factory=list)

    @property
    def fingerprint(self) -> str | None:
        return frozen.fingerprint(self.bundle) if self.bundle else None


def load(session: Session, registry: QuestionnaireRegistry, version: Version) -> Loaded:
    """A published version as frozen; a draft as its files say now."""
    if version.state != DRAFT:
        row = published.find(session, version.questionnaire_id, version.version)
        questionnaire = registry.get(session, row.id)
        return Loaded(version, questionnaire, row.content if questionnaire else None)
    try:
        questionnaire = publishing.load_from_files(
            registry.files_root, version.questionnaire_id, version.version, registry.types,
            registry.uses,
        )  # fmt: skip
    except QuestionnaireError as exc:
        return Loaded(version, errors=exc.errors)
    return Loaded(version, questionnaire, frozen.freeze(questionnaire))


def warnings(loaded: Loaded) -> list[EditorError]:
    """Texts with markup beyond the allowed formatting (shown without it)."""
    if loaded.questionnaire is None:
        return []
    q = loaded.questionnaire
    return markup_check.warnings(q.translations, q.codelist_translations)


STATES = (SOURCE, *COUNTED)


@dataclass(frozen=True)
class LanguageStatus:
    tag: str
    counts: dict[str, int]


def translation_status(questionnaire: Questionnaire) -> list[LanguageStatus]:
    """Per language, how many of the source texts are in each state (Text.state)."""
    used = set(questionnaire.codelists)
    sets = [
        (questionnaire.translations, questionnaire.translations.source_keys()),
        (
            questionnaire.codelist_translations,
            [k for k in questionnaire.codelist_translations.source_keys() if k[0] in used],
        ),
    ]
    status = []
    for tag in questionnaire.languages():
        counts = Counter(
            translations.state(tag, key) for translations, keys in sets for key in keys
        )
        status.append(LanguageStatus(tag, {state: counts[state] for state in STATES}))
    return status


@dataclass(frozen=True)
class ChangeLine:
    kind: str
    what: str
    subject: str
    item: str | None
    old: str
    new: str


def changes(old: dict, new: dict) -> list[ChangeLine]:
    """The differences between two bundles, with values as short text."""
    return [
        ChangeLine(c.kind, c.what, c.subject, c.item, _short(c.old), _short(c.new))
        for c in diff.diff(old, new)
    ]


def _short(value: object) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def newest_published(session: Session, questionnaire_id: str) -> published.PublishedVersion | None:
    version_id = published.newest_id(session, questionnaire_id)
    return session.get(published.PublishedVersion, version_id) if version_id else None


class PublishRefused(Exception):
    """Publishing did not happen; `reason` says why (a key of the view's messages)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def publish(
    session: Session, registry: QuestionnaireRegistry, version: Version, seen: str, user: User
) -> published.PublishedVersion:
    """Publish a draft exactly as the editor saw it (fingerprint `seen`) and audit it."""
    if version.state != DRAFT:
        raise PublishRefused("already_published")
    loaded = load(session, registry, version)
    if loaded.errors:
        raise PublishRefused("check_failed")
    if loaded.fingerprint != seen:
        raise PublishRefused("changed_since_seen")
    directory = registry.files_root / version.questionnaire_id / str(version.version)
    try:
        publication = published.publish(session, loaded.questionnaire, directory)
    except published.PublishedVersionChanged:
        raise PublishRefused("published_meanwhile") from None
    if not publication.new:
        raise PublishRefused("published_meanwhile")
    audit.record(
        session, "questionnaire.publish", user, questionnaire=version.questionnaire_id,
        version=version.version, fingerprint=publication.row.fingerprint,
    )  # fmt: skip
    return publication.row
