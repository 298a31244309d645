"""Read questionnaire files into a `Questionnaire`, collecting every editor error on the way.

The pipeline follows pyxform: read YAML -> validate shape (pydantic) -> check meaning (ids,
types, option lists, expressions) -> attach translations. Errors never stop at the first one.
"""

import re
from collections.abc import Collection
from pathlib import Path
from typing import get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from engine.definition import (
    audio,
    cldr,
    cldr_lists,
    expressions,
    interface_texts,
    media_images,
    uses,
)
from engine.definition import codelists as codelist_files
from engine.definition.error_catalogue import CATALOGUE, closest
from engine.definition.errors import EditorError, QuestionnaireError
from engine.definition.model import Question, QuestionnaireSource
from engine.definition.qtypes import QuestionType
from engine.definition.uses import Use
from engine.definition.yamlsource import YamlSource, read_yaml
from engine.questionnaire import soft_checks
from engine.questionnaire.loaded import YES_NO, Questionnaire
from engine.translation import files as translation_files

QUESTIONNAIRE_FILE = "questionnaire.yaml"
UNION_TAGS = {"str", "list", "int", "none", "constrained-str"}
LIMIT_PAIRS = (("min", "max"), ("min_length", "max_length"), ("min_entries", "max_entries"))


def find_versions(root: Path) -> list[Path]:
    """Every <id>/<version>/ folder holding a questionnaire.yaml under `root`."""
    return sorted(p.parent for p in root.glob(f"*/*/{QUESTIONNAIRE_FILE}"))


def load_all(
    root: Path, types: dict[str, QuestionType], known_uses: dict[str, Use] | None = None
) -> dict[tuple[str, int], Questionnaire]:
    """Load every questionnaire version under `root`; raise with all errors if any."""
    shared = codelist_files.load(root / codelist_files.FOLDER)
    loaded, errors = {}, list(shared.errors)
    for directory in find_versions(root):
        try:
            questionnaire = load_version(directory, types, shared, known_uses)
        except QuestionnaireError as exc:
            errors.extend(exc.errors)
            continue
        loaded[(questionnaire.id, questionnaire.version)] = questionnaire
    if errors:
        raise QuestionnaireError(errors)
    return loaded


def load_version(
    directory: Path,
    types: dict[str, QuestionType],
    shared: codelist_files.SharedCodelists,
    known_uses: dict[str, Use] | None = None,
) -> Questionnaire:
    """One version folder, checked; `known_uses` (the plugins' uses) checks `uses:` too, as
    `check` and `publish` do (None: left for them, when only reading a version)."""
    source_file = read_yaml(directory / QUESTIONNAIRE_FILE)
    model = _parse_model(source_file)
    errors = _check_location(source_file, model, directory)
    errors += _check_structure(source_file, model, types, shared)
    questionnaire = Questionnaire(
        model, directory, types, shared.lists_for(model.codelists), None, shared.translations
    )
    errors += _compile_expressions(source_file, questionnaire)
    questionnaire.images, image_errors = media_images.load(source_file, questionnaire, directory)
    errors += image_errors
    errors += interface_texts.declaration_errors(source_file, model, directory)
    if known_uses is not None and not errors:
        errors += uses.errors(source_file, questionnaire, known_uses)
    if errors:
        raise QuestionnaireError(errors)
    questionnaire.translations, translation_errors = translation_files.load(questionnaire)
    if translation_errors:
        raise QuestionnaireError(translation_errors)
    questionnaire.audio, audio_errors = audio.load(questionnaire)
    if audio_errors:
        raise QuestionnaireError(audio_errors)
    questionnaire.cldr = _capture_cldr(questionnaire)
    return questionnaire


def _capture_cldr(questionnaire: Questionnaire) -> cldr_lists.CldrLists:
    """Today's CLDR lists and names for every language the version is offered in."""
    files = questionnaire.translations.files
    extra: dict[str, set[str]] = {}
    for question in questionnaire.questions.values():
        kind = questionnaire.qtype(question).options
        kind = kind if isinstance(kind, str) else ""
        extra.setdefault(kind, set()).update(question.extra_options)
    own_names = {tag: file.native_name for tag, file in files.items() if file.native_name}
    overrides = {tag: file.cldr_locale for tag, file in files.items()}
    supplied = {tag: _list_names(file.texts) for tag, file in files.items()}
    return cldr_lists.capture(overrides, extra, own_names, supplied)


