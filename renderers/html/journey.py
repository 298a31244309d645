"""Shared steps of the respondent's pages: who is answering, their response, the language pair."""

from dataclasses import dataclass

from flask import abort, g, redirect, request, session

from engine.app.context import kompass, lifecycle
from engine.app.i18n import find
from engine.questionnaire.loaded import Questionnaire
from engine.responses.lifecycle import Opened
from engine.responses.respondent import Respondent
from engine.responses.storage import Response

BESIDE_KEY = "beside_language"


@dataclass
class Current:
    respondent: Respondent
    opened: Opened

    @property
    def questionnaire(self) -> Questionnaire:
        return self.opened.questionnaire

    @property
    def response(self) -> Response:
        return self.opened.response

    def sections(self):
        """The sections this respondent sees: staff-only ones only in an interview."""
        return self.questionnaire.sections(include_staff=self.respondent.include_staff)


def current() -> Current | None:
    """The logged-in respondent with their response (started if new), or None.

    Raises `VersionUnavailable` when no version can be served (shown as its own page).
    """
    respondent = kompass().plugins.hook.kompass_current_respondent()
    if respondent is None:
        return None
    answers = respondent.questionnaire_id or kompass().registry.active_id
    if g.get("questionnaire_id", answers) != answers:
        abort(404)
    g.questionnaire_id = answers
    return Current(respondent, lifecycle().open(respondent.subject, g.lang, answers))


def to_login():
    return redirect(kompass().plugins.hook.kompass_login_url(lang=g.lang))


def beside_language() -> str | None:
    """The second language shown beside the first ("Translate form"), kept in the session."""
    if "beside" in request.args:
        chosen = request.args.get("beside", "")
        session[BESIDE_KEY] = chosen if find(chosen) else None
    chosen = session.get(BESIDE_KEY)
    return chosen if chosen and chosen != g.lang else None
