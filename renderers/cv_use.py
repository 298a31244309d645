"""What the CV reads from a questionnaire: `uses: cv:` in questionnaire.yaml.

The CV's parts are Europass's (personal data, work, education, languages, digital skills,
driving licence) and their field names are interface strings (renderers/cv.py); which question
answers each field, and which answer means "still going on", is the questionnaire's to say.
A part left out, or a field left out of a part, is not on the CV.
"""

from pydantic import BaseModel, ConfigDict

from engine.definition.model import OptionValue
from engine.definition.uses import Choice, Group, Question, Rows, Use

KEY = "cv"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answer(_Strict):
    """A question and the answer that makes something true (e.g. "still working there")."""

    question: Choice
    value: OptionValue


class Entries(_Strict):
    """A part with one CV entry per entry of a repeatable group (`entries`)."""

    entries: Group
    title: Question | None = None
    country: Question | None = None
    start_year: Question | None = None
    end_year: Question | None = None
    ongoing: Answer | None = None


class Work(Entries):
    type_of_work: Question | None = None
    workplace: Question | None = None
    employment: Question | None = None
    main_tasks: Question | None = None


class Education(Entries):
    level: Question | None = None
    field: Question | None = None
    status: Question | None = None
    papers: Question | None = None


class Level(_Strict):
    """A language with a self-assessed level per skill (`question`, a scale): a fixed language
    (`language`, a code of `Languages.named_by`) or one per entry of a group (`entries`, the
    language in `language_from`)."""

    question: Rows
    language: OptionValue | None = None
    entries: Group | None = None
    language_from: Choice | None = None


class Languages(_Strict):
    mother_tongue: Question | None = None
    named_by: Choice
    levels: list[Level] = []
    bands: dict[OptionValue, str] = {}  # a level's CEFR band, e.g. good: B1–B2


class Digital(_Strict):
    devices: Question | None = None
    tasks: Rows | None = None


class Licence(_Strict):
    holds: Answer
    categories: Question | None = None
    country: Question | None = None
    years: Question | None = None


class Cv(_Strict):
    citizenship: Question | None = None
    work: Work | None = None
    education: Education | None = None
    languages: Languages | None = None
    digital: Digital | None = None
    licence: Licence | None = None


USE = Use(KEY, Cv)
