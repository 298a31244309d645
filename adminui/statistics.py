"""Counts and distributions of one questionnaire's responses, for analysts.

Everything counted is persons (one response per person and questionnaire). Responses are read
as a stream (`yield_per`) and only counters are kept. Filters: municipality, year of submission
(Europe/Oslo; a year leaves drafts out) and version. Rows are in code or name order, never by
size, so where a hidden cell stands tells nothing about it.

Small cells are suppressed and every other number rounded by `adminui.suppression`, one rule
for the page, its charts and the CSV files; a filtered view whose whole count is hidden in the
view without that filter is withheld (`withheld`), so that no filter undoes the suppression.
"""

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adminui import statistics_use
from adminui.formatting import OSLO
from adminui.i18n import gettext as _
from adminui.i18n import lazy_gettext as _l
from adminui.suppression import HIDDEN, suppress
from auth.people import municipalities
from auth.people.models import Person
from engine.questionnaire.languages import name_in
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import plain
from engine.responses import verification
from engine.responses.storage import DRAFT, SUBMITTED, Response
from engine.versions import published
from engine.versions.registry import QuestionnaireRegistry

TOTAL = "total"
BATCH = 1000
Pairs = set[tuple[str, str]]


@dataclass(frozen=True)
class Filters:
    municipality: str | None = None
    year: int | None = None
    version: int | None = None

    def args(self) -> dict[str, str | int]:
        """The filters that are set, for URLs and the audit log (no personal data)."""
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class Source:
    """A questionnaire and its published versions (number → version id)."""

    questionnaire_id: str
    versions: dict[int, int]


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    shown: str  # the number, SMALL or HIDDEN

    @property
    def value(self) -> int | None:
        return int(self.shown) if self.shown.isdigit() else None


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    rows: list[Row]
    total: Row


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    description: str
    groups: list[Group]
    total: Row | None = None
    chart: bool = True


@dataclass
class Tally:
    """Persons per (group, code), persons per group, and the versions they answered in."""

    cells: Counter = field(default_factory=Counter)
    totals: Counter = field(default_factory=Counter)
    versions: set[int] = field(default_factory=set)

    def add(self, pairs: Pairs, version_id: int) -> None:
        self.cells.update(pairs)
        self.totals.update({group for group, _code in pairs})
        if pairs:
            self.versions.add(version_id)


@dataclass(frozen=True)
class Distribution:
    """A table of answers; the question it counts is named per version (`statistics_use`)."""

    key: str
    title: str
    description: str


@dataclass
class Counts:
    state: Counter = field(default_factory=Counter)
    version: Counter = field(default_factory=Counter)
    language: Counter = field(default_factory=Counter)
    municipality: Counter = field(default_factory=Counter)


def source(session: Session, questionnaire_id: str) -> Source:
    rows = published.published_versions(session, questionnaire_id)
    return Source(questionnaire_id, {row.version: row.id for row in rows})


def has_tables(session: Session, registry: QuestionnaireRegistry, src: Source) -> bool:
    """Whether a published version of the questionnaire says what its tables count
    (`uses: statistics:`); without, the page has no tables."""
    return any(
        statistics_use.declared(registry.get(session, version_id))
        for version_id in src.versions.values()
    )


def parse_filters(args: Mapping[str, str], versions: Mapping[int, int]) -> Filters:
    """What the form asked for; a value that is not one of the choices is left out."""
    municipality = args.get("municipality", "")
    year = _number(args.get("year", ""), 4)
    version = _number(args.get("version", ""), 6)
    return Filters(
        municipality=municipality if municipalities.find(municipality) else None,
        year=year if year and 1900 <= year < 9999 else None,
        version=version if version in versions else None,
    )


def _number(text: str, digits: int) -> int | None:
    return int(text) if re.fullmatch(rf"[0-9]{{1,{digits}}}", text) else None


def years(session: Session, questionnaire_id: str) -> list[int]:
    """From the first year anything was submitted to this year."""
    query = select(func.min(Response.submitted_at)).where(
        Response.questionnaire_id == questionnaire_id
    )
    first, now = session.scalar(query), datetime.now(OSLO)
    return list(range(first.astimezone(OSLO).year if first else now.year, now.year + 1))


