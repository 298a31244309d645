"""What a section page shows for each question: texts, options, current value, errors."""

from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import force_locale
from markupsafe import Markup, escape

from engine.app.i18n import find
from engine.definition.model import Question
from engine.questionnaire import validation
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import plain
from engine.questionnaire.validation import Problem
from engine.responses.answers_path import get_in
from engine.responses.entries import ENTRY_ID
from renderers.html.bilingual import Bilingual, Part, pair
from renderers.html.formdata import field_name
from renderers.html.listen import control
from renderers.html.messages import describe, questionnaire_text
from renderers.html.skeleton import Slots

FSI, PDI = "\u2068", "\u2069"
INPUT_WIDGETS = ("text", "long_text", "integer", "year", "select")
"""Widgets whose one input is `<anchor>-input`."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: Bilingual

    @cached_property
    def option_text(self) -> str:
        """One line for a drop-down option: "first / second", each part isolated."""
        first = plain(self.label.first.value)
        if self.label.second is None:
            return first
        return f"{FSI}{first}{PDI} / {FSI}{plain(self.label.second.value)}{PDI}"


@dataclass(frozen=True)
class Options:
    """A question's choices in one language (and beside one), built once per version."""

    choices: tuple[Choice, ...]
    unlisted: tuple[Choice, ...] = ()
    """Valid answers the list leaves out (no name in its script), shown only when chosen."""

    def unlisted_html(self, value: str) -> str:
        """A selected `<option>` for an answer the list leaves out, or nothing."""
        choice = next((c for c in self.unlisted if c.value == value), None)
        if choice is None:
            return ""
        return f'<option value="{escape(value)}" selected>{escape(choice.option_text)}</option>'

    @cached_property
    def html(self) -> tuple[str, dict[str, int]]:
        """Every choice as a drop-down `<option>`, and where each one's `selected` mark goes."""
        parts, marks, length = [], {}, 0
        for choice in self.choices:
            start = f'<option value="{escape(choice.value)}"'
            end = f">{escape(choice.option_text)}</option>"
            marks[choice.value] = length + len(start)
            parts += (start, end)
            length += len(start) + len(end)
        return "".join(parts), marks


@dataclass(frozen=True)
class Reveal:
    """How kompass.js shows a follow-up at once: when the input `name` (its one trigger, on the
    same page) takes one of `values` ("" for no answer)."""

    name: str
    values: tuple[str, ...]


@dataclass
class Row:
    id: str
    name: str
    label: Bilingual
    value: str


