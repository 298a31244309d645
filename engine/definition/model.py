"""The typed tree a questionnaire.yaml is parsed into (pydantic models)."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
CldrKind = Literal["countries", "languages"]
OptionValue = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
ImageFile = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.svg$", max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Constraint(Strict):
    check: str
    message: Identifier


class Question(Strict):
    """A question; keys beyond these are its type's own (`QuestionType.keys`, checked by the
    loader against the type's model)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: Identifier
    type: str
    required: bool = False
    visible_if: str | None = None
    constraints: list[Constraint] = []
    options: Identifier | list[OptionValue] | None = None
    extra_options: list[OptionValue] = []
    rows: list[Identifier] = []
    min: int | None = None
    max: int | None = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    pattern: str | None = None
    min_choices: int | None = Field(default=None, ge=0)
    max_choices: int | None = Field(default=None, ge=1)
    min_entries: int | None = Field(default=None, ge=0)
    max_entries: int | None = Field(default=None, ge=1)
    questions: list["Question"] = []

    def walk(self):
        """This question and every question nested in it."""
        yield self
        for child in self.questions:
            yield from child.walk()


class SoftWarning(Strict):
    """A non-blocking consistency check: shown when `when` is definitely true."""

    id: Identifier
    when: str
    message: Identifier
    questions: list[Identifier] = Field(min_length=1)


class Section(Strict):
    id: Identifier
    audience: Literal["all", "staff"] = "all"
    questions: list[Question]
    warnings: list[SoftWarning] = []


class QuestionnaireSource(Strict):
    id: Identifier
    version: int = Field(ge=1)
    source_language: str
    title: Identifier = "title"
    codelists: list[Identifier] = []
    option_lists: dict[Identifier, list[OptionValue]] = {}
    # Option lists and code lists whose values are ranked, lowest first (levels of skill or of
    # education): an answer from one is ordinal in SPSS, like a scale's rows
    ordered_lists: list[Identifier] = []
    # Per CLDR list ("countries", "languages"): values offered first, in this order ...
    first_options: dict[CldrKind, list[OptionValue]] = {}
    # ... and CLDR values never offered.
    left_out_options: dict[CldrKind, list[OptionValue]] = {}
    # A picture beside a text: "sections.<id>", "options.<list>.<value>" or
    # "questions.<id>.rows.<row>" -> a file in images/ (engine/definition/media_images.py)
    images: dict[str, ImageFile] = {}
    # Interface strings that may be spoken: a stable key -> the string's English source text
    # (msgid of questionnaires/interface/messages.pot); clips at audio/<lang>/interface.<key>.ogg
    interface_texts: dict[Identifier, str] = {}
    sections: list[Section] = Field(min_length=1)
    warnings: list[SoftWarning] = []
    # What other parts read, by use ("cv", "statistics"): each use's plugin gives the model of its
    # entry and the questions it names, checked when the version is loaded
    # (engine/definition/uses.py)
    uses: dict[Identifier, Any] = {}


class Codelist(Strict):
    id: Identifier
    source: str
    description: str | None = None
    values: list[OptionValue] = Field(min_length=1)
