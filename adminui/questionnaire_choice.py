"""Which questionnaire a staff page is about: `questionnaire` in its query string or form.

Without it a page is about the default questionnaire (`ACTIVE_QUESTIONNAIRE`), as before there
were several. A value that names no served questionnaire is a 404, whoever asks.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from flask import abort

from engine.app.context import db_session, kompass
from engine.questionnaire.richtext import plain

FIELD = "questionnaire"


@dataclass(frozen=True)
class Option:
    id: str
    title: str


def asked(values: Mapping[str, str], known: list[str] | None = None) -> str | None:
    """The questionnaire the request names (None: it names none); 404 for one not among
    `known` (default: the served ones)."""
    if FIELD not in values:
        return None
    value = values.get(FIELD)
    if value not in (served() if known is None else known):
        abort(404)
    return value


def chosen(values: Mapping[str, str], known: list[str] | None = None) -> str:
    """The questionnaire the request names, else the default one (or the first `known`)."""
    named = asked(values, known)
    if named is not None:
        return named
    return default() if not known or default() in known else known[0]


def default() -> str:
    return kompass().registry.active_id


def served() -> list[str]:
    """Every questionnaire with a published version, the default first."""
    return kompass().registry.served_ids(db_session())


def link(questionnaire_id: str) -> dict[str, str]:
    """The query argument that names a questionnaire in a link; none for the default."""
    return {} if questionnaire_id == default() else {FIELD: questionnaire_id}


def options(lang: str, known: list[str] | None = None) -> list[Option]:
    """The questionnaires (default: the served ones), the default first, with their titles in
    `lang`; one never published is named by its id."""
    registry, session = kompass().registry, db_session()
    ids = served() if known is None else sorted(known, key=lambda qid: (qid != default(), qid))
    found = []
    for questionnaire_id in ids:
        newest = registry.active(session, questionnaire_id)
        title = plain(newest.title(lang).value) if newest else questionnaire_id
        found.append(Option(questionnaire_id, title))
    return found
