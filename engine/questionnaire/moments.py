"""A moment as a language writes it: CLDR's medium date and short time, in the deployment's
time zone (`TIME_ZONE`)."""

from datetime import datetime

from babel.dates import format_date, format_time, get_datetime_format

from engine.app import deployment


def written(moment: datetime, locale: str) -> str:
    """E.g. 'Dec 6, 2026, 5:30 AM' (en), '6 груд. 2026 р., 05:30' (uk), in the app's time zone."""
    zone = deployment.time_zone()
    local = moment.astimezone(zone)
    day = format_date(local, "medium", locale=locale)
    time = format_time(local, "short", tzinfo=zone, locale=locale)
    return get_datetime_format("medium", locale=locale).replace("{1}", day).replace("{0}", time)
