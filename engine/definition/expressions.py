"""A small, safe expression language for `visible_if` and `check`.

Expressions are parsed with Python's own `ast` parser (so precedence and quoting follow familiar
rules) and then only a whitelist of node types is accepted and interpreted here; nothing is ever
passed to `eval`. Evaluation uses three-valued (Kleene) logic: a comparison involving an
unanswered question is *unknown* (None), so a question is hidden only when its condition is
definitely false and a check only fails when it is definitely false.
"""

import ast
import operator
import threading
from collections.abc import Callable
from dataclasses import dataclass

Lookup = Callable[[str], object]

_COMPARISONS = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
# CPython 3.11 keeps the AST constructor's recursion counter per interpreter, not per thread, so
# two parses at once can fail with "AST constructor recursion depth mismatch" (cpython gh-106905).
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub}
_PARSE_LOCK = threading.Lock()
_CONSTANT_NAMES = {"true": True, "false": False, "True": True, "False": False}
FUNCTIONS = {"answered"}
ANY = "any"  # any(group, expression): true when the expression holds for some entry of a group


class ExpressionError(ValueError):
    """The text is not a valid expression; the message says why."""


@dataclass(frozen=True)
class Expression:
    source: str
    tree: ast.expr
    names: frozenset[str]
    groups: frozenset[str] = frozenset()  # the groups named as the first argument of any()

    def evaluate(self, lookup: Lookup) -> bool | None:
        return _truth(_Evaluator(lookup).visit(self.tree))


def parse(source: str) -> Expression:
    """Parse and whitelist an expression, collecting the question ids it names."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("the expression is empty")
    try:
        with _PARSE_LOCK:
            tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ExpressionError(f"cannot read the expression: {exc.msg}") from exc
    names: set[str] = set()
    groups: set[str] = set()
    _check(tree, names, groups)
    return Expression(source, tree, frozenset(names), frozenset(groups))


def _check(node: ast.AST, names: set[str], groups: set[str]) -> None:
    if isinstance(node, ast.BoolOp | ast.Compare):
        if isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) not in _COMPARISONS and not isinstance(op, ast.In | ast.NotIn):
                    raise ExpressionError(f"the operator {type(op).__name__} is not allowed")
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.cmpop | ast.boolop):
                _check(child, names, groups)
    elif isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        _check(node.left, names, groups)
        _check(node.right, names, groups)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        _check(node.operand, names, groups)
    elif isinstance(node, ast.Name):
        if node.id not in _CONSTANT_NAMES:
            names.add(node.id)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str | int | bool):
        return
    elif isinstance(node, ast.List | ast.Tuple):
        for element in node.elts:
            _check(element, names, groups)
    elif _is_answered_call(node):
        names.add(node.args[0].id)
    elif _is_any_call(node):
        groups.add(node.args[0].id)
        names.add(node.args[0].id)
        _check(node.args[1], names, groups)
    else:
        raise ExpressionError(
            f"'{ast.unparse(node)}' is not allowed here; use question ids, quoted text, "
            "numbers, + and -, comparisons, in, and, or, not, answered(id), any(group, expression)"
        )


def _is_answered_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and len(node.args) == 1
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
    )


def _is_any_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == ANY
        and len(node.args) == 2
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
    )


def _truth(value: object) -> bool | None:
    return None if value is None else bool(value)


class _Evaluator:
    def __init__(self, lookup: Lookup):
        self.lookup = lookup

    def visit(self, node: ast.AST) -> object:
        return getattr(self, f"visit_{type(node).__name__}")(node)

    def visit_Constant(self, node: ast.Constant) -> object:
        return node.value

    def visit_Name(self, node: ast.Name) -> object:
        if node.id in _CONSTANT_NAMES:
            return _CONSTANT_NAMES[node.id]
        value = self.lookup(node.id)
        return None if value in (None, "", [], {}) else value

    def visit_List(self, node: ast.List) -> object:
        return [self.visit(element) for element in node.elts]

    visit_Tuple = visit_List

    def visit_Call(self, node: ast.Call) -> object:
        if node.func.id == ANY:
            return self._any(node.args[0].id, node.args[1])
        return self.visit_Name(node.args[0]) is not None

    def _any(self, group: str, condition: ast.expr) -> bool | None:
        """True if the condition holds for an entry; unknown if it may; false with no entries.

        Inside, an entry's own questions are read first, then the questions outside the group.
        """
        entries = self.lookup(group)
        outcomes = [
            _truth(_Evaluator(_within(entry, self.lookup)).visit(condition))
            for entry in (entries if isinstance(entries, list) else [])
            if isinstance(entry, dict)
        ]
        if True in outcomes:
            return True
        return None if None in outcomes else False

    def visit_UnaryOp(self, node: ast.UnaryOp) -> object:
        value = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return None if value is None else not value
        return -value if isinstance(value, int) else None

    def visit_BinOp(self, node: ast.BinOp) -> object:
        """Whole numbers only: anything else (text, an unanswered question) is unknown."""
        left, right = self.visit(node.left), self.visit(node.right)
        if type(left) is not int or type(right) is not int:
            return None
        return _ARITHMETIC[type(node.op)](left, right)

    def visit_BoolOp(self, node: ast.BoolOp) -> object:
        values = [_truth(self.visit(v)) for v in node.values]
        decisive = isinstance(node.op, ast.Or)
        if decisive in values:
            return decisive
        return None if None in values else not decisive

    def visit_Compare(self, node: ast.Compare) -> object:
        left = self.visit(node.left)
        result: bool | None = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.visit(right_node)
            outcome = _compare(op, left, right)
            if outcome is False:
                return False
            if outcome is None:
                result = None
            left = right
        return result


def _within(entry: dict, outside: Lookup) -> Lookup:
    return lambda name: entry[name] if name in entry else outside(name)


def _compare(op: ast.cmpop, left: object, right: object) -> bool | None:
    if left is None or right is None:
        return None
    try:
        if isinstance(op, ast.In | ast.NotIn):
            found = left in right
            return found if isinstance(op, ast.In) else not found
        return _COMPARISONS[type(op)](left, right)
    except TypeError:
        return None