def _filtered(statement, src: Source, filters: Filters):
    """Responses to the chosen versions, with their person's municipality, as filtered."""
    ids = [src.versions[filters.version]] if filters.version else list(src.versions.values())
    statement = statement.outerjoin(Person, Response.subject == Person.subject).where(
        Response.questionnaire_id == src.questionnaire_id, Response.version_id.in_(ids)
    )
    if filters.municipality:
        statement = statement.where(Person.municipality == filters.municipality)
    if filters.year:
        start = datetime(filters.year, 1, 1, tzinfo=OSLO)
        end = start.replace(year=filters.year + 1)
        statement = statement.where(Response.submitted_at >= start, Response.submitted_at < end)
    return statement


def tally(
    session: Session, registry: QuestionnaireRegistry, src: Source, filters: Filters
) -> dict[str, Tally]:
    """The submitted answers, streamed: persons per table and cell, each version's answers
    counted by the questions that version names for the tables."""
    tallies = {d.key: Tally() for d in DISTRIBUTIONS}
    counting: dict[int, list] = {}
    answers = _filtered(select(Response.version_id, Response.answers), src, filters)
    answers = answers.where(Response.state == SUBMITTED).order_by(Response.id)
    for version_id, given in session.execute(answers.execution_options(yield_per=BATCH)):
        if version_id not in counting:
            counting[version_id] = _counting(registry.get(session, version_id))
        for key, values in counting[version_id]:
            tallies[key].add(values(given or {}), version_id)
    return tallies


def _counting(questionnaire: Questionnaire | None) -> list:
    counted = statistics_use.counted(questionnaire)
    return [(key, statistics_use.values(questionnaire, key, question))
            for key, question in counted.items()]  # fmt: skip


def count(session: Session, src: Source, filters: Filters) -> Counts:
    """Persons by state, version, language and place (one streamed, grouped query)."""
    counts = Counts()
    facts = (Response.state, Response.version_id, Response.language, Person.municipality)
    overview = _filtered(select(*facts, func.count()).select_from(Response), src, filters)
    rows = session.execute(overview.group_by(*facts).execution_options(yield_per=BATCH))
    for state, version_id, language, municipality, persons in rows:
        counts.state[state] += persons
        counts.version[version_id] += persons
        counts.language[language] += persons
        counts.municipality[municipality or ""] += persons
    return counts


def withheld(session: Session, src: Source, filters: Filters) -> bool:
    """Whether this filtered view must show nothing: its municipality or version is hidden in
    the view without that filter (or that view is withheld itself). Otherwise the view's totals
    would give back a cell the less filtered view hid."""
    for dimension in ("municipality", "version"):
        value = getattr(filters, dimension)
        if value is None:
            continue
        wider = replace(filters, **{dimension: None})
        if withheld(session, src, wider) or _hidden_in(session, src, wider, dimension, value):
            return True
    return False


def _hidden_in(session: Session, src: Source, wider: Filters, dimension: str, value) -> bool:
    counts = count(session, src, wider)
    if dimension == "version":
        chosen = [wider.version] if wider.version else sorted(src.versions, reverse=True)
        by_version = _overview(counts, src, chosen, "nb", wider.year is None, frozen=[])[1]
        rows = by_version.groups[0].rows
    else:
        rows = [row for group in _places(counts.municipality)[1].groups for row in group.rows]
    return any(row.code == str(value) and row.shown == HIDDEN for row in rows)


def tables(
    session: Session, registry: QuestionnaireRegistry, src: Source, filters: Filters, lang: str
) -> list[Table]:
    """Every table of the page, suppressed, with labels in the staff language."""
    counts = count(session, src, filters)
    tallies = tally(session, registry, src, filters)
    chosen = [filters.version] if filters.version else sorted(src.versions, reverse=True)
    frozen = [(src.versions[n], registry.get(session, src.versions[n])) for n in chosen]
    made = [
        *_overview(counts, src, chosen, lang, drafts=filters.year is None, frozen=frozen),
        *_places(counts.municipality),
        *(_distribution(d, tallies[d.key], frozen, lang) for d in DISTRIBUTIONS),
        verified_table(session, registry, src, filters),
    ]
    return [_all_hidden(table) for table in made] if withheld(session, src, filters) else made


def _all_hidden(table: Table) -> Table:
    """The table with every number hidden (a withheld view)."""

    def hide(row: Row | None) -> Row | None:
        return row and Row(row.code, row.label, HIDDEN)

    groups = [Group(g.code, g.label, list(map(hide, g.rows)), hide(g.total)) for g in table.groups]
    return replace(table, groups=groups, total=hide(table.total))


