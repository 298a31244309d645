"""Read questionnaire files into a `Questionnaire`, collecting every editor error on the way.

The pipeline follows pyxform: read YAML -> validate shape (pydantic) -> check meaning (ids,
types, option lists, expressions) -> attach translations. Errors never stop at the first one.
"""

import re
from pathlib import Path

from pydantic import ValidationError

from engine import codelists as codelist_files
from engine import expressions, translation_files
from engine.errors import EditorError, QuestionnaireError
from engine.model import Question, QuestionnaireSource
from engine.qtypes import QuestionType
from engine.questionnaire import Questionnaire
from engine.yamlsource import YamlSource, read_yaml

QUESTIONNAIRE_FILE = "questionnaire.yaml"


def find_versions(root: Path) -> list[Path]:
    """Every <id>/<version>/ folder holding a questionnaire.yaml under `root`."""
    return sorted(p.parent for p in root.glob(f"*/*/{QUESTIONNAIRE_FILE}"))


def load_all(root: Path, types: dict[str, QuestionType]) -> dict[tuple[str, int], Questionnaire]:
    """Load every questionnaire version under `root`; raise with all errors if any."""
    shared = codelist_files.load(root / codelist_files.FOLDER)
    loaded, errors = {}, list(shared.errors)
    for directory in find_versions(root):
        try:
            questionnaire = load_version(directory, types, shared)
        except QuestionnaireError as exc:
            errors.extend(exc.errors)
            continue
        loaded[(questionnaire.id, questionnaire.version)] = questionnaire
    if errors:
        raise QuestionnaireError(errors)
    return loaded


def load_version(
    directory: Path, types: dict[str, QuestionType], shared: codelist_files.SharedCodelists
) -> Questionnaire:
    source_file = read_yaml(directory / QUESTIONNAIRE_FILE)
    model = _parse_model(source_file)
    errors = _check_location(source_file, model, directory)
    errors += _check_structure(source_file, model, types, shared)
    questionnaire = Questionnaire(
        model, directory, types, shared.lists_for(model.codelists), None, shared.translations
    )
    errors += _compile_expressions(source_file, questionnaire)
    if errors:
        raise QuestionnaireError(errors)
    questionnaire.translations, translation_errors = translation_files.load(questionnaire)
    if translation_errors:
        raise QuestionnaireError(translation_errors)
    return questionnaire


def _parse_model(source: YamlSource) -> QuestionnaireSource:
    try:
        return QuestionnaireSource.model_validate(source.data)
    except ValidationError as exc:
        raise QuestionnaireError(pydantic_errors(source, exc)) from exc


def pydantic_errors(source: YamlSource, exc: ValidationError) -> list[EditorError]:
    """Turn pydantic's errors into editor errors with YAML paths and advice."""
    errors = []
    for item in exc.errors():
        path = tuple(part for part in item["loc"] if not _is_union_tag(part))
        kind = item["type"]
        if kind == "extra_forbidden":
            message, hint = f"unknown key '{path[-1]}'", "remove it or correct its spelling"
        elif kind == "missing":
            message, hint = f"the key '{path[-1]}' is missing", f"add '{path[-1]}:' here"
        elif kind == "string_pattern_mismatch":
            message = f"'{item['input']}' is not a valid id or value"
            hint = "use lowercase letters, digits and '_', starting with a letter"
        else:
            message, hint = item["msg"], "see docs/questionnaire-format.md for this key"
        errors.append(source.error(f"schema-{kind}", path, message, hint))
    return errors


def _is_union_tag(part: object) -> bool:
    return isinstance(part, str) and ("[" in part or part in {"str", "list", "int"})


def _check_location(source: YamlSource, model: QuestionnaireSource, directory: Path) -> list:
    expected = (directory.parent.name, directory.name)
    if (model.id, str(model.version)) == expected:
        return []
    return [
        source.error(
            "wrong-folder",
            ("id",),
            f"questionnaire {model.id} version {model.version} lies in {'/'.join(expected)}",
            f"move it to questionnaires/{model.id}/{model.version}/ or correct id and version",
        )
    ]


def _check_structure(source, model, types, shared) -> list[EditorError]:
    errors: list[EditorError] = []
    seen: dict[str, str] = {}
    sections_seen: dict[str, str] = {}
    for s_index, section in enumerate(model.sections):
        path = ("sections", s_index)
        if section.id in sections_seen:
            errors.append(_duplicate(source, path + ("id",), section.id, sections_seen[section.id]))
        sections_seen[section.id] = f"line {source.line(path)}"
        for q_path, question in _walk(section.questions, path + ("questions",)):
            if question.id in seen:
                errors.append(_duplicate(source, q_path + ("id",), question.id, seen[question.id]))
            seen[question.id] = f"line {source.line(q_path)}"
            errors += _check_question(source, q_path, question, model, types, shared)
    for index, name in enumerate(model.codelists):
        if name not in shared.lists:
            errors.append(
                source.error(
                    "unknown-codelist",
                    ("codelists", index),
                    f"there is no shared code list '{name}'",
                    f"add questionnaires/codelists/{name}.yaml or remove the name; "
                    f"known lists: {', '.join(sorted(shared.lists)) or 'none'}",
                )
            )
    return errors


