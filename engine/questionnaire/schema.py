"""The JSON Schema (draft 2020-12) of the answers to one questionnaire version.

It describes what may be stored (draft or submitted): the shape and type of every answer, its
allowed values and limits. Whether an answer is required or visible depends on other answers;
`engine.questionnaire.validation` checks that on top of the schema.
"""

from functools import lru_cache

from jsonschema import Draft202012Validator, ValidationError, validators

from engine.definition.model import Question
from engine.questionnaire.loaded import Questionnaire
from engine.responses.entries import ENTRY_ID, ID_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"
VALIDATORS = 32  # loaded questionnaires whose validator is kept (a process serves a few versions)


def build(questionnaire: Questionnaire) -> dict:
    top = [q for s in questionnaire.source.sections for q in s.questions]
    schema = {
        "$schema": DIALECT,
        "$id": f"urn:kompass:questionnaire:{questionnaire.id}:{questionnaire.version}",
        "title": questionnaire.title(questionnaire.source.source_language).value,
        **_object(questionnaire, top),
    }
    Draft202012Validator.check_schema(schema)
    return schema


def _object(questionnaire: Questionnaire, questions: list[Question]) -> dict:
    return {
        "type": "object",
        "properties": {
            q.id: _answer(questionnaire, q) for q in questions if questionnaire.qtype(q).has_answer
        },
        "additionalProperties": False,
    }


def _answer(questionnaire: Questionnaire, question: Question) -> dict:
    qtype = questionnaire.qtype(question)
    schema = qtype.value_schema(question, questionnaire.choices(question))
    if qtype.has_children:
        entry = _object(questionnaire, question.questions)
        entry["properties"][ENTRY_ID] = {"type": "string", "pattern": ID_PATTERN}
        schema["items"] = entry
    return schema


def _enum(validator, enums: list, instance, schema: dict):
    """jsonschema's `enum`, with a text looked up in a set: the stock keyword compares it with
    each allowed value in turn (a country list: 250 comparisons, a tenth of a save's CPU). For
    a text the answer is the same: jsonschema counts it equal to another text only."""
    if not isinstance(instance, str):
        yield from Draft202012Validator.VALIDATORS["enum"](validator, enums, instance, schema)
    elif instance not in _texts(tuple(enums)):
        yield ValidationError(f"{instance!r} is not one of {enums!r}")


@lru_cache(maxsize=256)
def _texts(enums: tuple) -> frozenset:
    return frozenset(value for value in enums if isinstance(value, str))


_Validator = validators.extend(Draft202012Validator, {"enum": _enum})


@lru_cache(maxsize=VALIDATORS)
def validator(questionnaire: Questionnaire) -> Draft202012Validator:
    """A validator for the questionnaire's schema, built once per loaded questionnaire (the
    `VALIDATORS` used last are kept)."""
    return _Validator(build(questionnaire))
