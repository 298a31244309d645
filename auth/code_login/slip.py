"""The short instructions printed on a login-code slip, in the respondent's languages."""

from datetime import datetime

from flask import current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _

from engine.questionnaire import moments

# Unicode isolates keep an address or a date left-to-right inside right-to-left text.
LTR_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"


def _isolated(text: str) -> str:
    return f"{LTR_ISOLATE}{text}{POP_ISOLATE}"


def public_url() -> str:
    """The address respondents go to: `KOMPASS_PUBLIC_URL`, else this request's own root."""
    return current_app.config["KOMPASS_PUBLIC_URL"] or request.url_root


def texts(address: str, valid_to: datetime) -> dict[str, str]:
    """Call inside `force_locale(...)` to get the texts in that language."""
    until = _isolated(moments.written(valid_to, str(get_locale())))
    return {
        "title": _("Your login code for the competence mapping"),
        "step_address": _("Go to %(address)s", address=_isolated(address)),
        "step_language": _("Choose your language."),
        "step_login": _("Log in with your DUF number and the code on this paper."),
        "valid": _("The code is valid until %(until)s.", until=until),
        "keep": _("Keep the code to yourself. Ask the staff if it does not work."),
        "duf_label": _("DUF number"),
        "code_label": _("Your code"),
    }
