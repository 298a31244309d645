"""Question types: what an answer looks like and how typed text becomes a value."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ValidationError

from engine.definition.model import Question, Strict

Raw = str | list[str] | dict[str, str]


class CoercionError(ValueError):
    """Input that cannot become a value of the question's type; `code` names the message."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


class NoKeys(Strict):
    """The own keys of a type that has none: every key beyond `Question`'s is unknown."""


@dataclass(frozen=True)
class OwnChoices:
    """Choices a question type makes itself, from the question (its own keys, for example).

    `values(question)` lists the values; `label(question, value, lang)` names one in `lang`.
    """

    values: Callable[[Question], list[str]]
    label: Callable[[Question, str, str], str]


@dataclass(frozen=True)
class QuestionType:
    """A question type as registered through the `kompass_question_types` hook.

    `value_schema(question, choices)` gives the JSON Schema of one answer; `coerce(question, raw)`
    turns submitted text into that value (None for "no answer"); `posted` says what the raw text
    is: one value, several values, or one value per row. `widget` names the renderer's widget (a
    plugin gives the HTML renderer the template of a widget of its own through
    `kompass_widget_templates`). `options` says where choices come from: None, "list" (the
    `options` key), "yes_no", "countries" or "languages" (CLDR), or the type's `OwnChoices`.
    `keys` is the model of the type's own YAML keys, beside `Question`'s. `columns(question, base)`
    gives its export columns from the base column, which has the question's label and choices
    (None: from the value's schema); `codebook(question)` is what the codebook says of the
    variable beyond name, labels and values (its `details`).
    """

    name: str
    widget: str
    value_schema: Callable[[Question, list[str]], dict]
    coerce: Callable[[Question, Raw], object]
    options: str | OwnChoices | None = None
    has_answer: bool = True
    has_rows: bool = False
    has_children: bool = False
    posted: Literal["one", "several", "rows"] = "one"
    keys: type[BaseModel] = NoKeys
    columns: Callable | None = None
    codebook: Callable[[Question], dict] | None = None

    def own_keys(self, question: Question) -> BaseModel:
        """The question's own keys of this type, as the type's model (checked by the loader)."""
        return self.keys.model_validate(question.model_extra or {})

    def fits(self, question: Question) -> bool:
        """Whether the question's own keys fit the type's model (else the loader says why)."""
        try:
            self.own_keys(question)
        except ValidationError:
            return False
        return True


# Control characters other than tab and newline: never stored (PostgreSQL's jsonb refuses NUL).
CONTROL_CHARACTERS = "[\\x00-\\x08\\x0b-\\x1f\\x7f]"
_CONTROLS = re.compile(CONTROL_CHARACTERS)


def _text_schema(default_max: int) -> Callable[[Question, list[str]], dict]:
    def schema(question: Question, _choices: list[str]) -> dict:
        result = {
            "type": "string",
            "maxLength": question.max_length or default_max,
            "not": {"pattern": CONTROL_CHARACTERS},
        }
        if question.min_length:
            result["minLength"] = question.min_length
        if question.pattern:
            result["pattern"] = question.pattern
        return result

    return schema


def _coerce_text(_question: Question, raw: Raw) -> str | None:
    text = " ".join(_CONTROLS.sub("", raw).split()) if isinstance(raw, str) else None
    return text or None


def _coerce_long_text(_question: Question, raw: Raw) -> str | None:
    text = _CONTROLS.sub("", raw.replace("\r\n", "\n")).strip() if isinstance(raw, str) else None
    return text or None


def _integer_schema(default_min: int | None, default_max: Callable[[], int | None]):
    def schema(question: Question, _choices: list[str]) -> dict:
        result: dict = {"type": "integer"}
        low = question.min if question.min is not None else default_min
        high = question.max if question.max is not None else default_max()
        if low is not None:
            result["minimum"] = low
        if high is not None:
            result["maximum"] = high
        return result

    return schema


def _coerce_integer(_question: Question, raw: Raw) -> int | None:
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        return None
    if not text.isdecimal() or len(text) > 9:
        raise CoercionError("not_a_whole_number")
    return int(text)


def _choice_schema(_question: Question, choices: list[str]) -> dict:
    return {"type": "string", "enum": choices}


def _coerce_choice(_question: Question, raw: Raw) -> str | None:
    return raw.strip() or None if isinstance(raw, str) else None


def _multiple_schema(question: Question, choices: list[str]) -> dict:
    result = {"type": "array", "items": {"enum": choices}, "uniqueItems": True}
    if question.min_choices:
        result["minItems"] = question.min_choices
    if question.max_choices:
        result["maxItems"] = question.max_choices
    return result


def _coerce_multiple(_question: Question, raw: Raw) -> list[str] | None:
    values = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, list) else []
    chosen = list(dict.fromkeys(v for v in values if v))
    return chosen or None


def _scale_schema(question: Question, choices: list[str]) -> dict:
    return {
        "type": "object",
        "properties": {row: {"enum": choices} for row in question.rows},
        "additionalProperties": False,
    }


def _coerce_scale(_question: Question, raw: Raw) -> dict | None:
    chosen = {row: value for row, value in raw.items() if value} if isinstance(raw, dict) else {}
    return chosen or None


def _group_schema(question: Question, _choices: list[str]) -> dict:
    return {"type": "array", "maxItems": question.max_entries or 20}


def _no_schema(_question: Question, _choices: list[str]) -> dict:
    return {}


def _no_value(_question: Question, _raw: Raw) -> None:
    return None


def _this_year() -> int:
    return date.today().year


BUILTIN_TYPES = [
    QuestionType("text", "text", _text_schema(200), _coerce_text),
    QuestionType("long_text", "long_text", _text_schema(2000), _coerce_long_text),
    QuestionType("integer", "integer", _integer_schema(None, lambda: None), _coerce_integer),
    QuestionType("year", "year", _integer_schema(1940, _this_year), _coerce_integer),
    QuestionType("single_choice", "radio", _choice_schema, _coerce_choice, options="list"),
    QuestionType(
        "multiple_choice",
        "checkboxes",
        _multiple_schema,
        _coerce_multiple,
        "list",
        posted="several",
    ),
    QuestionType("yes_no", "radio", _choice_schema, _coerce_choice, options="yes_no"),
    QuestionType("country", "select", _choice_schema, _coerce_choice, options="countries"),
    QuestionType("language", "select", _choice_schema, _coerce_choice, options="languages"),
    QuestionType(
        "scale", "scale", _scale_schema, _coerce_scale, "list", has_rows=True, posted="rows"
    ),
    QuestionType("group", "group", _group_schema, _no_value, has_children=True),
    QuestionType("note", "note", _no_schema, _no_value, has_answer=False),
]