@dataclass
class Field:
    question: Question
    widget: str
    name: str
    anchor: str
    label: Bilingual
    hint: Bilingual | None
    value: object
    errors: list[Bilingual] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    options: Options = field(default_factory=lambda: Options(()))
    rows: list[Row] = field(default_factory=list)
    entries: list[list["Field"]] = field(default_factory=list)
    entry_ids: list[str] = field(default_factory=list)
    hidden: bool = False
    """A follow-up whose trigger is not answered (or not so): in the markup, hidden (`reveal`)."""
    reveal: Reveal | None = None
    focus: str | None = None
    """The id of the element in this field that takes the focus (`autofocus`), if any."""
    add_label: Bilingual | None = None
    """What a group's add button says, if its translations name it ("Add an education")."""
    slots: Slots | None = None
    """Set while the field's markup is rendered once with slots for what changes (page_cache)."""

    @property
    def target(self) -> str:
        """The id of the element an error summary link moves focus to: the first input (a
        widget with choices names its first choice `<anchor>-1`, any other `<anchor>-input`)."""
        if self.widget == "scale" and self.rows and self.choices:
            return f"{self.anchor}-{self.rows[0].id}-1"
        if self.widget == "group":
            return f"{self.anchor}-add" if self.can_add else self.anchor
        if self.widget == "note":
            return self.anchor
        if self.widget in INPUT_WIDGETS or not self.choices:
            return f"{self.anchor}-input"
        return f"{self.anchor}-1"

    def select_options(self) -> Markup:
        """Every choice as a drop-down `<option>`, the current value selected."""
        if self.slots:
            return self.slots.mark(Field.select_options)
        html, marks = self.options.html
        value = self.value if isinstance(self.value, str) else None
        at = marks.get(value)
        if at is None:
            return Markup(html + (self.options.unlisted_html(value) if value else ""))
        return Markup(f"{html[:at]} selected{html[at:]}")

    def checked(self, value: str) -> str:
        """The attribute `checked` on a choice that is the answer, or one of the answers."""
        if self.slots:
            return self.slots.mark(lambda real: real.checked(value))
        answer = self.value
        chosen = value in answer if isinstance(answer, list) else value == str(answer)
        return " checked" if chosen else ""

    def row_checked(self, row: Row, value: str) -> str:
        """The attribute `checked` on the choice that is the answer of one row of a scale."""
        if self.slots:
            index = self.rows.index(row)
            return self.slots.mark(lambda real: real.row_checked(real.rows[index], value))
        return " checked" if value == row.value else ""

    def hidden_attr(self) -> str:
        """The attribute `hidden` on a follow-up whose trigger does not show it yet."""
        if self.slots:
            return self.slots.mark(Field.hidden_attr)
        return " hidden" if self.hidden else ""

    def autofocus(self, element_id: str) -> str:
        """The attribute `autofocus` on the first input of the question that takes the focus."""
        return " autofocus" if element_id == self.focus else ""

    @property
    def can_add(self) -> bool:
        return len(self.entries) < (self.question.max_entries or 20)


@dataclass
class PageState:
    """Everything needed to lay out one page in `lang` (and `beside`)."""

    questionnaire: Questionnaire
    answers: dict
    raw: dict
    problems: list[Problem]
    lang: str
    beside: str | None

    def text(self, lookup) -> Bilingual | None:
        return pair(self.questionnaire, lookup, self.lang, self.beside, listen=True)

    def kept_text(self, what: tuple, lookup) -> Bilingual | None:
        """`text(lookup)`, made once per version, `what` it is, language and beside language."""
        key = ("html text", *what, self.lang, self.beside)
        return self.questionnaire.memo.get(key, lambda: self.text(lookup))

    def message(self, problem: Problem) -> Bilingual:
        """What is wrong with an answer, in the page's language and beside it."""
        first = self._message_part(problem, self.lang, self.questionnaire.direction(self.lang))
        language = find(self.beside) if self.beside else None
        if language is None:
            return Bilingual(first)
        with force_locale(language.locale):
            return Bilingual(first, self._message_part(problem, language.tag, language.dir))

    def _message_part(self, problem: Problem, lang: str, direction: str) -> Part:
        """The message in `lang`, with a "Listen" control if its questionnaire text has a clip."""
        q, spoken = self.questionnaire, questionnaire_text(problem, self.questionnaire, lang)
        return Part(describe(problem, q, lang), lang, direction, spoken and control(q, spoken))


def build(state: PageState, questions: list[Question]) -> list[Field]:
    return _fields(state, questions, (), None)


def _fields(state: PageState, questions: list[Question], prefix: tuple, entry: dict | None):
    """The questions a page shows, and hidden, the follow-ups kompass.js can show at once."""
    q, siblings, built = state.questionnaire, {question.id for question in questions}, []
    for question in questions:
        path = prefix + (question.id,)
        hidden = not (
            validation.shown(q, question, state.answers, entry) or _has_problem(state, path)
        )
        reveal = _reveal(state, question, siblings, prefix)
        if not hidden or reveal:
            item = _field(state, question, path)
            item.hidden, item.reveal = hidden, reveal
            built.append(item)
    return built


def _has_problem(state: PageState, path: tuple) -> bool:
    return any(p.path[: len(path)] == path for p in state.problems)


