"""A parsed `$filter` as one SQL condition on `Response`, so the database filters the rows.

Only the facts can be filtered: state, language, mode, version, the three dates and the
plugins' export filters (e.g. municipality). Dates are compared no finer than the reader sees
them: a day or a year of a pseudonymised feed is the whole period in the deployment's time zone,
and a time of day only in an identifiable feed. A group's entity set filters by its response's
facts, `response/<fact>`."""

import operator
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, false, not_, or_

from api.odata.errors import bad_request
from api.odata.filter_parse import Compare, Literal, Logical, Node, Not
from engine.export.criteria import FIRST_DAY, LAST_DAY
from engine.export.filters import SubjectFilter
from engine.responses.storage import Response

TEXTS = {"state": Response.state, "language": Response.language, "mode": Response.mode}
DATES = {
    "created_at": Response.created_at,
    "updated_at": Response.updated_at,
    "submitted_at": Response.submitted_at,
}
ORDER = {"eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "ge": operator.ge,
         "lt": operator.lt, "le": operator.le}  # fmt: skip
TIME, DAY, YEAR = "time", "day", "year"
YEAR_TEXT, DAY_TEXT = re.compile(r"\d{4}"), re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Filterable:
    """What one reader may filter on: `precision` of dates (time, day or year), `hides_mode`
    for a guarded reader, `prefix` "response/" in a group's entity set."""

    version_ids: dict[int, int]
    subject_filters: dict[str, SubjectFilter]
    precision: str
    zone: ZoneInfo
    hides_mode: bool = False
    prefix: str = ""

    def names(self) -> list[str]:
        own = [*TEXTS, "version", *DATES, *self.subject_filters]
        return [n for n in own if not (self.hides_mode and n == "mode")]


def condition(node: Node, can: Filterable) -> ColumnElement[bool]:
    if isinstance(node, Logical):
        parts = [condition(part, can) for part in node.parts]
        return and_(*parts) if node.op == "and" else or_(*parts)
    if isinstance(node, Not):
        return not_(condition(node.part, can))
    return _compare(node, can)


def _compare(node: Compare, can: Filterable) -> ColumnElement[bool]:
    name = _fact(node.path, can)
    if name in TEXTS:
        return _text(TEXTS[name], node)
    if name == "version":
        return _version(node, can.version_ids)
    if name in DATES:
        return _date(DATES[name], node, can)
    return _subject(can.subject_filters[name], node)


def _fact(path: str, can: Filterable) -> str:
    name = path.removeprefix(can.prefix) if can.prefix else path
    if (can.prefix and not path.startswith(can.prefix)) or name not in can.names():
        where = f"{can.prefix}<fact>" if can.prefix else "a fact"
        raise bad_request(f"$filter cannot use {path!r}: filter by {where}, one of "
                          f"{', '.join(can.names())}")  # fmt: skip
    return name


def _text(column, node: Compare) -> ColumnElement[bool]:
    values = [_of_kind(node, v, "string", "null") for v in node.values]
    if node.op == "in":
        return column.in_(values)
    if node.op not in ("eq", "ne"):
        raise bad_request(f"$filter: {node.path} takes eq, ne or in")
    value = values[0]
    if value is None:
        return column.is_(None) if node.op == "eq" else column.is_not(None)
    return column == value if node.op == "eq" else or_(column.is_(None), column != value)


def _version(node: Compare, version_ids: dict[int, int]) -> ColumnElement[bool]:
    values = [_of_kind(node, v, "integer") for v in node.values]
    if node.op == "in":
        ids = [version_ids[n] for n in values if n in version_ids]
    else:
        ids = [i for n, i in version_ids.items() if ORDER[node.op](n, values[0])]
    return Response.version_id.in_(ids) if ids else false()


def _subject(found: SubjectFilter, node: Compare) -> ColumnElement[bool]:
    values = [_of_kind(node, v, "string") for v in node.values]
    if node.op == "in":
        return or_(*[found.where(value) for value in values])
    if node.op not in ("eq", "ne"):
        raise bad_request(f"$filter: {node.path} takes eq, ne or in")
    return found.where(values[0]) if node.op == "eq" else not_(found.where(values[0]))


def _date(column, node: Compare, can: Filterable) -> ColumnElement[bool]:
    if node.op == "in":
        raise bad_request(f"$filter: {node.path} takes eq, ne, gt, ge, lt or le")
    literal = node.values[0]
    if literal.kind == "null":
        if node.op not in ("eq", "ne"):
            raise bad_request(f"$filter: {node.path} is compared with null by eq or ne only")
        return column.is_(None) if node.op == "eq" else column.is_not(None)
    start, end = _period(literal, node.path, can)
    if start == end:
        return ORDER[node.op](column, start)
    return {
        "eq": lambda: and_(column >= start, column < end),
        "ne": lambda: or_(column.is_(None), column < start, column >= end),
        "gt": lambda: column >= end, "ge": lambda: column >= start,
        "lt": lambda: column < start, "le": lambda: column < end,
    }[node.op]()  # fmt: skip


def _period(literal: Literal, path: str, can: Filterable) -> tuple[datetime, datetime]:
    """The moments [start, end) a value stands for: a year, a day or (start = end) an instant."""
    allowed = {YEAR: "a year ('2025')", DAY: "a year ('2025') or a day (2025-03-01)",
               TIME: "a year, a day or a moment (2025-03-01T12:00:00Z)"}[can.precision]  # fmt: skip
    refused = bad_request(f"$filter: compare {path} with {allowed}")
    if literal.kind == "datetime" and can.precision == TIME:  # always with its offset
        return literal.value, literal.value
    if literal.kind == "string" and YEAR_TEXT.fullmatch(literal.value):
        year = int(literal.value)
        if not FIRST_DAY.year <= year < LAST_DAY.year:
            raise refused
        return _start(date(year, 1, 1), can.zone), _start(date(year + 1, 1, 1), can.zone)
    day = _day(literal)
    if day is None or can.precision == YEAR or not FIRST_DAY <= day < LAST_DAY:
        raise refused
    return _start(day, can.zone), _start(date.fromordinal(day.toordinal() + 1), can.zone)


def _day(literal: Literal) -> date | None:
    if literal.kind == "date":
        return literal.value
    if literal.kind == "string" and DAY_TEXT.fullmatch(literal.value):
        try:
            return date.fromisoformat(literal.value)
        except ValueError:
            return None
    return None


def _start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)


def _of_kind(node: Compare, literal: Literal, *kinds: str):
    if literal.kind not in kinds:
        wanted = " or ".join("a 'text'" if k == "string" else k for k in kinds)
        raise bad_request(f"$filter: compare {node.path} with {wanted}")
    return literal.value
