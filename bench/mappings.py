"""Mappings for the PDF benchmarks: a typical one (the load test's journey) and a maximum one.

The maximum mapping is made from the version's JSON Schema: every repeatable group at its limit,
every text at its maximum length, every row of a scale and every option of a multiple choice,
and the answers that reveal follow-up questions, so a PDF of it is as long as one can be.
"""

import itertools

from bench.load import journey
from engine.questionnaire import validation
from engine.responses import storage
from engine.responses.entries import ENTRY_ID
from engine.responses.lifecycle import Lifecycle, Opened
from engine.responses.respondent import Respondent

# Answers that reveal follow-up questions (and a multiple choice's answer that excludes others).
REVEALING = {
    "mother_tongue": "other", "other_language": "other", "interpreter_used": "yes",
    "interpreter_language": "other", "has_licence": "yes", "has_work_experience": "yes",
    "job_ongoing": "no", "edu_status": "completed",
}  # fmt: skip
EXCLUSIVE = {"none"}
WORDS = ("snekker", "sykepleier", "elektriker", "Kabul", "Asmara", "مدرسة", "عمل", "школа",
         "ቤት", "ትምህርቲ", "years", "work", "school")  # fmt: skip


def typical(schema: dict) -> dict:
    """The answers of the load test's respondent: two schools, a language, two jobs."""
    answers: dict = {}
    for _section, fields, entries in journey.STEPS:
        answers.update(_nested(schema, fields))
        for group, entry in entries:
            entry_schema = schema["properties"][group]["items"]
            answers.setdefault(group, []).append(_nested(entry_schema, entry))
    return answers


def maximum(schema: dict) -> dict:
    """Every answer of the version's schema at its largest."""
    return {name: _largest(name, part) for name, part in schema["properties"].items()}


def store(session, registry, subject: str, lang: str, answers: dict) -> Opened:
    """A submitted response of `subject` holding `answers` (checked like a real submission)."""
    service = Lifecycle(session, registry)
    opened = service.open(subject, lang)
    problems = validation.validate(opened.questionnaire, answers)
    if problems:
        raise ValueError(f"the mapping does not validate: {problems[:3]}")
    checked = validation.check(opened.questionnaire, answers)
    response = storage.save_draft(session, opened.response, checked, opened.response.revision, lang)
    submitted = service.submit(Opened(response, opened.questionnaire), response.revision,
                               Respondent(subject))  # fmt: skip
    return Opened(submitted.response, opened.questionnaire)


def _nested(schema: dict, fields: dict) -> dict:
    """Posted names (`scale.row`) as the stored answers of `schema`'s properties."""
    answers: dict = {}
    for name, value in fields.items():
        key, _, row = name.partition(".")
        kind = schema["properties"][key].get("type")
        if row:
            answers.setdefault(key, {})[row] = value
        else:
            answers[key] = {"integer": int, "array": lambda v: [v]}.get(kind, str)(value)
    return answers


def _largest(name: str, schema: dict):
    if "enum" in schema:
        return REVEALING.get(name) if REVEALING.get(name) in schema["enum"] else schema["enum"][-1]
    kind = schema.get("type")
    if kind == "object":
        properties = schema["properties"].items()
        return {key: _largest(key, part) for key, part in properties if key != ENTRY_ID}
    if kind == "array":
        items = schema.get("items", {})
        if "enum" in items:
            return [value for value in items["enum"] if value not in EXCLUSIVE]
        return [_largest(name, items) for _ in range(schema["maxItems"])]
    if kind == "integer":
        return schema.get("maximum", 1)
    if kind == "string":
        return _text(schema["maxLength"])
    return {}


def _text(length: int) -> str:
    words = itertools.cycle(WORDS)
    text = ""
    while len(text) < length:
        text += next(words) + " "
    return text[:length].strip()
