"""Who is answering in this request, as told by a login plugin."""

from dataclasses import dataclass

SELF = "self"
INTERVIEW = "interview"


@dataclass(frozen=True)
class Respondent:
    """Whose answers these are (`subject`, without personal data, e.g. 'person:12') and how given.

    `mode` is 'self' or 'interview'; in an interview `entered_by` names the staff user,
    `include_staff` shows staff-only sections, and `exit_url` is where "Log out" returns to.
    `questionnaire_id` is the questionnaire they answer (None: the default one).
    """

    subject: str
    mode: str = SELF
    entered_by: str | None = None
    include_staff: bool = False
    exit_url: str | None = None
    questionnaire_id: str | None = None
