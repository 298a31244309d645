"""The respondent's log-in page: DUF number and code."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from auth.code_login import login, respondent_session
from auth.people import duf
from engine.app.context import db_session, kompass

blueprint = Blueprint("code_login", __name__, template_folder="templates")
DUF_EXAMPLE = Markup('<bdi dir="ltr">2020 0000 0000</bdi>')


@blueprint.route("/<lang>/login", methods=["GET", "POST"])
def login_page():
    if request.method == "GET":
        return render_template("code_login/login.html", errors={}, duf_value="")
    typed_duf = request.form.get("duf", "")[:40]
    typed_code = request.form.get("code", "")[:40]
    try:
        number = duf.normalise_typed(typed_duf)
    except duf.InvalidDuf:
        message = escape(_("The DUF number must be 12 digits, for example %(example)s.")) % {
            "example": DUF_EXAMPLE
        }
        return _again(typed_duf, {"duf": message})
    policy = login.Policy.from_config(current_app.config)
    client = request.remote_addr or ""
    outcome, person = login.attempt(db_session(), number, typed_code, client, policy)
    if outcome is login.Outcome.SUBMITTED:
        return render_template("code_login/already_submitted.html")
    if outcome is login.Outcome.FAILED:
        message = _(
            "We could not log you in. Check the DUF number and the code. "
            "If it still does not work, ask the staff for a new code."
        )
        return _again(typed_duf, {"code": message})
    questionnaire_id = login.questionnaire_of(person)
    respondent_session.sign_in(person, questionnaire_id)
    kompass().plugins.hook.kompass_respondent_signed_in(session=db_session(),
                                                        subject=person.subject)  # fmt: skip
    return redirect(url_for("respondent.form_start", questionnaire=questionnaire_id))


def _again(typed_duf: str, errors: dict):
    body = render_template("code_login/login.html", errors=errors, duf_value=typed_duf)
    return body, 422
