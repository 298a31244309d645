"""Retention and erasure, the engine's part: a subject's responses are deleted or anonymised,
and plugins remove what they keep about the subject (`kompass_erase_subject`).

Anonymising keeps a submitted response for statistics, without identity: it is stored again
under a new id (the copies of a run are stored in random order, so new ids tell nothing of the
old ones) and a random subject (`anonymous:…`), with new entry ids, its dates cut to the
first day of the month, no staff user, no section log, no section verifications and no
submission snapshots, and without free text (an answer that is a string where the question has
no list of choices, such as `text` and `long_text`). What a plugin removes is counted by kind;
see docs/retention.md.
"""

import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import pluggy
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.questionnaire.loaded import Questionnaire
from engine.responses import contact
from engine.responses.entries import ENTRY_ID
from engine.responses.storage import SUBMITTED, Response, Submission
from engine.responses.verification import SectionVerification
from engine.versions.registry import QuestionnaireRegistry

ANONYMOUS_PREFIX = "anonymous:"
RESPONSES_DELETED = "responses_deleted"
RESPONSES_ANONYMISED = "responses_anonymised"
SUBMISSIONS_DELETED = "submissions_deleted"
COPIED = (
    Response.questionnaire_id, Response.version_id, Response.language, Response.state,
    Response.answers, Response.created_at, Response.updated_at, Response.submitted_at,
    Response.mode,
)  # fmt: skip


@dataclass
class Remover:
    """Removes subjects' data in one session; nothing is committed here."""

    session: Session
    hooks: pluggy.HookRelay
    registry: QuestionnaireRegistry
    copies: list[Response] = field(default_factory=list)

    def erase(self, subject: str) -> Counter:
        """Everything about `subject`: responses, snapshots, contact details, and what plugins
        keep."""
        counts = self._delete_submissions(subject)
        counts[RESPONSES_DELETED] = len(self._delete_responses(subject))
        return +(counts + self._plugins(subject))

    def anonymise(self, subject: str) -> Counter:
        """Submitted responses are kept without identity (stored by `store_copies`); the rest
        is erased.

        The rows copied are the rows this statement deleted, so a second run at the same time
        copies nothing twice.
        """
        counts = self._delete_submissions(subject)
        removed = self._delete_responses(subject)
        kept = [row for row in removed if row.state == SUBMITTED]
        for row in kept:
            self.copies.append(anonymous_copy(row, self.registry.get(self.session, row.version_id)))
        counts[RESPONSES_ANONYMISED] = len(kept)
        counts[RESPONSES_DELETED] = len(removed) - len(kept)
        return +(counts + self._plugins(subject))

    def store_copies(self) -> None:
        """The anonymised copies, in random order: their new ids follow no subject order.

        Subjects themselves are removed in a fixed order, so runs at the same time lock rows in
        the same order and wait for each other instead of deadlocking.
        """
        secrets.SystemRandom().shuffle(self.copies)
        self.session.add_all(self.copies)
        self.copies = []

    def _delete_submissions(self, subject: str) -> Counter:
        """The subject's snapshots, verifications and contact details, counted by kind."""
        ids = select(Response.id).where(Response.subject == subject)
        marks = SectionVerification.response_id.in_(ids)
        self.session.execute(delete(SectionVerification).where(marks))
        statement = delete(Submission).where(Submission.response_id.in_(ids))
        return Counter({
            SUBMISSIONS_DELETED: _rowcount(self.session.execute(statement)),
            contact.CONTACTS_DELETED: contact.remove(self.session, subject),
        })  # fmt: skip

    def _delete_responses(self, subject: str) -> list:
        statement = delete(Response).where(Response.subject == subject).returning(*COPIED)
        return list(self.session.execute(statement))

    def _plugins(self, subject: str) -> Counter:
        counts: Counter = Counter()
        for part in self.hooks.kompass_erase_subject(session=self.session, subject=subject):
            counts.update(part or {})
        return counts


def anonymous_copy(response, questionnaire: Questionnaire | None) -> Response:
    """A new response row with the answers that identify nobody, and no link to the subject."""
    return Response(
        subject=ANONYMOUS_PREFIX + secrets.token_hex(16),
        questionnaire_id=response.questionnaire_id,
        version_id=response.version_id,
        language=response.language,
        state=SUBMITTED,
        answers=without_free_text(questionnaire, response.answers or {}),
        revision=1,
        created_at=month_of(response.created_at),
        updated_at=month_of(response.updated_at),
        submitted_at=month_of(response.submitted_at),
        mode=response.mode,
        entered_by=None,
        section_log={},
    )


def without_free_text(questionnaire: Questionnaire | None, answers: Mapping) -> dict:
    """The answers less every string that is not a choice; entries get new ids."""
    questions = questionnaire.questions if questionnaire else {}
    kept: dict = {}
    for key, value in answers.items():
        question = questions.get(key)
        choices = question is not None and questionnaire.qtype(question).options is not None
        if isinstance(value, list) and value and all(isinstance(e, dict) for e in value):
            kept[key] = [_entry(questionnaire, entry) for entry in value]
        elif not isinstance(value, str) or choices:
            kept[key] = value
    return kept


def _entry(questionnaire: Questionnaire | None, entry: dict) -> dict:
    rest = {key: value for key, value in entry.items() if key != ENTRY_ID}
    return {ENTRY_ID: secrets.token_hex(4), **without_free_text(questionnaire, rest)}


def month_of(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass
class Run:
    """One retention run, handed to every plugin's `kompass_retention`."""

    remover: Remover
    now: datetime
    settings: Mapping[str, object]
    counts: Counter = field(default_factory=Counter)

    @property
    def session(self) -> Session:
        return self.remover.session

    def setting(self, name: str):
        return self.settings[name]


def run(remover: Remover, settings: Mapping[str, object], now: datetime, dry_run: bool) -> Counter:
    """Remove what is kept longer than `settings` allow; with `dry_run` roll it all back.

    A dry run does exactly the same work and then rolls back, so it reports the same counts.
    """
    retention = Run(remover, now, settings)
    for part in remover.hooks.kompass_retention(run=retention):
        retention.counts.update(part or {})
    remover.store_copies()
    counts = +retention.counts
    if dry_run:
        remover.session.rollback()
        return counts
    remover.hooks.kompass_data_removed(
        session=remover.session, actor=None, subject=None, counts=dict(counts)
    )
    remover.session.commit()
    return counts


def preview(remover: Remover, subject: str) -> Counter:
    """What `erase(subject)` would remove, counted by doing it and rolling back."""
    counts = remover.erase(subject)
    remover.session.rollback()
    return +counts


def _rowcount(result) -> int:
    return max(result.rowcount or 0, 0)
