"""`$filter` parsed into a small tree: comparisons (eq, ne, gt, ge, lt, le, in) of a property
with literals, joined by and, or, not and parentheses. Anything else is refused with what is
supported; what a property may be compared with is decided in `filter_sql.py`."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from api.odata.errors import bad_request

LONGEST = 2000
DEEPEST = 20
SUPPORTED = (
    "$filter supports comparisons of a property with a value (eq, ne, gt, ge, lt, le, in), "
    "joined by and, or, not and parentheses; no functions or arithmetic"
)
COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
TOKENS = re.compile(
    r"""\s*(?:
    (?P<string>'(?:[^']|'')*')
    |(?P<datetime>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,12})?)?(?:Z|[+-]\d{2}:\d{2}))
    |(?P<date>\d{4}-\d{2}-\d{2})(?![\w:.])
    |(?P<integer>-?\d{1,18})(?![\w.])
    |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<mark>[(),/])
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Literal:
    """`kind`: string, integer, date, datetime, null or boolean."""

    kind: str
    value: object


@dataclass(frozen=True)
class Compare:
    """`path`: the property, e.g. "state" or "response/state"; `values`: one, or several for in."""

    path: str
    op: str
    values: tuple[Literal, ...]


@dataclass(frozen=True)
class Logical:
    op: str  # and, or
    parts: tuple


@dataclass(frozen=True)
class Not:
    part: object


Node = Compare | Logical | Not


def parse(text: str) -> Node:
    if len(text) > LONGEST:
        raise bad_request(f"$filter is longer than {LONGEST} characters")
    return _Parser(_tokens(text)).whole()


def paths(node: Node) -> set[str]:
    """Every property the filter compares."""
    if isinstance(node, Compare):
        return {node.path}
    if isinstance(node, Not):
        return paths(node.part)
    return set().union(*(paths(part) for part in node.parts))


def _tokens(text: str) -> list[tuple[str, str]]:
    found, place = [], 0
    while text[place:].strip():
        match = TOKENS.match(text, place)
        if match is None:
            raise bad_request(
                f"$filter cannot be read at {text[place:].strip()[:20]!r}: {SUPPORTED}"
            )
        found.append((match.lastgroup, match[match.lastgroup]))
        place = match.end()
    return found


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.place, self.depth = tokens, 0, 0

    def whole(self) -> Node:
        node = self._or()
        if self._peek() is not None:
            raise bad_request(f"$filter has something after its end: {self._peek()[1]!r}")
        return node

    def _peek(self, ahead: int = 0):
        place = self.place + ahead
        return self.tokens[place] if place < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise bad_request(f"$filter ends too early: {SUPPORTED}")
        self.place += 1
        return token

    def _word(self, *words: str) -> bool:
        token = self._peek()
        if token and token[0] == "name" and token[1] in words:
            self.place += 1
            return True
        return False

    def _mark(self, mark: str) -> None:
        if self._take() != ("mark", mark):
            raise bad_request(f"$filter misses {mark!r}: {SUPPORTED}")

    def _or(self) -> Node:
        parts = [self._and()]
        while self._word("or"):
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else Logical("or", tuple(parts))

    def _and(self) -> Node:
        parts = [self._not()]
        while self._word("and"):
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else Logical("and", tuple(parts))

    def _not(self) -> Node:
        self.depth += 1
        if self.depth > DEEPEST:
            raise bad_request(f"$filter is nested more than {DEEPEST} deep")
        try:
            if self._word("not"):
                return Not(self._not())
            if self._peek() == ("mark", "("):
                self._take()
                node = self._or()
                self._mark(")")
                return node
            return self._comparison()
        finally:
            self.depth -= 1

    def _comparison(self) -> Compare:
        path = self._path()
        kind, op = self._take()
        if kind == "name" and op == "in":
            return Compare(path, "in", self._list())
        if kind != "name" or op not in COMPARISONS:
            raise bad_request(f"$filter: {op!r} is not a comparison: {SUPPORTED}")
        return Compare(path, op, (self._literal(),))

    def _path(self) -> str:
        kind, name = self._take()
        if kind != "name":
            raise bad_request(f"$filter: a comparison begins with a property, not {name!r}")
        if self._peek() == ("mark", "("):
            raise bad_request(f"$filter: functions such as {name}() are not supported: {SUPPORTED}")
        if self._peek() == ("mark", "/"):
            self._take()
            return f"{name}/{self._path()}"
        return name

    def _list(self) -> tuple[Literal, ...]:
        self._mark("(")
        values = [self._literal()]
        while self._peek() == ("mark", ","):
            self._take()
            values.append(self._literal())
        self._mark(")")
        return tuple(values)

    def _literal(self) -> Literal:
        kind, text = self._take()
        if kind == "string":
            return Literal("string", text[1:-1].replace("''", "'"))
        if kind == "integer":
            return Literal("integer", int(text))
        if kind in ("date", "datetime"):
            return Literal(kind, _moment(kind, text))
        if kind == "name" and text in ("null", "true", "false"):
            return Literal("null", None) if text == "null" else Literal("boolean", text == "true")
        raise bad_request(f"$filter: {text!r} is not a value (a 'text', number, date or null)")


def _moment(kind: str, text: str) -> date | datetime:
    try:
        if kind == "date":
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"$filter: {text} is not a valid {kind}") from None
