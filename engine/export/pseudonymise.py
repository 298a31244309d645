"""What a pseudonymised export shows of each response's facts (docs/privacy.md).

No time of day (dates, or years when the exporter also sees identified events), response ids
and persons as keyed hashes (so neither the id nor the row order tells when a response began),
and, for such exporters, no mode and at least `min_group` responses sharing every combination
of the columns an identified event log could be matched with.
"""

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TIMESTAMPS = ("created_at", "updated_at", "submitted_at")
LINKABLE = ("version", "state", "mode", *TIMESTAMPS)
DAY, YEAR = "day", "year"  # how precise a pseudonymised time is


def keyed(key: str, value: str) -> str:
    """A keyed hash: stable across exports, meaningless without the key."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()[:20]


class TooFewAlike(ValueError):
    """Some combination of linkable values is shared by fewer than `min_group` responses."""


@dataclass(frozen=True)
class Pseudonymiser:
    """`zone` is the deployment's time zone, in which dates are shown; `min_group` > 0 for an
    exporter who also sees identified events (the audit log)."""

    key: str
    zone: ZoneInfo
    min_group: int = 0

    def person(self, subject: str) -> str:
        return keyed(self.key, subject)

    @property
    def shows_marks(self) -> bool:
        """Verification marks are audited events an audit reader could match: not for them."""
        return not self.min_group

    def facts(self, facts: dict) -> dict:
        """The facts of one response as the export shows them."""
        precision = YEAR if self.min_group else DAY
        shown = dict(facts, response_id=keyed(self.key, f"response:{facts['response_id']}"))
        for name in TIMESTAMPS:
            shown[name] = _local(facts.get(name), self.zone, precision)
        if self.min_group:
            shown["mode"] = None
        return shown


def _local(moment: datetime | None, zone: ZoneInfo, precision: str) -> str | None:
    """The date (or year) in `zone` of a stored UTC time."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(zone)
    return local.date().isoformat() if precision == DAY else f"{local.year:04d}"


@dataclass
class GroupCheck:
    """Counts the responses per combination of linkable columns, as the rows are written."""

    columns: tuple[str, ...]
    min_group: int
    counts: Counter

    @classmethod
    def of(cls, extra_linkable: list[str], min_group: int) -> "GroupCheck":
        return cls((*LINKABLE, *extra_linkable), min_group, Counter())

    def add(self, row: dict) -> None:
        if self.min_group:
            self.counts[tuple(row.get(name) for name in self.columns)] += 1

    def verify(self) -> None:
        """Raise when any combination is rarer than `min_group`."""
        if self.counts and min(self.counts.values()) < self.min_group:
            raise TooFewAlike(f"fewer than {self.min_group} responses share some combination of "
                              f"{', '.join(self.columns)}")  # fmt: skip
