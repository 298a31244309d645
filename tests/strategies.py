"""Hypothesis strategies: answers that fit a questionnaire, and junk that does not."""

from hypothesis import strategies as st

from engine.definition.model import Question
from engine.questionnaire.loaded import Questionnaire

_TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)


def answers(questionnaire: Questionnaire) -> st.SearchStrategy[dict]:
    """Any set of valid answers (each question answered or not)."""
    top = [q for s in questionnaire.source.sections for q in s.questions]
    return _entry(questionnaire, top)


def _entry(questionnaire: Questionnaire, questions: list[Question]) -> st.SearchStrategy[dict]:
    answerable = [q for q in questions if questionnaire.qtype(q).has_answer]
    return st.fixed_dictionaries({}, optional={q.id: _value(questionnaire, q) for q in answerable})


def _value(questionnaire: Questionnaire, question: Question) -> st.SearchStrategy:
    choices = questionnaire.choices(question)
    widget = questionnaire.qtype(question).widget
    if question.type == "year":
        return st.integers(question.min or 1940, question.max or 2026)
    if question.type == "integer":
        return st.integers(question.min or 0, question.max if question.max is not None else 10**6)
    if widget == "checkboxes":
        return st.lists(st.sampled_from(choices), min_size=1, unique=True)
    if widget == "scale":
        return st.fixed_dictionaries(
            {}, optional={r: st.sampled_from(choices) for r in question.rows}
        )
    if choices:
        return st.sampled_from(choices)
    if widget == "group":
        return st.lists(_entry(questionnaire, question.questions), max_size=3)
    return _TEXT.filter(str.strip)


JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT
JUNK = st.recursive(
    JSON_LEAVES,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_TEXT, children, max_size=3),
    max_leaves=8,
)

# Hostile input for the route fuzzer (tests/test_fuzz_routes.py).
SCRIPT_PAYLOADS = (
    "<script>alert(7331)</script>",
    '"><img src=x onerror=alert(7331)>',
    "' onmouseover='alert(7331)' x='",
    '" autofocus onfocus="alert(7331)',
    "javascript:alert(7331)//</textarea><svg onload=alert(7331)>",
)
ODD_TEXT = (
    "",
    " ",
    "\x00",
    "1\x002",
    "\ud800",
    "a\udfffb",
    "²",
    "٣",
    "١٢",
    "Ⅻ",
    "𝟗",
    "-1",
    "0",
    "9" * 40,
    str(2**31),
    str(2**63),
    "-" + str(2**63),
    "1e309",
    "NaN",
    "x" * 20_000,
    "\u202e\u200b\ufeff",
    "%00%ff",
    "../../etc/passwd",
    "{{ 7*7 }}",
    "' OR 1=1 --",
    "9999-12-31",  # the second outside test (issue 18): the ends of the calendar,
    "0001-01-01",
    "9999",
    "İ" * 60,  # twice as long lower-cased
    "4601\r\nX-Injected: 1",  # a header injection
    "Soo gal 100 %",
)
HOSTILE_TEXT = st.one_of(
    st.sampled_from(SCRIPT_PAYLOADS),
    st.sampled_from(ODD_TEXT),
    st.text(max_size=40),
    st.text(min_size=1, max_size=300),
)
HOSTILE_IDS = st.sampled_from([0, 1, 2**31 - 1, 2**31, 10**10 - 1, 2**63]) | st.integers(
    10**6, 2**31 - 1
)


# Pages differ from one request to the next, so a test draws these fixed-shape choices first
# and only then applies them to the names and options the page shows (hypothesis needs the
# same draws for the same choices).
FieldEdits = tuple[int, list[tuple[int, str]], dict[str, str]]
FIELD_EDITS = st.tuples(
    st.integers(0, 19),
    st.lists(st.tuples(st.integers(0, 10**4), HOSTILE_TEXT), max_size=4),
    st.dictionaries(st.text(min_size=1, max_size=20), HOSTILE_TEXT, max_size=4),
)
PICKS = st.lists(
    st.tuples(st.integers(0, 9), st.integers(0, 10**4), HOSTILE_TEXT), min_size=8, max_size=8
)


def hostile_fields(names: list[str], edits: FieldEdits) -> dict:
    """Hostile values for some of `names`, sometimes made-up names too; rarely very many."""
    kind, chosen, made_up = edits
    if kind == 0:
        return {f"f{i}": "x" for i in range(200 + 100 * len(chosen) + len(made_up))}
    fields = {names[pick % len(names)]: value for pick, value in chosen} if names else {}
    return {**made_up, **fields} if kind == 1 else fields


def picked(options: list[str], pick: tuple[int, int, str]) -> str:
    """One of the options nine times in ten, else the hostile value."""
    choice, index, hostile = pick
    return options[index % len(options)] if options and choice else hostile