def _overview(
    counts: Counts, src: Source, chosen: list[int], lang: str, drafts: bool, frozen: list
) -> list[Table]:
    """A year counts submissions, so it has no draft row (an empty row would hide another)."""
    states = [(DRAFT, _("Draft"))] if drafts else []
    states.append((SUBMITTED, _("Submitted")))
    versions = [(str(n), _("Version %(number)s", number=n)) for n in sorted(chosen)]
    by_number = Counter({str(n): counts.version[src.versions[n]] for n in chosen})
    questionnaire = next((q for _id, q in frozen if q is not None), None)
    languages = sorted(
        ((tag, name_in(questionnaire, tag, lang)) for tag in counts.language),
        key=lambda item: item[1].casefold(),
    )
    return [
        _flat("state", _("Responses by state"), _("Persons with a response."), states,
              counts.state),
        _flat("version", _("Responses by questionnaire version"),
              _("Persons by the version their response was begun in."), versions, by_number),
        _flat("language", _("Responses by answer language"),
              _("Persons by the language they last answered in."), languages, counts.language),
    ]  # fmt: skip


def _flat(key: str, title: str, description: str, items: list, counter: Counter) -> Table:
    cells = Counter({("", code): n for code, n in counter.items()})
    totals = Counter({"": sum(counter.values())})
    return _table(key, title, description, [("", "", items)], cells, totals)


def _table(
    key, title, description, groups, cells: Counter, totals: Counter, several: bool = False
) -> Table:
    """A table of groups of (code, label) rows, each group with its total, suppressed;
    `several`: a person can count in several rows of a group."""
    counts = {(g, code): cells[(g, code)] for g, _label, items in groups for code, _ in items}
    counts |= {(g, None): totals[g] for g, _label, _items in groups}
    members = [((g, None), [(g, code) for code, _ in items]) for g, _label, items in groups]
    shown = suppress(counts, members, overlapping=several)
    return Table(key, str(title), str(description), [
        Group(g, label, [Row(code, text, shown[(g, code)]) for code, text in items],
              Row(TOTAL, _("Total"), shown[(g, None)]))
        for g, label, items in groups
    ])  # fmt: skip


def _places(by_municipality: Counter) -> list[Table]:
    """Persons by county and by municipality, suppressed together: a county adds up its
    municipalities."""
    county_of = {number: _county(number) for number in by_municipality}
    counties = sorted(set(county_of.values()), key=lambda c: _order(c, c))
    numbers = sorted(by_municipality, key=lambda n: _order(n, _municipality(n)))
    members = {c: [n for n in numbers if county_of[n] == c] for c in counties}
    counts: dict = {("m", n): by_municipality[n] for n in numbers}
    counts |= {("c", c): sum(by_municipality[n] for n in members[c]) for c in counties}
    counts[TOTAL] = sum(by_municipality.values())
    groups = [(("c", c), [("m", n) for n in members[c]]) for c in counties]
    groups += [(TOTAL, [("c", c) for c in counties]), (TOTAL, [("m", n) for n in numbers])]
    shown = suppress(counts, groups)
    total = Row(TOTAL, _("Total"), shown[TOTAL])
    by_county = [
        Group(c, c or _("Unknown"),
              [Row(n, _municipality(n), shown[("m", n)]) for n in members[c]],
              Row(TOTAL, _("Total"), shown[("c", c)]))
        for c in counties
    ]  # fmt: skip
    county_rows = [Row(group.code, group.label, group.total.shown) for group in by_county]
    return [
        Table("county", _("Responses by county"), _("Persons by the county they live in."),
              [Group("", "", county_rows, total)]),
        Table("municipality", _("Responses by municipality"),
              _("Persons by the municipality they live in, by county."), by_county, total,
              chart=False),
    ]  # fmt: skip


def _county(number: str) -> str:
    municipality = municipalities.find(number)
    return municipality.county if municipality else ""


def _municipality(number: str) -> str:
    return municipalities.label(number) if number else _("Unknown")


def _order(code: str, name: str) -> tuple[bool, str]:
    """By name, the unknown ("") last."""
    return (not code, name.casefold())


