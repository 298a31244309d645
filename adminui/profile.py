"""A person's mapping as a counsellor reads it: every answer in the staff language, free text
as written (with its language), and per section whether it is done and who entered it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from auth.people.models import Person
from auth.staff.models import User
from engine import languages, storage
from engine.lifecycle import Lifecycle, Opened
from engine.questionnaire import Questionnaire
from engine.registry import QuestionnaireRegistry
from engine.respondent import INTERVIEW
from engine.storage import Response, Submission
from renderers.html import review

STAFF_PREFIX = "user:"


@dataclass(frozen=True)
class EnteredBy:
    interview: bool
    staff_name: str | None
    at: datetime | None


@dataclass
class SectionView:
    summary: review.SectionSummary
    staff_only: bool
    entered: EnteredBy | None

    @property
    def done(self) -> bool:
        return bool(self.summary.lines)


@dataclass
class Profile:
    person: Person
    response: Response
    questionnaire: Questionnaire
    answer_language: languages.Language
    answer_language_name: str
    """The answer language named in the staff language."""
    sections: list[SectionView]
    submissions: list[Submission]
    interviewer: str | None


def build(session: Session, registry: QuestionnaireRegistry, person: Person, lang: str):
    """The person's mapping read in `lang` (nb or en), or None when no mapping was started."""
    opened = Lifecycle(session, registry).find(person.subject)
    if opened is None:
        return None
    names = _StaffNames(session)
    response, questionnaire = opened.response, opened.questionnaire
    return Profile(
        person=person,
        response=response,
        questionnaire=questionnaire,
        answer_language=languages.describe(questionnaire, response.language),
        answer_language_name=languages.name_in(questionnaire, response.language, lang),
        sections=_sections(opened, lang, names),
        submissions=storage.submissions(session, response.id),
        interviewer=names.of(response.entered_by),
    )


def _sections(opened: Opened, lang: str, names: "_StaffNames") -> list[SectionView]:
    questionnaire, response = opened.questionnaire, opened.response
    sections = questionnaire.sections(include_staff=True)
    summaries = review.summarise(
        questionnaire, sections, response.answers, lang, None, response.language
    )
    log = response.section_log or {}
    return [
        SectionView(summary, summary.section.audience == "staff", _entered(log.get(s.id), names))
        for s, summary in zip(sections, summaries, strict=True)
    ]


def _entered(entry: dict | None, names: "_StaffNames") -> EnteredBy | None:
    if not entry:
        return None
    at = datetime.fromisoformat(entry["at"]) if entry.get("at") else None
    return EnteredBy(entry.get("mode") == INTERVIEW, names.of(entry.get("by")), at)


class _StaffNames:
    """Staff users' names by their 'user:<id>' reference, each looked up once."""

    def __init__(self, session: Session):
        self.session, self.cache = session, {}

    def of(self, reference: str | None) -> str | None:
        if not reference or not reference.startswith(STAFF_PREFIX):
            return None
        if reference not in self.cache:
            number = reference[len(STAFF_PREFIX) :]
            user = self.session.get(User, int(number)) if number.isdecimal() else None
            self.cache[reference] = user.full_name if user else reference
        return self.cache[reference]
