"""Shared steps of the respondent's pages: who is answering, their response, the language pair."""

from dataclasses import dataclass

from flask import g, redirect, request, session

from engine import storage
from engine.context import db_session, kompass
from engine.i18n import find
from engine.questionnaire import Questionnaire
from engine.respondent import Respondent
from engine.storage import Response

BESIDE_KEY = "beside_language"


@dataclass
class Current:
    respondent: Respondent
    questionnaire: Questionnaire
    response: Response

    def sections(self):
        """The sections this respondent sees: staff-only ones only in an interview."""
        return self.questionnaire.sections(include_staff=self.respondent.include_staff)


def current() -> Current | None:
    """The logged-in respondent with their response (started if new), or None."""
    state = kompass()
    respondent = state.plugins.hook.kompass_current_respondent()
    if respondent is None:
        return None
    active = state.registry.active()
    response = storage.find_or_start(db_session(), respondent.subject, active, g.lang)
    questionnaire = state.registry.get(response.questionnaire_id, response.questionnaire_version)
    return Current(respondent, questionnaire or active, response)


def to_login():
    return redirect(kompass().plugins.hook.kompass_login_url(lang=g.lang))


def beside_language() -> str | None:
    """The second language shown beside the first ("Translate form"), kept in the session."""
    if "beside" in request.args:
        chosen = request.args.get("beside", "")
        session[BESIDE_KEY] = chosen if find(chosen) else None
    chosen = session.get(BESIDE_KEY)
    return chosen if chosen and chosen != g.lang else None
