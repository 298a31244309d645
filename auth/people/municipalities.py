"""Norway's municipalities, from Statistics Norway's classification (shipped as data/)."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "municipalities.csv"


@dataclass(frozen=True)
class Municipality:
    number: str
    name: str
    county: str

    @property
    def label(self) -> str:
        """As staff know it: 'Bergen (4601)'."""
        return f"{self.name} ({self.number})"


@cache
def all_municipalities() -> dict[str, Municipality]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["number"]: Municipality(**row) for row in csv.DictReader(handle)}


def find(number: str | None) -> Municipality | None:
    return all_municipalities().get(number or "")


def label(number: str | None) -> str:
    municipality = find(number)
    return municipality.label if municipality else "—"