def _list_names(texts: dict) -> dict[str, dict[str, str]]:
    """A translation file's names of countries and languages (`options.languages.<code>`)."""
    options = texts.get("options") or {}
    return {
        kind: {str(code): str(name) for code, name in (options.get(kind) or {}).items()}
        for kind in cldr_lists.KINDS
    }


def _parse_model(source: YamlSource) -> QuestionnaireSource:
    try:
        return QuestionnaireSource.model_validate(source.data)
    except ValidationError as exc:
        raise QuestionnaireError(pydantic_errors(source, exc, QuestionnaireSource)) from exc


def pydantic_errors(
    source: YamlSource, exc: ValidationError, model: type[BaseModel]
) -> list[EditorError]:
    """Turn pydantic's errors on `model` into editor errors with YAML paths and advice."""
    return [_pydantic_error(source, item, model) for item in exc.errors()]


def _pydantic_error(
    source: YamlSource, item: ErrorDetails, model: type[BaseModel], at: tuple = (), allowed=None
) -> EditorError:
    """One error of `model` (validated at the YAML path `at`); `allowed`: the keys allowed
    there, when `model`'s fields are not all of them."""
    path = at + tuple(part for part in item["loc"] if not _is_union_tag(part))
    code = f"schema-{item['type']}"
    key = str(path[-1]) if path else ""
    suggestion = None
    if item["type"] == "extra_forbidden":
        keys = _allowed_keys(model, path[:-1]) if allowed is None else allowed
        suggestion = closest(key, keys)
    return source.error(
        code if code in CATALOGUE else "schema-invalid",
        path,
        suggestion,
        key=key,
        value=item["input"],
        detail=item["msg"],
    )


def _is_union_tag(part: object) -> bool:
    """Pydantic's names for the members of a union, e.g. 'constrained-str' or 'list[...]'."""
    return isinstance(part, str) and ("[" in part or part in UNION_TAGS)


def _allowed_keys(model: type[BaseModel], path: tuple) -> list[str]:
    """The keys `model` allows in the mapping at `path` (none if no model validates it)."""
    for part in path:
        if isinstance(part, str):
            field = model.model_fields.get(part)
            inner = _inner_model(field.annotation) if field else None
            if inner is None:
                return []
            model = inner
    return list(model.model_fields)


