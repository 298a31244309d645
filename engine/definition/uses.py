"""What plugins read from a questionnaire: `uses:` in questionnaire.yaml, one entry per use.

A use (the CV, the statistics tables) belongs to a plugin, through the `kompass_questionnaire_uses`
hook: its key under `uses:` and the pydantic model of its entry, whose fields that name
questions are marked with their kind (`Group`, `Rows`, `Choice`, ...). Loading a version for
`check` or `publish` checks every entry against its model and every named question against the
version, so renaming a question without its uses fails at the place that names it. No question
id lives in code: the plugin reads its entry with `read`.
"""

from dataclasses import dataclass
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ValidationError

from engine.definition.error_catalogue import closest
from engine.definition.errors import EditorError
from engine.definition.model import Identifier
from engine.definition.yamlsource import YamlSource
from engine.questionnaire.loaded import Questionnaire

FIELD = "uses"
Kind = Literal["any", "group", "rows", "choice", "choices"]


@dataclass(frozen=True)
class Names:
    """Marks a field of a use's model as naming a question of `kind`: `Annotated[Identifier,
    Names("rows")]`. A field marked "group" makes the model's other questions that group's."""

    kind: Kind = "any"


Question = Annotated[Identifier, Names()]
Group = Annotated[Identifier, Names("group")]
Rows = Annotated[Identifier, Names("rows")]
Choice = Annotated[Identifier, Names("choice")]
Choices = Annotated[Identifier, Names("choices")]


@dataclass(frozen=True)
class Reference:
    """A question an entry names: at `path` in the entry, of `kind`, inside group `within`
    (None: outside every group; "*": anywhere)."""

    path: tuple
    question: str
    kind: Kind = "any"
    within: str | None = "*"


@dataclass(frozen=True)
class Use:
    """A plugin's use of questionnaires: its key under `uses:` and the model of its entry."""

    key: str
    model: type[BaseModel]


def references(entry: BaseModel, path: tuple = (), within: str | None = "*") -> list[Reference]:
    """Every question the entry names (its fields marked with `Names`), nested models too."""
    fields = type(entry).model_fields
    group = next((getattr(entry, name) for name, info in fields.items()
                  if _kind(info) == "group" and getattr(entry, name)), None)  # fmt: skip
    found: list[Reference] = []
    for name, info in fields.items():
        value, kind = getattr(entry, name), _kind(info)
        if kind is not None and value is not None:
            inside = None if kind == "group" else (group or within)
            found.append(Reference((*path, name), value, kind, inside))
        for index, item in _models(value):
            found += references(item, (*path, name, *index), group or within)
    return found


def _kind(info) -> Kind | None:
    """The `Names` mark of a field, also when it may be left out (`Question | None`)."""
    marks = [*info.metadata, *(m for arg in get_args(info.annotation) for m in _metadata(arg))]
    return next((mark.kind for mark in marks if isinstance(mark, Names)), None)


def _metadata(annotation: object) -> tuple:
    return getattr(annotation, "__metadata__", ())


def _models(value: object) -> list[tuple[tuple, BaseModel]]:
    if isinstance(value, BaseModel):
        return [((), value)]
    if isinstance(value, list):
        return [((index,), item) for index, item in enumerate(value) if isinstance(item, BaseModel)]
    return []


def read(questionnaire: Questionnaire, use: Use) -> BaseModel | None:
    """The version's entry for `use`, as its model (None: the version declares none)."""
    raw = questionnaire.source.uses.get(use.key)
    if raw is None:
        return None
    return questionnaire.memo.get((FIELD, use.key), lambda: use.model.model_validate(raw))


def errors(source: YamlSource, questionnaire: Questionnaire, uses: dict[str, Use]) -> list:
    """An error for each entry no plugin reads, that breaks its model or names a wrong question."""
    found: list[EditorError] = []
    for key, raw in questionnaire.source.uses.items():
        use = uses.get(key)
        if use is None:
            known = ", ".join(sorted(uses)) or "none"
            suggestion = closest(key, list(uses))
            found.append(
                source.error("use-unknown", (FIELD, key), suggestion, key=key, known=known)
            )
            continue
        try:
            entry = use.model.model_validate(raw)
        except ValidationError as exc:
            found += _model_errors(source, key, exc, use.model)
            continue
        found += [_reference_error(source, key, ref, questionnaire) for ref in references(entry)]
    return [error for error in found if error is not None]


def _model_errors(source: YamlSource, key: str, exc: ValidationError, model) -> list:
    from engine.definition.loader import pydantic_errors  # the loader imports this module

    return pydantic_errors(_Nested(source, (FIELD, key)), exc, model)


class _Nested:
    """The file seen from inside `uses.<key>`, so the model's error paths get their place."""

    def __init__(self, source: YamlSource, prefix: tuple):
        self.source, self.prefix = source, prefix

    def error(self, code: str, path: tuple, suggestion=None, **fields) -> EditorError:
        return self.source.error(code, (*self.prefix, *path), suggestion, **fields)


def _reference_error(source: YamlSource, key: str, ref: Reference, questionnaire: Questionnaire):
    path = (FIELD, key, *ref.path)
    question = questionnaire.questions.get(ref.question)
    if question is None:
        return source.error("use-question-unknown", path,
                            closest(ref.question, list(questionnaire.questions)),
                            use=key, question=ref.question)  # fmt: skip
    if not _is_kind(questionnaire, question, ref.kind):
        return source.error("use-question-kind", path, None, use=key, question=ref.question,
                            kind=KIND_NAMES[ref.kind])  # fmt: skip
    group = questionnaire.group_of.get(ref.question)
    if ref.within != "*" and group != ref.within:
        where = f"in the group '{ref.within}'" if ref.within else "outside every group"
        return source.error("use-question-place", path, None, use=key, question=ref.question,
                            where=where)  # fmt: skip
    return None


KIND_NAMES = {
    "any": "any question",
    "group": "a repeatable group",
    "rows": "a question with rows (a scale)",
    "choice": "a question with one choice",
    "choices": "a question with several choices",
}


def _is_kind(questionnaire: Questionnaire, question, kind: Kind) -> bool:
    qtype = questionnaire.types[question.type]
    several = has_several_answers(questionnaire, question)
    return {
        "any": True,
        "group": qtype.has_children,
        "rows": qtype.has_rows,
        "choice": qtype.options is not None and not qtype.has_rows and not several,
        "choices": qtype.options is not None and several,
    }[kind]


def has_several_answers(questionnaire: Questionnaire, question) -> bool:
    """Whether the question's answer is a list (several choices), by its type's JSON Schema."""
    schema = questionnaire.types[question.type].value_schema(question, [])
    return schema.get("type") == "array"
