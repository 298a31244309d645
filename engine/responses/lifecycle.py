"""The response lifecycle: start, save a section, add and remove entries, submit, reopen, verify.

Every renderer (HTML pages, an API, a test) goes through this service, so the rules live once:
a response is answered in the version it was started in; every write carries the revision it
was based on; a save keeps every valid answer, reports the rest, and never fails on bad input.
Every write names who acts and how (a `Respondent`: the subject, or the staff user in an
interview; a staff user's reference for reopening and verifying) and is told to the plugins
once (`kompass_response_event`), in its own transaction: what they record of it (the audit
log, closed log-in codes) is committed with it, or nothing is.
"""

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from engine.definition.model import Section
from engine.questionnaire import validation
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.validation import Problem
from engine.responses import entries, storage, verification
from engine.responses.answers_path import del_in, get_in, set_in
from engine.responses.respondent import Respondent
from engine.responses.storage import Response
from engine.versions.published import PublishedVersion
from engine.versions.registry import QuestionnaireRegistry

_REPAIR_ROUNDS = 5


class VersionUnavailable(Exception):
    """No published version to start on, or the response's own version cannot be served."""


class UnknownPart(LookupError):
    """A section or entry that is not part of this response (or not shown to this respondent)."""


@dataclass
class Opened:
    """A response together with the questionnaire version it is answered in."""

    response: Response
    questionnaire: Questionnaire


@dataclass
class Saved:
    response: Response
    problems: list[Problem] = field(default_factory=list)
    entry_id: str | None = None


# The events of `kompass_response_event`, and the mode of a staff user's own act.
SAVED, SUBMITTED, REOPENED, VERIFIED = "saved", "submitted", "reopened", "verified"
STAFF = "staff"


