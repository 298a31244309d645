"""The verification columns of an export: one per section, `verified_<section id>`, holding
`gone_through`, `needs_follow_up` or nothing. Who verified is never exported."""

from collections.abc import Sequence

from engine.export import layout as layouts  # imports this module: names are read late
from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.richtext import plain
from engine.responses import verification
from engine.translation.staff_texts import staff_labels

PREFIX = "verified_"


def value_labels(languages: Sequence[str]) -> tuple[tuple[str, dict[str, str]], ...]:
    """The columns' values, each with its labels in `languages`."""
    return (
        (verification.GONE_THROUGH, staff_labels("Gone through with the person", languages)),
        (verification.NEEDS_FOLLOW_UP, staff_labels("Needs follow-up", languages)),
    )


def columns(
    questionnaires: list[Questionnaire], languages: Sequence[str]
) -> list["layouts.Column"]:
    """One column per section of any of these versions (oldest first), in section order,
    labelled in `languages`."""
    found: dict[str, layouts.Column] = {}
    prefixed = staff_labels("Verified: %(section)s", languages)
    for questionnaire in sorted(questionnaires, key=lambda q: q.version):
        for section in questionnaire.sections(include_staff=True):
            label = {
                lang: text % {"section": plain(questionnaire.section_title(section, lang).value)}
                for lang, text in prefixed.items()
            }
            column = layouts.Column(
                f"{PREFIX}{section.id}", layouts.STRING, label=label,
                values=value_labels(languages), versions=(questionnaire.version,),
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