def _inner_model(annotation: object) -> type[BaseModel] | None:
    """The model in an annotation such as list[Question] or Question | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next(filter(None, map(_inner_model, get_args(annotation))), None)


def _check_location(source: YamlSource, model: QuestionnaireSource, directory: Path) -> list:
    expected = (directory.parent.name, directory.name)
    if (model.id, str(model.version)) == expected:
        return []
    return [
        source.error(
            "wrong-folder",
            ("id",),
            qid=model.id,
            version=model.version,
            folder="/".join(expected),
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
    return errors + _check_lists(source, model, shared) + _check_cldr_choices(source, model, types)


def _check_cldr_choices(source, model: QuestionnaireSource, types) -> list[EditorError]:
    """first_options and left_out_options name values their CLDR list has."""
    errors = []
    for field in ("first_options", "left_out_options"):
        for kind, values in getattr(model, field).items():
            known, where = set(_cldr_codes(kind)), _CLDR_WHERE[kind]
            if field == "first_options":
                known |= _extra_options(model, types, kind)
                where += " nor an extra option"
            errors += [
                source.error("unknown-option", (field, kind, index), value=value, where=where)
                for index, value in enumerate(values)
                if value not in known
            ]
    return errors


_CLDR_WHERE = {
    "countries": "among CLDR's country codes",
    "languages": "among CLDR's language codes",
}


def _cldr_codes(kind: str) -> tuple[str, ...]:
    return cldr.country_codes() if kind == "countries" else cldr.language_codes()


def _extra_options(model: QuestionnaireSource, types, kind: str) -> set[str]:
    return {
        value
        for section in model.sections
        for top in section.questions
        for question in top.walk()
        if question.type in types and types[question.type].options == kind
        for value in question.extra_options
    }


def _check_lists(source, model: QuestionnaireSource, shared) -> list[EditorError]:
    """Shared code lists that do not exist, and repeated values in option lists."""
    errors = [
        source.error(
            "unknown-codelist",
            ("codelists", index),
            closest(name, shared.lists),
            name=name,
            known=_names(shared.lists),
        )
        for index, name in enumerate(model.codelists)
        if name not in shared.lists
    ]
    for name, values in model.option_lists.items():
        errors += source.duplicates("duplicate-option", ("option_lists", name), values)
    return errors + _check_ordered_lists(source, model)


def _check_ordered_lists(source, model: QuestionnaireSource) -> list[EditorError]:
    """ordered_lists names lists the questionnaire has."""
    known = [*model.option_lists, *model.codelists]
    return [
        source.error(
            "unknown-ordered-list",
            ("ordered_lists", index),
            closest(name, known),
            name=name,
            known=_names(known),
        )
        for index, name in enumerate(model.ordered_lists)
        if name not in known
    ]


def _names(names) -> str:
    return ", ".join(sorted(names)) or "none"


def _walk(questions: list[Question], path: tuple):
    for index, question in enumerate(questions):
        yield path + (index,), question
        yield from _walk(question.questions, path + (index, "questions"))


def _duplicate(source: YamlSource, path: tuple, qid: str, first: str) -> EditorError:
    return source.error("duplicate-id", path, qid=qid, first=first)


def _check_question(source, path, question, model, types, shared) -> list[EditorError]:
    qtype = types.get(question.type)
    if qtype is None:
        return [
            source.error(
                "unknown-type",
                path + ("type",),
                closest(question.type, types),
                type=question.type,
                known=_names(types),
            )
        ]
    errors = _check_own_keys(source, path, question, qtype)
    errors += _check_options(source, path, question, qtype, model)
    errors += _check_extra_options(source, path, question, qtype, model, shared)
    errors += source.duplicates("duplicate-row", path + ("rows",), question.rows)
    if qtype.has_children != bool(question.questions):
        rule = "needs" if qtype.has_children else "cannot have"
        errors.append(source.error("misplaced-questions", path, type=question.type, rule=rule))
    if qtype.has_rows and not question.rows:
        errors.append(source.error("missing-rows", path))
    problem = _pattern_problem(question.pattern)
    if problem:
        errors.append(source.error("bad-pattern", path + ("pattern",), problem=problem))
    for low, high in LIMIT_PAIRS:
        lower, upper = getattr(question, low), getattr(question, high)
        if lower is not None and upper is not None and lower > upper:
            errors.append(source.error("min-above-max", path + (low,), low=low, high=high))
    return errors


def _check_own_keys(source, path, question, qtype) -> list[EditorError]:
    """The keys beyond `Question`'s, checked against the model of the type's own keys."""
    try:
        qtype.own_keys(question)
    except ValidationError as exc:
        allowed = [*Question.model_fields, *qtype.keys.model_fields]
        return [_pydantic_error(source, item, Question, path, allowed) for item in exc.errors()]
    return []


def _check_options(source, path, question, qtype, model) -> list[EditorError]:
    if qtype.options != "list":
        if question.options is not None:
            return [source.error("unexpected-options", path + ("options",), type=question.type)]
        return []
    if question.options is None:
        return [source.error("missing-options", path, type=question.type)]
    if isinstance(question.options, list):
        return source.duplicates("duplicate-option", path + ("options",), question.options)
    known = set(model.option_lists) | set(model.codelists)
    if question.options not in known:
        return [
            source.error(
                "unknown-option-list",
                path + ("options",),
                closest(question.options, known),
                name=question.options,
                known=_names(known),
            )
        ]
    return []


def _check_extra_options(source, path, question, qtype, model, shared) -> list[EditorError]:
    """Repeated extra options, and extra options the base options already hold."""
    where = path + ("extra_options",)
    errors = source.duplicates("duplicate-option", where, question.extra_options)
    origin, base = _base_options(question, qtype.options, model, shared)
    errors += [
        source.error("duplicate-option", where + (index,), value=value, first=origin)
        for index, value in enumerate(question.extra_options)
        if value in base
    ]
    return errors


def _base_options(question, kind, model, shared) -> tuple[str, Collection[str]]:
    """Where a question's options come from (for the message), and their values."""
    if kind in ("countries", "languages"):
        left_out = set(model.left_out_options.get(kind, ()))
        return _CLDR_WHERE[kind], [c for c in _cldr_codes(kind) if c not in left_out]
    if kind == "yes_no":
        return "among yes and no", YES_NO
    if isinstance(question.options, list):
        return "in 'options'", question.options
    if question.options in model.option_lists:
        return f"in option list '{question.options}'", model.option_lists[question.options]
    if question.options in shared.lists:
        return f"in code list '{question.options}'", shared.lists[question.options].values
    return "", ()


