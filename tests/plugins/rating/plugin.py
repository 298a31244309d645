"""The rating plugin: its type, its own YAML key, its widget and its export column."""

from dataclasses import replace

from babel.numbers import format_decimal
from flask import Blueprint
from pydantic import Field

from engine.app.hookspecs import hookimpl
from engine.definition import cldr
from engine.definition.model import Question, Strict
from engine.definition.qtypes import CoercionError, OwnChoices, QuestionType, Raw
from engine.export.layout import INTEGER

WIDGET = "rating"


class RatingKeys(Strict):
    """A rating's own key in questionnaire.yaml: how many points it has."""

    points: int = Field(default=5, ge=2, le=10)


def points(question: Question) -> int:
    return RatingKeys.model_validate(question.model_extra or {}).points


def _values(question: Question) -> list[str]:
    return [str(point) for point in range(1, points(question) + 1)]


def _label(_question: Question, value: str, lang: str) -> str:
    """The point as a number written as `lang` writes numbers."""
    return format_decimal(int(value), format="0", locale=cldr.babel_locale(lang))


def _schema(question: Question, _choices: list[str]) -> dict:
    return {"type": "integer", "minimum": 1, "maximum": points(question)}


def _coerce(_question: Question, raw: Raw) -> int | None:
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        return None
    if not text.isascii() or not text.isdecimal() or len(text) > 2:
        raise CoercionError("not_a_whole_number")
    return int(text)  # a point beyond the scale is refused by the schema: "5 or less"


def _columns(_question: Question, base):
    """One number column, its points labelled (analysts average it)."""
    return [replace(base, kind=INTEGER)]


def _codebook(question: Question) -> dict:
    return {"scale": {"from": 1, "to": points(question)}}


RATING = QuestionType(
    "rating", WIDGET, _schema, _coerce, options=OwnChoices(_values, _label),
    keys=RatingKeys, columns=_columns, codebook=_codebook,
)  # fmt: skip


@hookimpl
def kompass_question_types():
    return [RATING]


@hookimpl
def kompass_widget_templates():
    return {WIDGET: "rating/widget.html"}


@hookimpl
def kompass_init_app(app):
    app.register_blueprint(Blueprint("rating", __name__, template_folder="templates"))