def _distribution(
    spec: Distribution, tally: Tally, frozen: list[tuple[int, Questionnaire | None]], lang: str
) -> Table:
    """Labels from the versions the answers were given in first, then the other chosen ones."""
    versions = [q for vid, q in frozen if vid in tally.versions and q is not None]
    versions += [q for vid, q in frozen if vid not in tally.versions and q is not None]
    named = [(q, statistics_use.counted(q).get(spec.key)) for q in versions]
    having = [(q, q.questions[question]) for q, question in named if question]
    items = _options(having, lang, {code for _group, code in tally.cells})
    groups = [(row, label, items) for row, label in _rows(having, lang, tally)]
    several = any(statistics_use.several(q, question.id) for q, question in having)
    return _table(spec.key, spec.title, spec.description, groups, tally.cells, tally.totals,
                  several)  # fmt: skip


def _options(having: list, lang: str, seen: set[str]) -> list[tuple[str, str]]:
    labels: dict[str, str] = {}
    for questionnaire, question in having:
        for value in questionnaire.choices(question):
            labels.setdefault(value, plain(questionnaire.option_label(question, value, lang).value))
    return [*labels.items(), *((code, code) for code in sorted(seen - set(labels)))]


def _rows(having: list, lang: str, tally: Tally) -> list[tuple[str, str]]:
    """The rows of a scale question ("" for any other question), with their labels."""
    labels: dict[str, str] = {}
    for questionnaire, question in having:
        for row in question.rows:
            labels.setdefault(row, plain(questionnaire.row_label(question, row, lang).value))
    seen = {group for group, _code in tally.cells} - set(labels) - {""}
    rows = [*labels.items(), *((row, row) for row in sorted(seen))]
    return rows or [("", "")]


DISTRIBUTIONS = (
    Distribution("education_level", _l("Highest education level (ISCED 2011)"),
                 _l("Submitted responses: each person once, at their highest level.")),
    Distribution("field", _l("Field of education (ISCED-F)"),
                 _l("Submitted responses: persons per field; one person can have several.")),
    Distribution("norwegian", _l("Norwegian, self-assessed"),
                 _l("Submitted responses: persons per level, for each skill.")),
    Distribution("licence", _l("Driving licence"),
                 _l("Submitted responses: persons who answered.")),
    Distribution("licence_classes", _l("Driving licence categories"),
                 _l("Submitted responses: persons per category; one person can have several.")),
    Distribution("occupation", _l("Occupation group (ISCO-08 major group)"),
                 _l("Submitted responses: persons per group; one person can have several jobs.")),
    Distribution("digital", _l("Digital skills"),
                 _l("Submitted responses: persons per answer, for each task.")),
)  # fmt: skip
CHARTS = ("state", "version", "language", "county", "municipality", *(d.key for d in DISTRIBUTIONS),
          "verified")  # fmt: skip


FULLY_VERIFIED, NOT_FULLY_VERIFIED = "fully_verified", "not_fully_verified"


def verified_table(
    session: Session, registry: QuestionnaireRegistry, src: Source, filters: Filters
) -> Table:
    """Submitted mappings whose every section a counsellor marked as gone through."""
    submitted = _filtered(select(Response.id, Response.version_id), src, filters)
    submitted = submitted.where(Response.state == SUBMITTED).order_by(Response.id)
    counter: Counter = Counter({FULLY_VERIFIED: 0, NOT_FULLY_VERIFIED: 0})
    sections: dict[int, set[str]] = {}
    result = session.execute(submitted.execution_options(yield_per=BATCH))
    for partition in result.partitions():
        marks = verification.current_states(session, [row.id for row in partition])
        for response_id, version_id in partition:
            if version_id not in sections:
                sections[version_id] = _section_ids(registry.get(session, version_id))
            done = {s for s, state in marks.get(response_id, {}).items()
                    if state == verification.GONE_THROUGH}  # fmt: skip
            counter[FULLY_VERIFIED if sections[version_id] <= done else NOT_FULLY_VERIFIED] += 1
    items = [(FULLY_VERIFIED, _("Every section gone through with the person")),
             (NOT_FULLY_VERIFIED, _("Not every section gone through"))]  # fmt: skip
    return _flat("verified", _("Submitted mappings verified by a counsellor"),
                 _("Submitted responses: persons whose every section a counsellor marked as "
                   "gone through with them."), items, counter)  # fmt: skip


def _section_ids(questionnaire: Questionnaire | None) -> set[str]:
    return {s.id for s in questionnaire.sections(include_staff=True)} if questionnaire else set()
