"""A moment as a language writes it: CLDR's medium date and short time, in Norwegian time."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_datetime_format

OSLO = ZoneInfo("Europe/Oslo")


def written(moment: datetime, locale: str) -> str:
    """E.g. '6. des. 2026, 05:30' (nb), '6 груд. 2026 р., 05:30' (uk), in Oslo time."""
    local = moment.astimezone(OSLO)
    day = format_date(local, "medium", locale=locale)
    time = format_time(local, "short", tzinfo=OSLO, locale=locale)
    return get_datetime_format("medium", locale=locale).replace("{1}", day).replace("{0}", time)
