"""A person's answers as a CV in the Europass order, in their language and Norwegian side by side.

Headings and answer labels come from the frozen questionnaire version the person answered; the
names of the CV's fields from the respondent catalogue. Free text stays as it was written,
marked with the language it was written in. Above them, the person's name (from the plugin that
knows the subject, `kompass_subject_name`) and the contact details they chose to add on the
receipt page (`engine.responses.contact`); no DUF number: the CV is the person's to hand to
employers and schools.
"""

from dataclasses import dataclass
from pathlib import Path

from flask import render_template
from flask_babel import force_locale, get_domain
from flask_babel import gettext as _

from engine.app.context import db_session, kompass
from engine.definition import uses
from engine.questionnaire import languages, validation
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import plain, rich
from engine.responses import contact
from engine.responses.lifecycle import Opened
from renderers import cv_use, pdf, pdf_pool
from renderers.html.bilingual import Part
from renderers.html.review import format_value, is_free_text

NORWEGIAN = "nb"
BASE_URL = (Path(__file__).parent / "html" / "static").as_uri() + "/"


@dataclass(frozen=True)
class Field:
    label: str
    value: Part


@dataclass(frozen=True)
class Entry:
    title: Part | None
    fields: list[Field]


@dataclass(frozen=True)
class Block:
    title: str
    entries: list[Entry]


@dataclass(frozen=True)
class Column:
    lang: str
    dir: str
    title: str
    note: str
    blocks: list[Block]
    about: list[Field]


@dataclass(frozen=True)
class Who:
    """Whom a CV is about: their name in the registry, the contact details they added."""

    name: str | None
    contact: contact.Contact | None


@dataclass(frozen=True)
class CV:
    columns: list[Column]
    name: str | None

    def rows(self) -> list[list[tuple[Column, Block]]]:
        """Block by block, each with its columns, so the languages stay side by side."""
        blocks = zip(*(column.blocks for column in self.columns), strict=True)
        return [list(zip(self.columns, row, strict=True)) for row in blocks]


def offered(questionnaire: Questionnaire) -> bool:
    """Whether the questionnaire says what its CV holds (`uses: cv:`); else it has no CV."""
    return uses.read(questionnaire, cv_use.USE) is not None


def build(opened: Opened, lang: str, who: Who) -> CV:
    """The CV in `lang` (if its version has it, else the answers' language) beside Norwegian."""
    if lang not in opened.questionnaire.languages():
        lang = opened.response.language
    return CV([_column(opened, tag, who) for tag in dict.fromkeys((lang, NORWEGIAN))], who.name)


def whom(subject: str) -> Who:
    """The name and added contact details of `subject`, as this request's database sees them."""
    session = db_session()
    name = kompass().plugins.hook.kompass_subject_name(session=session, subject=subject)
    return Who(name, contact.find(session, subject))


def render(opened: Opened, lang: str) -> bytes:
    """The CV as a PDF/A file, from the process's pool (kept while what it is made of stays)."""
    texts = get_domain().stamps([lang, NORWEGIAN])
    who = whom(opened.response.subject)
    key = pdf.key(f"cv:{opened.response.id}", pdf.row(opened.response), lang, texts, who)
    return pdf_pool.made(key, lambda: html(opened, lang, who), BASE_URL)


def html(opened: Opened, lang: str, who: Who) -> str:
    """The CV's HTML, which `pdf.render` lays out."""
    return render_template("respondent/cv.html", cv=build(opened, lang, who))


def _about(who: Who) -> list[Field]:
    """The name and contact details, labelled in the current locale; left to right, as typed."""
    details = who.contact or contact.Contact("", "")
    pairs = [(_("Name"), who.name, "auto"), (_("Phone"), details.phone, "ltr"),
             (_("E-mail"), details.email, "ltr")]  # fmt: skip
    return [Field(label, Part(value, "", way)) for label, value, way in pairs if value]


def _column(opened: Opened, lang: str, who: Who) -> Column:
    questionnaire = opened.questionnaire
    language = languages.describe(questionnaire, lang)
    reader = _Reader(questionnaire, opened.response.answers, lang, opened.response.language)
    cv = uses.read(questionnaire, cv_use.USE) or cv_use.Cv()
    with force_locale(language.locale):
        parts = [
            (cv.citizenship, _personal(reader, cv)),
            (cv.work and cv.work.entries, _work(reader, cv.work)),
            (cv.education and cv.education.entries, _education(reader, cv.education)),
            (cv.languages and cv.languages.named_by, _languages(reader, cv.languages)),
            (cv.digital and (cv.digital.devices or cv.digital.tasks), _digital(reader, cv.digital)),
            (cv.licence and cv.licence.holds.question, _licence(reader, cv.licence)),
        ]
        title = _("Curriculum vitae")
        about = _about(who)
        note = _(
            "Language levels are self-assessed. The CEFR levels beside them (Common European "
            "Framework of Reference for Languages) are approximate."
        )
    shown = [
        _block(questionnaire, question, entries, lang) for question, entries in parts if question
    ]
    blocks = [block for block in shown if block.entries]
    return Column(lang, language.dir, title, note, blocks, about)


def _block(questionnaire: Questionnaire, question_id: str, entries: list[Entry], lang: str):
    """A part of the CV under the title of the section its first question is in."""
    section = questionnaire.section(questionnaire.section_of.get(question_id, ""))
    title = rich(questionnaire.section_title(section, lang).value) if section else ""
    return Block(title, [entry for entry in entries if entry.title or entry.fields])