@dataclass
class Lifecycle:
    """`hooks` (the plugin manager's `hook`) hears of every write; None: nobody."""

    session: Session
    registry: QuestionnaireRegistry
    hooks: object | None = None

    def find(self, subject: str, questionnaire_id: str | None = None) -> Opened | None:
        response = storage.find(self.session, subject, questionnaire_id or self.registry.active_id)
        return self._opened(response) if response else None

    def open(self, subject: str, lang: str, questionnaire_id: str | None = None) -> Opened:
        """The subject's response, started on the newest published version if there is none."""
        existing = self.find(subject, questionnaire_id)
        if existing:
            return existing
        version_id = self.registry.newest_id(self.session, questionnaire_id)
        if version_id is None:
            raise VersionUnavailable()
        version = self.session.get(PublishedVersion, version_id)
        return self._opened(storage.find_or_start(self.session, subject, version, lang))

    def _opened(self, response: Response) -> Opened:
        questionnaire = self.registry.get(self.session, response.version_id)
        if questionnaire is None:
            raise VersionUnavailable()
        return Opened(response, questionnaire)

    def sections(self, opened: Opened, respondent: Respondent) -> list[Section]:
        return opened.questionnaire.sections(include_staff=respondent.include_staff)

    def save_section(
        self, opened: Opened, section_id: str, answers: dict, revision: int,
        lang: str, respondent: Respondent,
    ) -> Saved:  # fmt: skip
        """Replace the answers of one section; invalid ones keep their stored value."""
        section = self._section(opened, section_id, respondent)
        merged = _with_section(opened.response.answers, section, answers)
        return self._store(opened, merged, revision, lang, respondent, section.id)

    def add_entry(self, opened: Opened, group_id: str, revision: int, lang: str, respondent):
        """Append an empty entry to a group; `Saved.entry_id` is its new, stable id."""
        group = self._group(opened, group_id, respondent)
        current = list(opened.response.answers.get(group_id) or [])
        if len(current) >= (group.max_entries or 20):
            return Saved(opened.response, [Problem((group_id,), "too_many")])
        entry = {entries.ENTRY_ID: entries.new_id({e.get(entries.ENTRY_ID) for e in current})}
        answers = {**opened.response.answers, group_id: [*current, entry]}
        section_id = opened.questionnaire.section_of[group_id]
        saved = self._store(opened, answers, revision, lang, respondent, section_id)
        saved.entry_id = entry[entries.ENTRY_ID]
        return saved

    def remove_entry(self, opened, group_id: str, entry_id: str, revision: int, lang, respondent):
        """Remove the entry with this id; the other entries keep theirs."""
        self._group(opened, group_id, respondent)
        current = list(opened.response.answers.get(group_id) or [])
        index = entries.index_of(current, entry_id)
        if index is None:
            raise UnknownPart(entry_id)
        del current[index]
        answers = {**opened.response.answers, group_id: current}
        if not current:
            del answers[group_id]
        section_id = opened.questionnaire.section_of[group_id]
        return self._store(opened, answers, revision, lang, respondent, section_id)

    def problems(self, opened: Opened, respondent: Respondent) -> list[Problem]:
        """What stops submission, in the sections this respondent answers."""
        shown = {s.id for s in self.sections(opened, respondent)}
        questionnaire = opened.questionnaire
        return [
            p
            for p in validation.validate(questionnaire, opened.response.answers)
            if questionnaire.section_of.get(str(p.path[0])) in shown
        ]

    def submit(self, opened: Opened, revision: int, respondent: Respondent) -> Saved:
        """Submit if nothing required is missing; otherwise return the problems unsaved."""
        problems = self.problems(opened, respondent)
        if problems:
            return Saved(opened.response, problems)
        response = storage.submit(self.session, opened.response, revision)
        return Saved(self._commit(response, SUBMITTED, _actor(respondent), respondent.mode))

    def reopen(self, opened: Opened, revision: int, by: str, reason: str) -> Saved:
        """The staff user `by` reopens a submitted response for correction; the submitted
        answers stay as a snapshot."""
        reason = " ".join(reason.split())
        if not reason:
            return Saved(opened.response, [Problem(("reason",), "required")])
        response = storage.reopen(self.session, opened.response, revision, by, reason[:2000])
        return Saved(self._commit(response, REOPENED, by, STAFF))

    def verify(self, opened: Opened, section: str, state: str, note: str, by: str) -> None:
        """The staff user `by` marks a section as gone through or needing follow-up; raises
        `verification.CannotVerify` for a section, state or note that is not allowed."""
        response, questionnaire = opened.response, opened.questionnaire
        verification.record(self.session, response, questionnaire, section, state, by, note)
        self._commit(response, VERIFIED, by, STAFF, section, state=state)

    def _section(self, opened: Opened, section_id: str, respondent: Respondent) -> Section:
        section = next((s for s in self.sections(opened, respondent) if s.id == section_id), None)
        if section is None:
            raise UnknownPart(section_id)
        return section

    def _group(self, opened: Opened, group_id: str, respondent: Respondent):
        questionnaire = opened.questionnaire
        group = questionnaire.questions.get(group_id)
        section_id = questionnaire.section_of.get(group_id)
        if group is None or not group.questions or group_id in questionnaire.group_of:
            raise UnknownPart(group_id)
        self._section(opened, section_id, respondent)
        return group

    def _store(self, opened, answers: dict, revision: int, lang, respondent, section_id) -> Saved:
        checked, problems = keep_valid(opened.questionnaire, answers, opened.response.answers)
        response = storage.save_draft(
            self.session, opened.response, checked, revision, lang, respondent, section_id
        )
        actor, mode = _actor(respondent), respondent.mode
        return Saved(self._commit(response, SAVED, actor, mode, section_id), problems)

    def _commit(self, response: Response, event: str, actor: str, mode: str, section=None,
                **details) -> Response:  # fmt: skip
        """Tell the plugins what was written, then commit it with what they added; if a plugin
        fails, nothing is stored. `response` already holds the row as written (storage's UPDATE
        returned it), so it is not read again."""
        try:
            if self.hooks is not None:
                self.hooks.kompass_response_event(
                    session=self.session, event=event, response=response, actor=actor,
                    mode=mode, section=section, details=details,
                )  # fmt: skip
            self.session.commit()
        except Exception:
            self.session.rollback()
            raise
        return response


def _actor(respondent: Respondent) -> str:
    return respondent.entered_by or respondent.subject


def _with_section(stored: dict, section: Section, answers: dict) -> dict:
    """The stored answers with those of `section` replaced by `answers`."""
    ids = {q.id for q in section.questions}
    merged = {k: v for k, v in stored.items() if k not in ids}
    merged.update({k: v for k, v in answers.items() if k in ids and v not in (None, [], {}, "")})
    return merged


def keep_valid(questionnaire: Questionnaire, answers: dict, previous: dict):
    """(the answers checked, with every invalid value put back to its stored value or dropped;
    the problems found). Valid answers are checked once: the check storage trusts."""
    problems: list[Problem] = []
    for round_number in range(_REPAIR_ROUNDS):
        checked = validation.check(questionnaire, answers)
        if checked.valid:
            return checked, problems
        problems += checked.problems
        answers = checked.answers
        _repair(answers, previous if round_number == 0 else {}, checked.problems)
    return validation.check(questionnaire, dict(previous)), problems


def _repair(answers: dict, previous: dict, problems: tuple[Problem, ...]) -> None:
    """Put back the stored value (or nothing) where the new one is invalid."""
    for problem in problems:
        path = problem.path
        if not path:
            continue
        old = get_in(previous, path)
        if old is None:
            del_in(answers, path)
        else:
            set_in(answers, path, old)
