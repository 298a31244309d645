"""A person's mapping as a counsellor reads it: every answer in the staff language, free text
as written (with its language), and per section whether it is done and who entered it."""

from dataclasses import astuple, dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from flask import render_template
from sqlalchemy.orm import Session

from adminui import i18n
from auth.people.models import Person
from auth.staff.models import User
from engine.app.db import utcnow
from engine.definition import cldr
from engine.questionnaire import languages, soft_checks
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import plain
from engine.responses import storage, verification
from engine.responses.lifecycle import Lifecycle, Opened
from engine.responses.respondent import INTERVIEW
from engine.responses.storage import Response, Submission
from engine.translation.catalogues import current_locale
from engine.versions.registry import QuestionnaireRegistry
from renderers import cv, pdf, pdf_pool
from renderers.html import review

STAFF_PREFIX = "user:"
PDF_BASE_URL = (Path(__file__).parent / "static").as_uri() + "/"
GONE_THROUGH = verification.GONE_THROUGH


@dataclass(frozen=True)
class EnteredBy:
    """Who filled in a section: from its `section_log` entry, or (no entry: saved before the
    log was kept, or stored in bulk) the person alone when no answer was ever entered in an
    interview, without a time."""

    interview: bool
    staff_name: str | None
    at: datetime | None


@dataclass(frozen=True)
class Verified:
    """One verification mark of a section, with the staff user's name."""

    state: str
    staff_name: str
    at: datetime
    note: str | None


@dataclass
class SectionView:
    summary: review.SectionSummary
    staff_only: bool
    entered: EnteredBy | None
    verified: Verified | None = None
    earlier: list[Verified] = field(default_factory=list)
    checks: list["Flag"] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """Whether the section holds any answer."""
        return bool(self.summary.lines)


@dataclass(frozen=True)
class Flag:
    """A soft consistency check the answers raise, in the staff language."""

    message: str
    question: str


@dataclass
class Profile:
    person: Person
    response: Response
    questionnaire: Questionnaire
    answer_language: languages.Language
    answer_language_name: str
    """The answer language named in the staff language."""
    written_in: str
    """The same name as it reads inside a sentence ("Skrevet på arabisk")."""
    sections: list[SectionView]
    submissions: list[Submission]
    interviewer: str | None
    verifiable: bool = False

    @property
    def has_cv(self) -> bool:
        """Whether the version names what its CV is made from (`uses: cv:`)."""
        return cv.offered(self.questionnaire)

    @property
    def verified_count(self) -> int:
        """Sections marked as gone through with the person."""
        return sum(1 for s in self.sections if s.verified and s.verified.state == GONE_THROUGH)


@dataclass(frozen=True)
class Mapping:
    """A person's response to one served questionnaire (None: not started), for the person page."""

    questionnaire_id: str
    title: str
    response: Response | None


def mappings(session: Session, person: Person, served: list) -> list[Mapping]:
    """The person's response to each of the `served` questionnaires (`questionnaire_choice`)."""
    return [
        Mapping(option.id, option.title, storage.find(session, person.subject, option.id))
        for option in served
    ]


def pdf_html(found: "Profile | None", person: Person, made: datetime | None) -> str:
    """The archival PDF's HTML, saying it was `made` then (None: no time)."""
    return render_template("admin/profile_pdf.html", profile=found, person=person, made=made)


def pdf_key(session: Session, person: Person, opened: Opened | None, lang: str) -> str:
    """The archival PDF's key: the rows it is made from, the staff names they name, the language
    and the staff catalogue's revision; not the time it is made, which only the PDF shows."""
    rows = [pdf.row(person)]
    if opened is not None:
        response_id = opened.response.id
        marks = verification.history(session, response_id)
        rows += [pdf.row(opened.response), *(astuple(mark) for mark in marks)]
        rows += [pdf.row(submission) for submission in storage.submissions(session, response_id)]
    names = _StaffNames(session)
    named = [names.of(value) for row in rows for value in row if _is_staff(value)]
    texts = i18n.domain.stamps([current_locale()])
    return pdf.key(f"mapping:{person.id}", rows, named, lang, texts)


def _is_staff(value: object) -> bool:
    return isinstance(value, str) and value.startswith(STAFF_PREFIX)


def pdf_html_now(
    session: Session, registry: QuestionnaireRegistry, person: Person, lang: str,
    questionnaire_id: str | None = None,
) -> str:  # fmt: skip
    """The archival PDF's HTML, made now."""
    return pdf_html(build(session, registry, person, lang, questionnaire_id), person, utcnow())


