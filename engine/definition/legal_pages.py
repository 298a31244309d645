"""Legal pages (accessibility statement, privacy notice): `legal/<lang>/<page>.yaml`, one file
per page and language, checked like every editor's file (`kompass questionnaire check`).

A text may name a setting in braces (`{organisation}`, `{email}`, the retention periods); the
page fills it in. Texts may hold the small formatting questionnaire texts may (richtext.py).
"""

import string
from datetime import date
from pathlib import Path

from pydantic import Field, ValidationError

from engine.definition.error_catalogue import closest, editor_error
from engine.definition.errors import EditorError, QuestionnaireError
from engine.definition.loader import pydantic_errors
from engine.definition.model import Strict
from engine.definition.yamlsource import YamlSource, read_yaml

FOLDER = "legal"
PAGES = ("accessibility", "privacy")
PLACEHOLDERS = frozenset({"organisation", "email", "mapped_years", "unmapped_years", "code_days"})


class Meta(Strict):
    language: str
    machine_translated: bool = False


class Deviation(Strict):
    """A known shortcoming: what, since when, and what will be done."""

    problem: str
    since: date
    plan: str


class Part(Strict):
    heading: str
    text: str = ""  # paragraphs, separated by an empty line
    items: list[str] = Field(default_factory=list)
    deviations: list[Deviation] = Field(default_factory=list)


class LegalPage(Strict):
    meta: Meta
    title: str
    updated: date
    sections: list[Part] = Field(min_length=1)

    def paragraphs(self, part: Part) -> list[str]:
        return [p.strip() for p in part.text.split("\n\n") if p.strip()]


def path_of(root: Path, lang: str, page: str) -> Path:
    return root / FOLDER / lang / f"{page}.yaml"


def read(file: Path) -> tuple[LegalPage | None, list[EditorError]]:
    """The page in `file` and its errors (a page with errors is None)."""
    try:
        source = read_yaml(file)
        page = LegalPage.model_validate(source.data)
    except QuestionnaireError as exc:
        return None, exc.errors
    except ValidationError as exc:
        return None, pydantic_errors(source, exc, LegalPage)
    errors = _meta_errors(source, page, file) + _placeholder_errors(source, page)
    return (None if errors else page), errors


def check(root: Path) -> list[EditorError]:
    """Every error of every legal page under `root` (the questionnaires folder)."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    errors = []
    for file in sorted(folder.glob("*/*")):
        if file.suffix != ".yaml" or file.stem not in PAGES:
            errors.append(_unknown_file(file))
            continue
        errors += read(file)[1]
    return errors


def _unknown_file(file: Path) -> EditorError:
    return editor_error(
        "legal-unknown-file", file, suggestion=closest(file.stem, PAGES),
        pages=", ".join(f"{p}.yaml" for p in PAGES),
    )  # fmt: skip


def _meta_errors(source: YamlSource, page: LegalPage, file: Path) -> list[EditorError]:
    tag = file.parent.name
    if page.meta.language == tag:
        return []
    found = page.meta.language
    return [source.error("legal-language-mismatch", ("meta", "language"), found=found, tag=tag)]


def _placeholder_errors(source: YamlSource, page: LegalPage) -> list[EditorError]:
    errors = []
    for path, text in _texts(page):
        problem = _placeholder_problem(text)
        if problem:
            allowed = ", ".join(sorted(PLACEHOLDERS))
            near = closest(problem, PLACEHOLDERS)
            errors.append(
                source.error("legal-placeholder", path, near, name=problem, allowed=allowed)
            )
    return errors


def _texts(page: LegalPage):
    """(YAML path, text) of every text of the page."""
    yield ("title",), page.title
    for index, part in enumerate(page.sections):
        at = ("sections", index)
        yield (*at, "heading"), part.heading
        yield (*at, "text"), part.text
        for number, item in enumerate(part.items):
            yield (*at, "items", number), item
        for number, deviation in enumerate(part.deviations):
            yield (*at, "deviations", number, "problem"), deviation.problem
            yield (*at, "deviations", number, "plan"), deviation.plan


def _placeholder_problem(text: str) -> str | None:
    """The first name in braces that is no setting ('{' for a lone brace), or None."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return "{"
    return next((name for name in names if name not in PLACEHOLDERS), None)


def filled(text: str, values: dict[str, str]) -> str:
    """`text` with its settings filled in (a checked text; anything else is left as it is)."""
    if _placeholder_problem(text):
        return text
    return text.format_map(values)