def _pattern_problem(pattern: str | None) -> str | None:
    """Why `pattern` is not a regular expression, or None when it is one (or absent)."""
    if pattern is None:
        return None
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


def _compile_expressions(source: YamlSource, questionnaire: Questionnaire) -> list[EditorError]:
    errors = []
    paths = dict(_question_paths(questionnaire.source))
    order = _positions(questionnaire.source)
    for qid, question in questionnaire.questions.items():
        in_scope = _names_in_scope(questionnaire, qid)
        if question.visible_if is not None:
            where = paths[qid] + ("visible_if",)
            expression, found = _compile(
                source, where, question.visible_if, in_scope, questionnaire
            )
            errors += found
            if expression:
                questionnaire.visible_if[qid] = expression
                errors += _triggers_after(source, where, qid, expression, order)
        for index, constraint in enumerate(question.constraints):
            where = paths[qid] + ("constraints", index, "check")
            expression, found = _compile(source, where, constraint.check, in_scope, questionnaire)
            errors += found
            if expression:
                questionnaire.checks.setdefault(qid, []).append((expression, constraint.message))
    return errors + _check_warnings(source, questionnaire)


def _check_warnings(source: YamlSource, questionnaire: Questionnaire) -> list[EditorError]:
    """Soft checks: their expressions, the questions they name, ids used once."""
    known, top = set(questionnaire.questions), _names_in_scope(questionnaire, "")
    errors, seen = [], {}
    for path, warning, _section in soft_checks.declared(questionnaire.source):
        errors += _compile(source, path + ("when",), warning.when, top, questionnaire)[1]
        errors += [
            source.error("unknown-question-in-warning", path + ("questions", i),
                         closest(qid, known), name=qid)
            for i, qid in enumerate(warning.questions) if qid not in known
        ]  # fmt: skip
        if warning.id in seen:
            errors.append(source.error("duplicate-warning", path + ("id",), name=warning.id,
                                       first=seen[warning.id]))  # fmt: skip
        seen.setdefault(warning.id, f"on line {source.line(path + ('id',))}")
    return errors


def _positions(model: QuestionnaireSource) -> dict[str, int | None]:
    """Each question's place in reading order; None for a repeated id (reported elsewhere)."""
    order: dict[str, int | None] = {}
    for index, (qid, _path) in enumerate(_question_paths(model)):
        order[qid] = None if qid in order else index
    return order


def _triggers_after(source, where, qid, expression, order) -> list[EditorError]:
    """A follow-up must come after every question its `visible_if` names (its triggers)."""
    return [
        source.error("follow-up-before-trigger", where, qid=qid, name=name)
        for name in sorted(expression.names)
        if None not in (order[qid], order.get(name)) and order[name] >= order[qid]
    ]


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


def _compile(source, path, text, in_scope, questionnaire: Questionnaire):
    """The parsed expression, or the errors; any(group, ...) brings the group's questions in."""
    try:
        expression = expressions.parse(text)
    except expressions.ExpressionError as exc:
        return None, [source.error("bad-expression", path, problem=str(exc))]
    groups = {g: questionnaire.questions.get(g) for g in expression.groups}
    not_groups = sorted(g for g, found in groups.items() if not (found and found.questions))
    if not_groups:
        return None, [source.error("not-a-group", path, name=name) for name in not_groups]
    in_scope = in_scope | {child.id for q in groups.values() for child in q.questions}
    unknown = sorted(expression.names - in_scope)
    if unknown:
        return None, [
            source.error("unknown-question-in-expression", path, closest(name, in_scope), name=name)
            for name in unknown
        ]
    return expression, []
