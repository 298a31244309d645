"""The verification columns of an export: one per section, `verified_<section id>`, holding
`gone_through`, `needs_follow_up` or nothing. Who verified is never exported."""

from engine import verification
from engine.export import layout as layouts  # imports this module: names are read late
from engine.questionnaire import Questionnaire
from engine.richtext import plain

PREFIX = "verified_"
VALUES = (
    (verification.GONE_THROUGH,
     {"nb": "Gått gjennom med personen", "en": "Gone through with the person"}),
    (verification.NEEDS_FOLLOW_UP, {"nb": "Må følges opp", "en": "Needs follow-up"}),
)  # fmt: skip


def columns(questionnaires: list[Questionnaire]) -> list["layouts.Column"]:
    """One column per section of any of these versions (oldest first), in section order."""
    found: dict[str, layouts.Column] = {}
    for questionnaire in sorted(questionnaires, key=lambda q: q.version):
        for section in questionnaire.sections(include_staff=True):
            label = {
                lang: f"{prefix}: {plain(questionnaire.section_title(section, lang).value)}"
                for lang, prefix in (("nb", "Verifisert"), ("en", "Verified"))
            }
            column = layouts.Column(
                f"{PREFIX}{section.id}", layouts.STRING, label=label, values=VALUES,
                versions=(questionnaire.version,),
            )  # fmt: skip
            known = found.get(column.name)
            found[column.name] = known.merged(column) if known else column
    return list(found.values())


def values(session, response_ids: list[int]) -> dict[int, dict[str, str]]:
    """Per response id, its verification columns' values."""
    states = verification.current_states(session, response_ids)
    return {
        response_id: {f"{PREFIX}{section}": state for section, state in sections.items()}
        for response_id, sections in states.items()
    }
