"""The JSON the API answers with: a mapping (its profile as a counsellor reads it, in Norwegian
Bokmål, built by adminui/profile.py, and its raw answers) and a changed mapping's summary."""

from datetime import datetime

from flask import url_for

from adminui.profile import EnteredBy, Profile, SectionView, Verified
from api.json_api import answers
from api.json_api.blueprint import LANGUAGE
from engine.app.deployment import label_languages
from engine.questionnaire.richtext import plain
from engine.responses.storage import Response
from renderers.html.review import Line


def mapping(found: Profile) -> dict:
    """Everything the staff profile shows of a mapping, and the answers as stored."""
    response, questionnaire = found.response, found.questionnaire
    return {
        "person_id": found.person.id,
        "name": found.person.full_name,
        **_facts(response, questionnaire.version),
        "title": plain(questionnaire.title(LANGUAGE).value),
        "answered_in": response.language,
        "mode": response.mode,
        "interviewer": found.interviewer,
        "profile": {"language": LANGUAGE, "sections": [_section(part) for part in found.sections]},
        "answers": answers.coded(questionnaire, response.answers, label_languages()),
        "links": links(found.person.id, response.questionnaire_id, found.has_cv),
    }


def changed(person_id: int, response: Response, version: int) -> dict:
    """A changed mapping in a list: no name, no DUF number, no answer."""
    return {
        "person_id": person_id,
        **_facts(response, version),
        "links": links(person_id, response.questionnaire_id, cv=None),
    }


def links(person_id: int, questionnaire_id: str, cv: bool | None) -> dict:
    """The mapping and its PDFs; the CV only when known to exist (None: not looked up)."""
    query = {"person_id": person_id, "questionnaire": questionnaire_id, "_external": True}
    found = {
        "mapping": url_for("json_api.person_mapping", **query),
        "pdf": url_for("json_api.mapping_pdf", **query),
    }
    if cv:
        found["cv"] = url_for("json_api.mapping_cv", **query)
    return found


def _facts(response: Response, version: int) -> dict:
    return {
        "questionnaire": response.questionnaire_id,
        "version": version,
        "state": response.state,
        "started_at": rfc3339(response.created_at),
        "updated_at": rfc3339(response.updated_at),
        "submitted_at": rfc3339(response.submitted_at),
    }


def _section(part: SectionView) -> dict:
    return {
        "id": part.summary.section.id,
        "title": plain(part.summary.title.first.value),
        "staff_only": part.staff_only,
        "answered": part.done,
        "filled_in": _entered(part.entered),
        "verification": _verified(part.verified),
        "checks": [{"message": flag.message, "question": flag.question} for flag in part.checks],
        "items": [_item(line) for line in part.summary.lines],
    }


def _item(line: Line) -> dict:
    """{question, answer} as the profile shows it; a group's entries and a question's rows
    hold items of their own; `written_in` names the language of free text."""
    item = {"question": plain(line.label.first.value)}
    if line.entries:
        item["entries"] = [[_item(inner) for inner in entry] for entry in line.entries]
    elif line.lines:
        item["items"] = [_item(inner) for inner in line.lines]
    else:
        item["answer"] = str(line.text)
        if line.text_lang:
            item["written_in"] = line.text_lang
    return item


def _entered(entered: EnteredBy | None) -> dict | None:
    if entered is None:
        return None
    return {
        "in_interview": entered.interview,
        "staff_name": entered.staff_name,
        "at": rfc3339(entered.at),
    }


def _verified(mark: Verified | None) -> dict | None:
    if mark is None:
        return None
    return {"state": mark.state, "staff_name": mark.staff_name, "at": rfc3339(mark.at),
            "note": mark.note}  # fmt: skip


def rfc3339(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