def _reveal(state: PageState, question: Question, siblings: set[str], prefix: tuple):
    """A `Reveal` when the question's condition names one radio or drop-down on the page."""
    q = state.questionnaire
    expression = q.visible_if.get(question.id)
    if expression is None or len(expression.names) != 1 or not expression.names <= siblings:
        return None
    (trigger_id,) = expression.names
    if q.qtype(q.questions[trigger_id]).widget not in ("radio", "select"):
        return None
    values = q.memo.get(
        ("reveal values", question.id),
        lambda: tuple(
            value
            for value in ("", *q.choices(q.questions[trigger_id]))
            if expression.evaluate(lambda _, value=value: value) is True
        ),
    )
    return Reveal(field_name(prefix + (trigger_id,)), values)


def _field(state: PageState, question: Question, path: tuple) -> Field:
    q = state.questionnaire
    name = field_name(path)
    result = Field(
        question=question,
        widget=q.qtype(question).widget,
        name=name,
        anchor=name.replace(".", "-"),
        label=state.kept_text(("label", question.id), lambda lang: q.label(question, lang)),
        hint=state.kept_text(("hint", question.id), lambda lang: q.hint(question, lang)),
        value=_value(state, name, path),
        errors=[state.message(p) for p in state.problems if p.path == path],
    )
    if q.choices(question):
        key = ("html choices", question.id, state.lang, state.beside)
        result.options = q.memo.get(key, lambda: _options(state, question))
        result.choices = list(result.options.choices)
    result.rows = [_row(state, question, name, row, result.value) for row in question.rows]
    if q.qtype(question).has_children:
        result.add_label = state.kept_text(
            ("add", question.id), lambda lang: q.add_label(question, lang)
        )
        result.entries = [
            _fields(state, question.questions, path + (index,), entry_answers)
            for index, entry_answers in enumerate(get_in(state.answers, path) or [])
        ]
        result.entry_ids = [
            str(entry.get(ENTRY_ID, "")) for entry in get_in(state.answers, path) or []
        ]
    return result


def _options(state: PageState, question: Question) -> Options:
    choices = _choices(state, question)
    listed = {choice.value for choice in choices}
    q = state.questionnaire
    unlisted = tuple(
        Choice(value, state.text(lambda lang, v=value: q.option_label(question, v, lang)))
        for value in q.choices(question)
        if value not in listed
    )
    return Options(choices, unlisted)


def _choices(state: PageState, question: Question) -> tuple[Choice, ...]:
    """The options in the page's order, labelled in `lang` and `beside` (once per version)."""
    q = state.questionnaire
    return tuple(
        Choice(
            option.value, state.text(lambda lang, v=option.value: q.option_label(question, v, lang))
        )
        for option in q.options(question, state.lang)
    )


def visible_ids(questionnaire: Questionnaire, questions: list[Question], answers: dict) -> set[str]:
    """The ids of the questions `build` shows (not hidden) for `answers`, without building it."""
    shown = [q for q in questions if validation.shown(questionnaire, q, answers)]
    return _shown_ids(questionnaire, shown, answers, ())


def _shown_ids(questionnaire, questions: list[Question], answers: dict, path: tuple) -> set[str]:
    ids = set()
    for question in questions:
        ids.add(question.id)
        if not questionnaire.qtype(question).has_children:
            continue
        for index, entry in enumerate(get_in(answers, path + (question.id,)) or []):
            children = [
                child
                for child in question.questions
                if validation.shown(questionnaire, child, answers, entry)
            ]
            ids |= _shown_ids(questionnaire, children, answers, path + (question.id, index))
    return ids


def _value(state: PageState, name: str, path: tuple) -> object:
    if name in state.raw:
        return state.raw[name]
    value = get_in(state.answers, path)
    return "" if value is None else value


def _row(state: PageState, question: Question, name: str, row: str, value: object) -> Row:
    q = state.questionnaire
    return Row(
        id=row,
        name=f"{name}.{row}",
        label=state.kept_text(
            ("row", question.id, row), lambda lang: q.row_label(question, row, lang)
        ),
        value=value.get(row, "") if isinstance(value, dict) else "",
    )