@dataclass(frozen=True)
class _Reader:
    """Visible answers as texts in one language."""

    questionnaire: Questionnaire
    answers: dict
    lang: str
    answer_lang: str

    def raw(self, question_id: str, entry: dict | None = None) -> object:
        question = self.questionnaire.questions.get(question_id)
        container = self.answers if entry is None else entry
        value = container.get(question_id)
        if question is None or value in (None, "", [], {}):
            return None
        return value if validation.visible(self.questionnaire, question, self.answers, entry) \
            else None  # fmt: skip

    def entries(self, group_id: str) -> list[dict]:
        return self.raw(group_id) or []

    def value(self, question_id: str, entry: dict | None = None) -> Part | None:
        raw = self.raw(question_id, entry)
        if raw is None:
            return None
        question = self.questionnaire.questions[question_id]
        if is_free_text(self.questionnaire, question, raw):
            return self.text(raw, self.answer_lang)
        return self.text(format_value(self.questionnaire, question, raw, self.lang))

    def option(self, question_id: str, value: str) -> str:
        question = self.questionnaire.questions[question_id]
        return plain(self.questionnaire.option_label(question, value, self.lang).value)

    def row(self, question_id: str, row: str) -> str:
        question = self.questionnaire.questions[question_id]
        return plain(self.questionnaire.row_label(question, row, self.lang).value)

    def text(self, text: str, lang: str | None = None) -> Part:
        lang = lang or self.lang
        return Part(text, lang, self.questionnaire.direction(lang))

    def fields(self, pairs: list[tuple[str, Part | None]]) -> list[Field]:
        return [Field(label, value) for label, value in pairs if value is not None]


def _personal(reader: _Reader, cv: cv_use.Cv) -> list[Entry]:
    return [Entry(None, reader.fields([(_("Citizenship"), reader.value(cv.citizenship))]))]


def _work(reader: _Reader, work: cv_use.Work | None) -> list[Entry]:
    if work is None:
        return []
    labels = {"type_of_work": _("Type of work"), "workplace": _("Workplace"),
              "country": _("Country"), "years": _("Years"), "employment": _("Employment"),
              "main_tasks": _("Main tasks")}  # fmt: skip
    return [_entry(reader, work, job, labels) for job in reader.entries(work.entries)]


def _education(reader: _Reader, education: cv_use.Education | None) -> list[Entry]:
    if education is None:
        return []
    labels = {"level": _("Level"), "field": _("Field of study"), "country": _("Country"),
              "years": _("Years"), "status": _("Status"),
              "papers": _("Diploma or other papers")}  # fmt: skip
    return [_entry(reader, education, one, labels) for one in reader.entries(education.entries)]


def _entry(reader: _Reader, part: cv_use.Entries, entry: dict, labels: dict[str, str]) -> Entry:
    """One job or school: its title, then each field the questionnaire names, in CV order."""
    values = {name: reader.value(getattr(part, name), entry) for name in labels if name != "years"}
    values["years"] = _years(reader, part, entry)
    fields = [(label, values[name]) for name, label in labels.items()]
    return Entry(reader.value(part.title, entry), reader.fields(fields))


def _years(reader: _Reader, part: cv_use.Entries, entry: dict) -> Part | None:
    start, end = reader.raw(part.start_year, entry), reader.raw(part.end_year, entry)
    if part.ongoing and reader.raw(part.ongoing.question, entry) == part.ongoing.value:
        end = _("now")
    if start is None and end is None:
        return None
    return reader.text(" – ".join(str(year) for year in (start, end) if year is not None))


def _languages(reader: _Reader, part: cv_use.Languages | None) -> list[Entry]:
    if part is None:
        return []
    mother_tongue = reader.fields([(_("Mother tongue"), reader.value(part.mother_tongue))])
    below = _("below A1")
    levels = [
        _language(reader, part, level, entry, below)
        for level in part.levels
        for entry in (reader.entries(level.entries) if level.entries else [None])
    ]
    return [Entry(None, mother_tongue)] + [entry for entry in levels if entry]


def _language(reader: _Reader, part: cv_use.Languages, level: cv_use.Level, entry, below: str):
    """One language with the self-assessed level of each skill and its CEFR band."""
    code = reader.raw(level.language_from, entry) if level.language_from else level.language
    levels = reader.raw(level.question, entry)
    if not code or not levels:
        return None
    question = reader.questionnaire.questions[level.question]
    skills = [
        Field(reader.row(level.question, row),
              reader.text(f"{part.bands.get(levels[row], below)} · "
                          f"{reader.option(level.question, levels[row])}"))
        for row in question.rows
        if row in levels
    ]  # fmt: skip
    return Entry(reader.text(reader.option(part.named_by, code)), skills)


def _digital(reader: _Reader, part: cv_use.Digital | None) -> list[Entry]:
    if part is None:
        return []
    tasks = reader.raw(part.tasks) or {}
    question = reader.questionnaire.questions.get(part.tasks) if part.tasks else None
    rows = [
        Field(reader.row(part.tasks, row), reader.text(reader.option(part.tasks, level)))
        for row, level in ((row, tasks.get(row)) for row in (question.rows if question else []))
        if level
    ]
    return [Entry(None, reader.fields([(_("Devices"), reader.value(part.devices))]) + rows)]


def _licence(reader: _Reader, part: cv_use.Licence | None) -> list[Entry]:
    if part is None or reader.raw(part.holds.question) != part.holds.value:
        return []
    return [Entry(None, reader.fields([
        (_("Categories"), reader.value(part.categories)),
        (_("Issued in"), reader.value(part.country)),
        (_("Years of driving"), reader.value(part.years)),
    ]))]  # fmt: skip
