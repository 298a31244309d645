"""The life of a version on disk: draft folder -> check -> publish -> immutable.

Editors work in `questionnaires/<id>/<version>/`; publishing freezes a version into the database
(`engine.versions.published`). These functions connect the two for the `kompass questionnaire`
commands.
"""

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definition import codelists, loader
from engine.definition.error_catalogue import editor_error
from engine.definition.errors import EditorError, QuestionnaireError
from engine.definition.qtypes import QuestionType
from engine.definition.uses import Use
from engine.questionnaire.loaded import Questionnaire
from engine.translation import format as translation_format
from engine.versions import frozen, published, published_codelists

_VERSION_LINE = re.compile(r"^version:\s*\d+\s*$", re.MULTILINE)


class NoSuchVersion(LookupError):
    """There is no folder for this questionnaire version."""


def version_numbers(root: Path, questionnaire_id: str) -> list[int]:
    """The version folders of a questionnaire, in order."""
    folder = root / questionnaire_id
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdecimal())


def load_from_files(
    root: Path,
    questionnaire_id: str,
    version: int,
    types: dict[str, QuestionType],
    known_uses: dict[str, Use] | None = None,
) -> Questionnaire:
    """One version read from its folder; QuestionnaireError lists everything wrong with it
    (its `uses:` too when `known_uses` are given, as publishing does)."""
    directory = root / questionnaire_id / str(version)
    if not (directory / loader.QUESTIONNAIRE_FILE).is_file():
        raise NoSuchVersion(f"{questionnaire_id}/{version}")
    shared = codelists.load(root / codelists.FOLDER)
    if shared.errors:
        raise QuestionnaireError(shared.errors)
    questionnaire = loader.load_version(directory, types, shared, known_uses)
    errors = translation_format.errors(root, questionnaire)  # as `check` refuses them
    if errors:
        raise QuestionnaireError(errors)
    return questionnaire


def publish_from_files(
    session: Session, root: Path, questionnaire_id: str, version: int, types, known_uses
) -> published.Publication:
    """Publish a version folder; one already published stays as it is while its own files do
    (shared code lists it uses may change: it keeps its copy), and is refused, naming each
    file, when they changed, as `check` does."""
    questionnaire = load_from_files(root, questionnaire_id, version, types, known_uses)
    row = published.find(session, questionnaire_id, version)
    if row is not None and row.is_published:
        return _already_published(row, root / questionnaire_id / str(version))
    return published.publish(session, questionnaire, root / questionnaire_id / str(version))


def _already_published(row: published.PublishedVersion, directory: Path) -> published.Publication:
    errors = _changed_errors(row, directory)
    if errors:
        raise QuestionnaireError(errors)
    return published.Publication(row, new=False)


def ensure_published(session: Session, root: Path, questionnaire_id: str, types, known_uses):
    """Publish the newest valid version folder if no version of the questionnaire is published.

    Used by `kompass demo`, so a fresh install serves the questionnaire at once.
    """
    if published.newest_id(session, questionnaire_id) is not None:
        return None
    for version in reversed(version_numbers(root, questionnaire_id)):
        try:
            return publish_from_files(session, root, questionnaire_id, version, types, known_uses)
        except QuestionnaireError:
            continue
    return None


@dataclass(frozen=True)
class Reserved:
    questionnaire_id: str
    version: int
    problem: str | None


def freeze_reserved(session: Session, root: Path, types, known_uses) -> list[Reserved]:
    """Publish versions that responses use but that were never frozen (data from before
    versions were frozen); a version whose files cannot be read is reported, not guessed."""
    results = []
    for row in _reserved_rows(session):
        try:
            publish_from_files(session, root, row.questionnaire_id, row.version, types, known_uses)
            results.append(Reserved(row.questionnaire_id, row.version, None))
        except (QuestionnaireError, NoSuchVersion) as exc:
            results.append(Reserved(row.questionnaire_id, row.version, _first_line(exc)))
    return results


def _reserved_rows(session: Session) -> list[published.PublishedVersion]:
    version = published.PublishedVersion
    return list(session.scalars(select(version).where(version.fingerprint.is_(None))))


def _first_line(exc: Exception) -> str:
    if isinstance(exc, QuestionnaireError):
        return f"{len(exc.errors)} error(s) in the files, first: {exc.errors[0]}"
    return f"no folder {exc}"


def new_version(root: Path, questionnaire_id: str) -> Path:
    """Copy the newest version folder to the next number, as a draft to edit."""
    numbers = version_numbers(root, questionnaire_id)
    if not numbers:
        raise NoSuchVersion(questionnaire_id)
    source, target = (root / questionnaire_id / str(n) for n in (numbers[-1], numbers[-1] + 1))
    shutil.copytree(source, target)
    file = target / loader.QUESTIONNAIRE_FILE
    text = file.read_text(encoding="utf-8")
    file.write_text(_VERSION_LINE.sub(f"version: {numbers[-1] + 1}", text, count=1), "utf-8")
    return target


def changed_published_files(session: Session, root: Path) -> list[EditorError]:
    """An error for every published version whose folder no longer says what was published."""
    return [
        error
        for row in published.published_versions(session)
        for error in _changed_errors(row, root / row.questionnaire_id / str(row.version))
    ]


def codelist_warnings(root: Path, rows: list[published.PublishedVersion]) -> list[EditorError]:
    """A warning per shared code-list file that no longer says what a published version froze."""
    shared = codelists.load(root / codelists.FOLDER)
    return [
        warning for row in rows for warning in published_codelists.differences(row, shared, root)
    ]


def _changed_errors(row: published.PublishedVersion, directory: Path) -> list[EditorError]:
    return [
        _changed_error(row, directory / name, name in (row.files or {}))
        for name in frozen.changed_files(directory, row.files or {})
    ]


def _changed_error(row: published.PublishedVersion, file: Path, was_published: bool):
    state = ("was changed" if file.exists() else "is missing") if was_published else "was added"
    return editor_error(
        "published-version-changed", file, qid=row.questionnaire_id, version=row.version,
        state=state, file_name=file,
    )  # fmt: skip


def bundle(session: Session, root: Path, questionnaire_id: str, version: int, types) -> dict:
    """A version's bundle: as published if it is, else as its draft folder says now."""
    row = published.find(session, questionnaire_id, version)
    if row is not None and row.is_published:
        return row.content
    return frozen.freeze(load_from_files(root, questionnaire_id, version, types))
