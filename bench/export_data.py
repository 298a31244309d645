"""What the export benchmark inserts: answers generated from a version's JSON Schema, and a
person registry like a real one (every response's subject a person, spread over the country's
municipalities, some in reception centres), written through the people plugin's tables."""

import random
from datetime import date, timedelta

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from auth.people import municipalities
from auth.people.models import BOSATT, GENDERS, MOTTAK, SUBJECT_PREFIX, Person, ReceptionCentre
from engine.responses.entries import ENTRY_ID

ANSWERED = 0.7  # the share of questions (and of rows, and of entries' questions) answered
MAX_ENTRIES = 3
WORDS = (
    "snekker", "sykepleier", "lærer", "sjåfør", "kokk", "elektriker", "regnskap", "butikk",
    "Kabul", "Asmara", "Damaskus", "Kharkiv", "Mogadishu", "years", "work", "school", "helper",
    "مدرسة", "عمل", "مهندس", "школа", "работа", "ቤት", "ትምህርቲ", "kar", "xwendin", "shaqo",
)  # fmt: skip
CENTRES = 60  # reception centres, each in one municipality
IN_CENTRES = 0.3  # the share of persons living in a reception centre, the rest settled
CITIZENSHIPS = ("UA", "SY", "AF", "ER", "SO", "IQ", "TR", "CD", "SD", "ET")
FIRST_SETTLED = date(2015, 1, 1)


class AnswerGenerator:
    """Valid answers for a draft 2020-12 questionnaire schema, from a seeded `random.Random`."""

    def __init__(self, schema: dict, rng: random.Random):
        self.schema = schema
        self.rng = rng

    def answers(self) -> dict:
        return self._object(self.schema)

    def _object(self, schema: dict) -> dict:
        found = {}
        for name, part in schema["properties"].items():
            if name == ENTRY_ID:
                found[name] = f"{self.rng.getrandbits(64):016x}"
            elif self.rng.random() < ANSWERED:
                found[name] = self._value(part)
        return found

    def _value(self, schema: dict):
        if "enum" in schema:
            return self.rng.choice(schema["enum"])
        kind = schema.get("type")
        if kind == "object":
            return self._object(schema)
        if kind == "array":
            return self._array(schema)
        if kind == "integer":
            return self.rng.randint(schema.get("minimum", 0), schema.get("maximum", 100))
        if kind == "string":
            words = " ".join(self.rng.choices(WORDS, k=self.rng.randint(1, 12)))
            return words[: schema.get("maxLength", len(words))].strip() or WORDS[0]
        raise ValueError(f"the answer generator does not know this schema: {schema}")

    def _array(self, schema: dict) -> list:
        items = schema["items"]
        if "enum" in items:  # a multiple choice: unique values, at least one
            return self.rng.sample(items["enum"], self.rng.randint(1, min(3, len(items["enum"]))))
        count = self.rng.randint(0, min(MAX_ENTRIES, schema.get("maxItems", MAX_ENTRIES)))
        return [self._value(items) for _ in range(count)]


class Registry:
    """Persons for the subjects `person:1`, `person:2`, …, as `kompass persons import` writes
    them: reception centres first (each in one municipality), then the persons."""

    def __init__(self, connection: Connection, rng: random.Random):
        self.rng = rng
        self.numbers = sorted(municipalities.all_municipalities())
        centres = [{"name": f"Mottak {n}", "municipality": rng.choice(self.numbers)}
                   for n in range(1, CENTRES + 1)]  # fmt: skip
        found = connection.execute(
            insert(ReceptionCentre).returning(ReceptionCentre.id, ReceptionCentre.municipality),
            centres,
        )
        self.centres = [tuple(row) for row in found]

    def persons(self, first: int, last: int) -> list[dict]:
        """The rows of persons `first` to `last` (ids, so subjects `person:<id>`)."""
        return [self._person(number) for number in range(first, last + 1)]

    def _person(self, number: int) -> dict:
        rng = self.rng
        in_centre = rng.random() < IN_CENTRES
        centre_id, municipality = (
            rng.choice(self.centres) if in_centre else (None, rng.choice(self.numbers))
        )
        settled = FIRST_SETTLED + timedelta(days=rng.randrange(11 * 365))
        return {
            "id": number, "duf": f"{2015 + number % 10}{number:08d}",
            "first_name": f"Navn{number}", "last_name": "Navnesen",
            "birth_date": date(1960, 1, 1) + timedelta(days=rng.randrange(45 * 365)),
            "gender": rng.choice(GENDERS), "citizenship": rng.choice(CITIZENSHIPS),
            "municipality": municipality, "residence": MOTTAK if in_centre else BOSATT,
            "reception_centre_id": centre_id, "settled_on": None if in_centre else settled,
        }  # fmt: skip


def subject(number: int) -> str:
    return f"{SUBJECT_PREFIX}{number}"


def insert_persons(connection: Connection, rows: list[dict]) -> None:
    connection.execute(insert(Person.__table__), rows)
