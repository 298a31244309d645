"""Errors for content editors: a stable code, the file, the YAML path, and how to fix it.

Build them with `engine.definition.error_catalogue.editor_error`, which holds every code and its
advice.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class EditorError:
    code: str
    file: Path
    path: str
    message: str
    hint: str
    line: int | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        location = f" at {self.path}" if self.path else ""
        near = f"did you mean '{self.suggestion}'? " if self.suggestion else ""
        return f"{where}{location}: {self.message} [{self.code}]\n    how to fix: {near}{self.hint}"


class QuestionnaireError(Exception):
    """Raised when questionnaire files cannot be loaded; carries every error found."""

    def __init__(self, errors: list[EditorError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