def _walk(questions: list[Question], path: tuple):
    for index, question in enumerate(questions):
        yield path + (index,), question
        yield from _walk(question.questions, path + (index, "questions"))


def _duplicate(source: YamlSource, path: tuple, qid: str, first: str) -> EditorError:
    return source.error(
        "duplicate-id",
        path,
        f"the id '{qid}' is used twice (first at {first})",
        "give each section, and each question, its own id; ids are how answers are stored",
    )


def _check_question(source, path, question, model, types, shared) -> list[EditorError]:
    qtype = types.get(question.type)
    if qtype is None:
        return [
            source.error(
                "unknown-type",
                path + ("type",),
                f"unknown question type '{question.type}'",
                f"use one of: {', '.join(sorted(types))}",
            )
        ]
    errors = _check_options(source, path, question, qtype, model)
    if qtype.has_children != bool(question.questions):
        errors.append(
            source.error(
                "misplaced-questions",
                path,
                f"a '{question.type}' question "
                + ("needs" if qtype.has_children else "cannot have")
                + " nested 'questions'",
                "only 'group' questions hold other questions",
            )
        )
    if qtype.has_rows and not question.rows:
        errors.append(
            source.error("missing-rows", path, "a scale needs 'rows'", "add rows: [row_a, row_b]")
        )
    if question.pattern is not None and not _compiles(question.pattern):
        errors.append(
            source.error(
                "bad-pattern",
                path + ("pattern",),
                "the pattern is not a valid regular expression",
                "check brackets and escapes",
            )
        )
    for low, high in (("min", "max"), ("min_length", "max_length"), ("min_entries", "max_entries")):
        if None not in (getattr(question, low), getattr(question, high)) and getattr(
            question, low
        ) > getattr(question, high):
            errors.append(
                source.error("min-above-max", path + (low,), f"{low} is above {high}", "swap them")
            )
    return errors


def _check_options(source, path, question, qtype, model) -> list[EditorError]:
    if qtype.options != "list":
        if question.options is not None:
            return [
                source.error(
                    "unexpected-options",
                    path + ("options",),
                    f"a '{question.type}' question takes no 'options'",
                    "remove 'options', or use single_choice / multiple_choice",
                )
            ]
        return []
    if question.options is None:
        return [
            source.error(
                "missing-options",
                path,
                f"a '{question.type}' question needs 'options'",
                "add options: <name of a list in option_lists or codelists>, or a list of values",
            )
        ]
    known = set(model.option_lists) | set(model.codelists)
    if isinstance(question.options, str) and question.options not in known:
        return [
            source.error(
                "unknown-option-list",
                path + ("options",),
                f"there is no option list '{question.options}'",
                f"define it under option_lists, or add it to codelists; known: "
                f"{', '.join(sorted(known)) or 'none'}",
            )
        ]
    return []


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _compile_expressions(source: YamlSource, questionnaire: Questionnaire) -> list[EditorError]:
    errors = []
    paths = dict(_question_paths(questionnaire.source))
    for qid, question in questionnaire.questions.items():
        in_scope = _names_in_scope(questionnaire, qid)
        if question.visible_if is not None:
            expression, found = _compile(
                source, paths[qid] + ("visible_if",), question.visible_if, in_scope
            )
            errors += found
            if expression:
                questionnaire.visible_if[qid] = expression
        for index, constraint in enumerate(question.constraints):
            where = paths[qid] + ("constraints", index, "check")
            expression, found = _compile(source, where, constraint.check, in_scope)
            errors += found
            if expression:
                questionnaire.checks.setdefault(qid, []).append((expression, constraint.message))
    return errors


def _question_paths(model: QuestionnaireSource):
    for s_index, section in enumerate(model.sections):
        for path, question in _walk(section.questions, ("sections", s_index, "questions")):
            yield question.id, path


def _names_in_scope(questionnaire: Questionnaire, qid: str) -> set[str]:
    """Top-level questions, plus the siblings of a question inside a group."""
    names = {q for q in questionnaire.questions if q not in questionnaire.group_of}
    group = questionnaire.group_of.get(qid)
    if group:
        names |= {child.id for child in questionnaire.questions[group].questions}
    return names


def _compile(source, path, text, in_scope):
    try:
        expression = expressions.parse(text)
    except expressions.ExpressionError as exc:
        hint = "see 'Expressions' in docs/questionnaire-format.md"
        return None, [source.error("bad-expression", path, str(exc), hint)]
    unknown = sorted(expression.names - in_scope)
    if unknown:
        return None, [
            source.error(
                "unknown-question-in-expression",
                path,
                f"the expression names {', '.join(repr(n) for n in unknown)}, "
                "which is no question here",
                "use the id of a question outside any group, or of one in the same group",
            )
        ]
    return expression, []
