"""A person's answers as a CV in the Europass order, in their language and Norwegian side by side.

Headings and answer labels come from the frozen questionnaire version the person answered; the
names of the CV's fields from the respondent catalogue. Free text stays as it was written,
marked with the language it was written in. No DUF number and no name: the questionnaire asks
for neither, and the CV is the person's to hand to employers and schools.
"""

from dataclasses import dataclass
from pathlib import Path

from flask import render_template
from flask_babel import force_locale, get_domain
from flask_babel import gettext as _

from engine import languages, validation
from engine.lifecycle import Opened
from engine.questionnaire import Questionnaire
from engine.richtext import plain, rich
from renderers import pdf, pdf_pool
from renderers.html.bilingual import Part
from renderers.html.review import format_value, is_free_text

NORWEGIAN = "nb"
BASE_URL = (Path(__file__).parent / "html" / "static").as_uri() + "/"
# The CEFR bands of the language_scale code list, as its description gives them (approximate).
CEFR = {"basic": "A1–A2", "good": "B1–B2", "very_good": "C1–C2"}
LEVEL_LANGUAGES = {"norwegian_level": "no", "english_level": "en"}


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


@dataclass(frozen=True)
class CV:
    columns: list[Column]

    def rows(self) -> list[list[tuple[Column, Block]]]:
        """Block by block, each with its columns, so the languages stay side by side."""
        blocks = zip(*(column.blocks for column in self.columns), strict=True)
        return [list(zip(self.columns, row, strict=True)) for row in blocks]


def build(opened: Opened, lang: str) -> CV:
    """The CV in `lang` (if its version has it, else the answers' language) beside Norwegian."""
    if lang not in opened.questionnaire.languages():
        lang = opened.response.language
    return CV([_column(opened, tag) for tag in dict.fromkeys((lang, NORWEGIAN))])


def render(opened: Opened, lang: str) -> bytes:
    """The CV as a PDF/A file, from the process's pool (kept while what it is made of stays)."""
    texts = get_domain().stamps([lang, NORWEGIAN])
    key = pdf.key(f"cv:{opened.response.id}", pdf.row(opened.response), lang, texts)
    return pdf_pool.made(key, lambda: html(opened, lang), BASE_URL)


def html(opened: Opened, lang: str) -> str:
    """The CV's HTML, which `pdf.render` lays out."""
    return render_template("respondent/cv.html", cv=build(opened, lang))


def _column(opened: Opened, lang: str) -> Column:
    questionnaire = opened.questionnaire
    language = languages.describe(questionnaire, lang)
    reader = _Reader(questionnaire, opened.response.answers, lang, opened.response.language)
    with force_locale(language.locale):
        blocks = [
            ("personal", _personal(reader)),
            ("work", [_job(reader, job) for job in reader.entries("jobs")]),
            ("education", [_education(reader, entry) for entry in reader.entries("education")]),
            ("language", _languages(reader)),
            ("digital", _digital(reader)),
            ("licence", _licence(reader)),
        ]
        title = _("Curriculum vitae")
        note = _(
            "Language levels are self-assessed. The CEFR levels beside them (Common European "
            "Framework of Reference for Languages) are approximate."
        )
    shown = [_block(questionnaire, section, entries, lang) for section, entries in blocks]
    return Column(lang, language.dir, title, note, [block for block in shown if block.entries])


def _block(questionnaire: Questionnaire, section_id: str, entries: list[Entry], lang: str):
    section = questionnaire.section(section_id)
    title = rich(questionnaire.section_title(section, lang).value) if section else section_id
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


def _personal(reader: _Reader) -> list[Entry]:
    return [Entry(None, reader.fields([(_("Citizenship"), reader.value("citizenship"))]))]


def _job(reader: _Reader, job: dict) -> Entry:
    ongoing = reader.raw("job_ongoing", job) == "yes"
    return Entry(reader.value("job_title", job), reader.fields([
        (_("Type of work"), reader.value("job_isco", job)),
        (_("Workplace"), reader.value("job_workplace", job)),
        (_("Country"), reader.value("job_country", job)),
        (_("Years"), _years(reader, job, ("job_from_year", "job_to_year"), ongoing)),
        (_("Employment"), reader.value("job_type", job)),
        (_("Main tasks"), reader.value("job_tasks", job)),
    ]))  # fmt: skip


def _education(reader: _Reader, entry: dict) -> Entry:
    ongoing = reader.raw("edu_status", entry) == "ongoing"
    return Entry(reader.value("edu_name", entry), reader.fields([
        (_("Level"), reader.value("edu_level", entry)),
        (_("Field of study"), reader.value("edu_field", entry)),
        (_("Country"), reader.value("edu_country", entry)),
        (_("Years"), _years(reader, entry, ("edu_start_year", "edu_end_year"), ongoing)),
        (_("Status"), reader.value("edu_status", entry)),
        (_("Diploma or other papers"), reader.value("edu_documented", entry)),
    ]))  # fmt: skip


def _years(reader: _Reader, entry: dict, ids: tuple[str, str], ongoing: bool) -> Part | None:
    start, end = (reader.raw(question_id, entry) for question_id in ids)
    end = _("now") if ongoing else end
    if start is None and end is None:
        return None
    return reader.text(" – ".join(str(year) for year in (start, end) if year is not None))


def _languages(reader: _Reader) -> list[Entry]:
    mother_tongue = reader.fields([(_("Mother tongue"), reader.value("mother_tongue"))])
    levels = [
        _language(reader, code, question_id, reader.raw(question_id))
        for question_id, code in LEVEL_LANGUAGES.items()
    ] + [
        _language(reader, other.get("other_language"), "other_language_level",
                  reader.raw("other_language_level", other))
        for other in reader.entries("other_languages")
    ]  # fmt: skip
    return [Entry(None, mother_tongue)] + [entry for entry in levels if entry]


def _language(reader: _Reader, code: str | None, question_id: str, levels) -> Entry | None:
    """One language with the self-assessed level of each skill and its CEFR band."""
    if not code or not levels:
        return None
    question = reader.questionnaire.questions[question_id]
    skills = [
        Field(reader.row(question_id, row), reader.text(_level(reader, question_id, levels[row])))
        for row in question.rows
        if row in levels
    ]
    return Entry(reader.text(reader.option("other_language", code)), skills)


def _level(reader: _Reader, question_id: str, level: str) -> str:
    band = CEFR.get(level, _("below A1"))
    return f"{band} · {reader.option(question_id, level)}"


def _digital(reader: _Reader) -> list[Entry]:
    tasks = reader.raw("digital_tasks") or {}
    question = reader.questionnaire.questions.get("digital_tasks")
    rows = [
        Field(reader.row("digital_tasks", row), reader.text(reader.option("digital_tasks", level)))
        for row, level in ((row, tasks.get(row)) for row in (question.rows if question else []))
        if level
    ]
    return [Entry(None, reader.fields([(_("Devices"), reader.value("devices"))]) + rows)]


def _licence(reader: _Reader) -> list[Entry]:
    if reader.raw("has_licence") != "yes":
        return []
    return [Entry(None, reader.fields([
        (_("Categories"), reader.value("licence_categories")),
        (_("Issued in"), reader.value("licence_country")),
        (_("Years of driving"), reader.value("driving_years")),
    ]))]  # fmt: skip
