"""How the staff UI shows dates, ages, countries and statuses (Norwegian conventions)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import current_app, g, url_for

from adminui.i18n import lazy_gettext as _l
from auth.people import municipalities
from auth.staff import access, audit, roles
from auth.staff.session import current_user
from engine.definition import cldr
from engine.questionnaire.richtext import rich

OSLO = ZoneInfo("Europe/Oslo")

CODE_STATUS = {
    "valid": _l("Valid"),
    "expired": _l("Expired"),
    "replaced": _l("Replaced"),
    "submitted": _l("Form submitted"),
}
ROLE_LABELS = {
    roles.KOMMUNEADMIN: _l("Municipal administrator"),
    roles.BOSETTING: _l("Settlement municipality competence mapping"),
    roles.VERTSKOMMUNE: _l("Host municipality competence mapping"),
    roles.SYSTEMADMIN: _l("System administrator"),
    roles.ANALYTIKER: _l("Analyst"),
    roles.INNHOLDSREDAKTOR: _l("Content editor"),
}
GENDER = {"kvinne": _l("Woman"), "mann": _l("Man"), "annet": _l("Other")}
RESIDENCE = {"mottak": _l("Reception centre"), "bosatt": _l("Settled")}


def timestamp(moment: datetime | None) -> str:
    """17.02.2021 00:10:18, in Norwegian time."""
    if moment is None:
        return ""
    return format_datetime(moment, "dd.MM.yyyy HH:mm:ss", tzinfo=OSLO, locale="nb")


def country(code: str | None) -> str:
    if not code:
        return ""
    return cldr.country_name(code, cldr.babel_locale(g.get("staff_lang", "nb"))) or code


def register(app) -> None:
    """Filters and globals the staff templates use."""
    app.jinja_env.filters.update(
        timestamp=timestamp, country=country, municipality_label=municipalities.label, rich=rich
    )
    app.jinja_env.globals.update(
        staff_user=current_user,
        can_search=access.can_search_persons,
        can_manage=access.can_manage_any_users,
        can_export=access.can_export,
        can_see_statistics=access.can_see_statistics,
        can_edit_content=access.can_edit_content,
        can_erase=access.can_erase_persons,
        role_label=lambda role: ROLE_LABELS.get(role, role),
        gender_label=lambda value: GENDER.get(value or "", ""),
        residence_label=lambda value: RESIDENCE.get(value or "", ""),
        code_status=lambda value: CODE_STATUS.get(value, value),
        audit_actions=audit.ACTIONS,
        fonts_css=fonts_css,
    )


def fonts_css() -> str | None:
    """The shipped Ge'ez and Arabic fonts of the respondent pages, when they are served."""
    if "respondent" not in current_app.blueprints:
        return None
    return url_for("respondent.static", filename="fonts.css")
