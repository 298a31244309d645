"""Turn a posted section page into answers, keeping what was typed for redisplay."""

from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from engine.definition.model import Question
from engine.definition.qtypes import CoercionError
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.validation import Problem
from engine.responses.answers_path import get_in
from engine.responses.entries import ENTRY_ID, index_of

PREFIX = "q"
UNCHANGED = object()  # typed text that is no valid value: the stored answer stays


@dataclass
class Posted:
    answers: dict
    raw: dict[str, object] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def field_name(path: tuple) -> str:
    return ".".join([PREFIX, *map(str, path)])


def shown_ids(form: MultiDict) -> set[str]:
    """Ids of the questions the page showed (an empty checkbox list sends nothing)."""
    return set(form.get("shown", "").split())


def parse_section(questionnaire: Questionnaire, questions, form: MultiDict, stored: dict) -> Posted:
    posted = Posted(answers=dict(stored))
    shown = shown_ids(form)
    for question in questions:
        if question.id in shown and questionnaire.qtype(question).has_answer:
            value = _parse(questionnaire, question, (question.id,), form, shown, posted, stored)
            if value is not UNCHANGED:
                put_answer(posted.answers, question.id, value)
    return posted


def put_answer(container: dict, key: str, value: object) -> None:
    """Set an answer, or remove it when there is nothing to keep."""
    if value is None or value == []:
        container.pop(key, None)
    else:
        container[key] = value


def _parse(questionnaire, question: Question, path, form, shown, posted, stored) -> object:
    if questionnaire.qtype(question).has_children:
        return _parse_group(questionnaire, question, path, form, shown, posted, stored)
    name = field_name(path)
    raw = _raw(questionnaire, question, name, form)
    posted.raw[name] = raw
    try:
        return questionnaire.qtype(question).coerce(question, raw)
    except CoercionError as error:
        code = "not_a_year" if question.type == "year" else error.code
        posted.problems.append(Problem(path, code, error.params))
        return UNCHANGED


def _raw(questionnaire, question: Question, name: str, form: MultiDict) -> object:
    posted = questionnaire.qtype(question).posted
    if posted == "several":
        return [value[:100] for value in form.getlist(name)]
    if posted == "rows":
        return {row: form.get(f"{name}.{row}", "")[:100] for row in question.rows}
    return form.get(name, "")[:10000]


def _parse_group(questionnaire, group: Question, path, form, shown, posted, stored) -> list:
    limit = group.max_entries or 20
    try:
        count = min(int(form.get(field_name(path + ("count",)), "0")), limit)
    except ValueError:
        count = 0
    old_entries = get_in(stored, path) or []
    entries = []
    for index in range(max(count, 0)):
        entry = _stored_entry(old_entries, form.get(field_name(path + (index, ENTRY_ID)), ""))
        for child in group.questions:
            if child.id in shown and questionnaire.qtype(child).has_answer:
                child_path = path + (index, child.id)
                value = _parse(questionnaire, child, child_path, form, shown, posted, stored)
                if value is not UNCHANGED:
                    put_answer(entry, child.id, value)
        entries.append(entry)
    return entries


def _stored_entry(old_entries: list, entry_id: str) -> dict:
    """A copy of the stored entry the page showed (by its id), or a new, empty one."""
    index = index_of(old_entries, entry_id) if entry_id else None
    return dict(old_entries[index]) if index is not None else {}
