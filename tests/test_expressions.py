import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.definition.expressions import ExpressionError, parse


def evaluate(source: str, **answers):
    return parse(source).evaluate(answers.get)


def test_comparisons_and_logic():
    assert evaluate("a == 'yes'", a="yes") is True
    assert evaluate("a != 'ongoing'", a="completed") is True
    assert evaluate("end >= start", start=2000, end=1999) is False
    assert evaluate("'B' in cats", cats=["A", "B"]) is True
    assert evaluate("'B' not in cats", cats=["A"]) is True
    assert evaluate("a == 1 or b == 2", a=0, b=2) is True
    assert evaluate("not (a == 1)", a=2) is True
    assert evaluate("a in ['x', 'y'] and true", a="y") is True


def test_unanswered_makes_a_comparison_unknown():
    assert evaluate("a == 'yes'") is None
    assert evaluate("a == 'yes' and b == 1", b=2) is False
    assert evaluate("a == 'yes' or b == 1", b=1) is True
    assert evaluate("not (a == 'yes')") is None


def test_answered():
    assert evaluate("answered(a)", a="x") is True
    assert evaluate("answered(a)", a=[]) is False


def test_names_are_collected():
    assert parse("a == b or answered(c)").names == {"a", "b", "c"}


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        "a.b",
        "a * 2",
        "any(a)",
        "any(a + 1, b)",
        "lambda: 1",
        "a[0]",
        "f(a)",
        "answered(a, b)",
        "",
        "a ==",
        "{'a': 1}",
    ],
)
def test_anything_outside_the_language_is_rejected(source):
    with pytest.raises(ExpressionError):
        parse(source)


@given(st.text(max_size=40))
def test_arbitrary_text_never_raises_anything_but_expression_error(source):
    try:
        expression = parse(source)
    except ExpressionError:
        return
    expression.evaluate({}.get)


def test_negation_of_text_is_unknown_not_an_error():
    assert evaluate("-a == 1", a="x") is None
