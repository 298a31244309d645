"""What the engine takes from the deployment's settings instead of knowing it: the time zone
people read and give dates in, and the languages of staff-facing labels (`TIME_ZONE` and
`LABEL_LANGUAGES`, engine/app/config.py)."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app


class InvalidSetting(ValueError):
    """A setting the engine cannot use; the message names it and says what it needs."""


def zone(setting: str) -> ZoneInfo:
    """The time zone an IANA name (`TIME_ZONE`) names."""
    try:
        return ZoneInfo(setting.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidSetting(
            f"KOMPASS_TIME_ZONE {setting!r} is not a time zone: give an IANA name such as "
            "Europe/Berlin"
        ) from exc


def languages(setting: str) -> tuple[str, ...]:
    """The language tags of a comma-separated list (`LABEL_LANGUAGES`), main language first."""
    found = tuple(dict.fromkeys(tag.strip() for tag in setting.split(",") if tag.strip()))
    if not found:
        raise InvalidSetting("KOMPASS_LABEL_LANGUAGES is empty: give one language tag or more")
    return found


def check(settings: dict) -> None:
    """Stop start-up on a time zone or a language list the engine cannot use."""
    zone(settings["TIME_ZONE"])
    languages(settings["LABEL_LANGUAGES"])


def time_zone() -> ZoneInfo:
    """The running app's time zone."""
    return zone(current_app.config["KOMPASS_TIME_ZONE"])


def label_languages() -> tuple[str, ...]:
    """The running app's label languages, main language first."""
    return languages(current_app.config["KOMPASS_LABEL_LANGUAGES"])