def archival_pdf(
    session: Session, registry: QuestionnaireRegistry, person: Person, lang: str,
    questionnaire_id: str | None = None,
) -> tuple[bytes, str]:  # fmt: skip
    """The mapping's archival PDF from the PDF pool (`PdfBusy` when it has no renderer free)
    and its file name, which holds no personal data."""
    opened = Lifecycle(session, registry).find(person.subject, questionnaire_id)
    key = pdf_key(session, person, opened, lang)
    html = partial(pdf_html_now, session, registry, person, lang, questionnaire_id)
    body = pdf_pool.made(key, html, PDF_BASE_URL)
    return body, f"kartlegging-{opened.response.id}.pdf" if opened else "kartlegging.pdf"


def cv_pdf(
    session: Session, registry: QuestionnaireRegistry, person: Person,
    questionnaire_id: str | None = None,
) -> tuple[bytes, str] | None:  # fmt: skip
    """The person's CV and its file name; None without a mapping whose version makes one."""
    opened = Lifecycle(session, registry).find(person.subject, questionnaire_id)
    if opened is None or not cv.offered(opened.questionnaire):
        return None
    return cv.render(opened, opened.response.language), f"cv-{opened.response.id}.pdf"


def build(
    session: Session, registry: QuestionnaireRegistry, person: Person, lang: str,
    questionnaire_id: str | None = None,
) -> "Profile | None":  # fmt: skip
    """The person's mapping of a questionnaire (default: the default one) read in `lang` (nb or
    en), or None when no mapping was started."""
    opened = Lifecycle(session, registry).find(person.subject, questionnaire_id)
    if opened is None:
        return None
    names = _StaffNames(session)
    response, questionnaire = opened.response, opened.questionnaire
    sections = _sections(opened, lang, names)
    _add_verifications(sections, verification.history(session, response.id), names)
    _add_flags(sections, questionnaire, response.answers or {}, lang)
    return Profile(
        person=person,
        response=response,
        questionnaire=questionnaire,
        answer_language=languages.describe(questionnaire, response.language),
        answer_language_name=languages.name_in(questionnaire, response.language, lang),
        written_in=_in_sentence(response.language, lang)
        or languages.name_in(questionnaire, response.language, lang),
        sections=sections,
        submissions=storage.submissions(session, response.id),
        interviewer=names.of(response.entered_by),
        verifiable=verification.can_verify(response),
    )


def _add_flags(sections: list[SectionView], questionnaire: Questionnaire, answers, lang) -> None:
    """Each raised soft check, under the section of the first question it concerns."""
    by_id = {view.summary.section.id: view for view in sections}
    for rule in soft_checks.raised(questionnaire, answers, include_staff=True):
        question = questionnaire.questions[rule.first_question]
        view = by_id[questionnaire.section_of[question.id]]
        view.checks.append(Flag(plain(questionnaire.message(rule.message, lang).value),
                                plain(questionnaire.label(question, lang).value)))  # fmt: skip


def _add_verifications(sections: list[SectionView], marks, names: "_StaffNames") -> None:
    """Each section's newest mark as `verified`, the ones before it in `earlier`, newest first."""
    by_id = {view.summary.section.id: view for view in sections}
    for mark in marks:
        view = by_id.get(mark.section)
        if view is None:
            continue
        if view.verified is not None:
            view.earlier.insert(0, view.verified)
        view.verified = Verified(mark.state, names.of(mark.actor) or "—", mark.at, mark.note)


def _sections(opened: Opened, lang: str, names: "_StaffNames") -> list[SectionView]:
    questionnaire, response = opened.questionnaire, opened.response
    sections = questionnaire.sections(include_staff=True)
    summaries = review.summarise(
        questionnaire, sections, response.answers, lang, None, response.language
    )
    log = response.section_log or {}
    alone = response.mode != INTERVIEW
    views = []
    for section, summary in zip(sections, summaries, strict=True):
        entered = _entered(log.get(section.id), names, alone and bool(summary.lines))
        views.append(SectionView(summary, section.audience == "staff", entered))
    return views


def _in_sentence(tag: str, lang: str) -> str | None:
    """CLDR's name of a language in `lang` as it stands inside a sentence (nb: lower case)."""
    names = cldr.babel_locale(lang).languages
    return names.get(tag.replace("-", "_")) or names.get(tag.split("-")[0])


def _entered(entry: dict | None, names: "_StaffNames", alone: bool) -> EnteredBy | None:
    if not entry:
        return EnteredBy(False, None, None) if alone else None
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
