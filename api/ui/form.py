"""The form that makes a token: name, scope and expiry date, checked on the server."""

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from adminui.i18n import gettext as _
from api.tokens.models import FORM_ID_LONGEST, NAME_LONGEST

DEFAULT_DAYS = 90
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")  # the date input's value; typed in Norwegian
FORM_ID = re.compile(rf"[A-Za-z0-9_-]{{16,{FORM_ID_LONGEST}}}")


@dataclass
class Reading:
    """What was typed (shown again), the errors by field id, and the expiry moment if valid."""

    typed: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    expires_at: datetime | None = None


def blank(today: date) -> dict[str, str]:
    """The empty form's values: no name, the only scope if one, expiry in `DEFAULT_DAYS`, and
    the form's own random id (sent again by a reload, it makes no second token)."""
    expires = (today + timedelta(days=DEFAULT_DAYS)).isoformat()
    return {"name": "", "scope": "", "expires": expires, "form_id": _new_form_id()}


def read(form, scopes: list[str], today: date, longest: int, zone: ZoneInfo) -> Reading:
    """The posted form checked against the user's `scopes` and the longest validity in days."""
    typed = {key: form.get(key, "")[:200].strip() for key in ("name", "scope", "expires")}
    form_id = form.get("form_id", "")
    typed["form_id"] = form_id if FORM_ID.fullmatch(form_id) else _new_form_id()
    reading = Reading(typed)
    if not typed["name"]:
        reading.errors["name"] = _("Give the token a name.")
    elif len(typed["name"]) > NAME_LONGEST:
        reading.errors["name"] = _("The name can be at most %(count)s characters.",
                                   count=NAME_LONGEST)  # fmt: skip
    if typed["scope"] not in scopes:
        reading.errors["scope"] = _("Choose what the token may read.")
    day = _date(typed["expires"])
    last = today + timedelta(days=longest)
    if day is None:
        reading.errors["expires"] = _("Write the expiry date as a date, for example 31.12.2027.")
    elif day < today:
        reading.errors["expires"] = _("The expiry date cannot be in the past.")
    elif day > last:
        reading.errors["expires"] = _(
            "A token can be valid for at most %(days)s days, until %(last)s.",
            days=longest, last=last.strftime("%d.%m.%Y"),
        )  # fmt: skip
    else:
        reading.expires_at = end_of(day, zone)
    return reading


def _new_form_id() -> str:
    return secrets.token_urlsafe(24)


def end_of(day: date, zone: ZoneInfo) -> datetime:
    """The last second of `day` in the deployment's time zone: the token is valid all that day,
    and the pages show the day chosen."""
    return datetime.combine(day, time(23, 59, 59), zone)


def _date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
