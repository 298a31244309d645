"""Stable ids of repeated entries: an entry keeps its id when others are added or removed.

The id is stored in the entry under `ENTRY_ID`, a key no question id can take (question ids
start with a letter), so exports and results can key on it.
"""

import secrets

from engine.questionnaire.loaded import Questionnaire

ENTRY_ID = "_id"
ID_PATTERN = "^[a-f0-9]{8,32}$"


def new_id(taken: set[str]) -> str:
    while True:
        candidate = secrets.token_hex(4)
        if candidate not in taken:
            return candidate


def ensure_ids(questionnaire: Questionnaire, answers: dict) -> dict:
    """The answers with an id on every entry of every group that lacks one (or has a copy)."""
    for qid, value in answers.items():
        question = questionnaire.questions.get(qid)
        if question is not None and question.questions and isinstance(value, list):
            _ensure(value)
    return answers


def _ensure(entries: list) -> None:
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        current = entry.get(ENTRY_ID)
        if not isinstance(current, str) or current in seen:
            entry[ENTRY_ID] = new_id(seen | _ids(entries))
        seen.add(entry[ENTRY_ID])


def _ids(entries: list) -> set[str]:
    return {e[ENTRY_ID] for e in entries if isinstance(e, dict) and ENTRY_ID in e}


def index_of(entries: list, entry_id: str) -> int | None:
    """The position of the entry with this id, or None."""
    return next(
        (i for i, e in enumerate(entries) if isinstance(e, dict) and e.get(ENTRY_ID) == entry_id),
        None,
    )
