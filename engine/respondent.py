"""Who is answering in this request, as told by the login plugin."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Respondent:
    """`subject` identifies whose answers these are, without personal data (e.g. 'person:12')."""

    subject: str
    mode: str = "self"
    entered_by: str | None = None
