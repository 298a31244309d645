"""Turn what an analyst asked for (CLI options or a form) into export criteria."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from engine.export.filters import SubjectFilter
from engine.export.rows import Criteria
from engine.versions import published

STATES = ("submitted", "draft")
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)
MODES = ("self", "interview")


class InvalidRequest(ValueError):
    """A filter that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Asked:
    """`filters`: a value (or None) by the name of each plugin filter (`SubjectFilter`)."""

    questionnaire_id: str
    version: str = "all"
    states: tuple[str, ...] = ("submitted",)
    submitted_from: date | None = None
    submitted_to: date | None = None
    language: str | None = None
    mode: str | None = None
    filters: dict[str, str | None] = field(default_factory=dict)


def criteria(
    session: Session, asked: Asked, zone: ZoneInfo, filters: list[SubjectFilter]
) -> Criteria:
    """Criteria for the published versions asked for; dates are whole days in `zone` (the
    deployment's time zone), and `filters` are the plugins' (`kompass_export_filters`)."""
    versions = {
        row.version: row.id for row in published.published_versions(session, asked.questionnaire_id)
    }
    if asked.version != "all":
        if not asked.version.isdecimal() or int(asked.version) not in versions:
            raise InvalidRequest(
                f"version {asked.version} of {asked.questionnaire_id} is not published"
            )
        versions = {int(asked.version): versions[int(asked.version)]}
    if not versions:
        raise InvalidRequest(f"no version of {asked.questionnaire_id} is published")
    if not set(asked.states) <= set(STATES) or not asked.states:
        raise InvalidRequest(f"state must be one of {', '.join(STATES)}")
    if asked.mode is not None and asked.mode not in MODES:
        raise InvalidRequest(f"mode must be one of {', '.join(MODES)}")
    for day in (asked.submitted_from, asked.submitted_to):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise InvalidRequest(f"dates must lie between {FIRST_DAY} and {LAST_DAY}")
    return Criteria(
        questionnaire_id=asked.questionnaire_id,
        version_ids=versions,
        states=tuple(asked.states),
        submitted_from=_start_of(asked.submitted_from, zone),
        submitted_to=_start_of(asked.submitted_to + timedelta(days=1), zone)
        if asked.submitted_to
        else None,
        language=asked.language or None,
        mode=asked.mode or None,
        subject_conditions=_conditions(filters, asked.filters),
    )


def _conditions(filters: list[SubjectFilter], values: dict[str, str | None]) -> tuple:
    """The SQL condition of each filter given a value (an empty value filters nothing)."""
    known = {f.name: f for f in filters}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise InvalidRequest(f"no export filter is named {', '.join(unknown)}")
    return tuple(known[name].where(value) for name, value in values.items() if value)


def _start_of(day: date | None, zone: ZoneInfo) -> datetime | None:
    return datetime.combine(day, time(), zone) if day else None
