"""Municipalities from Statistics Norway, and the person registry's CSV import."""

import json

from sqlalchemy import select

from auth.people import municipalities
from auth.people.models import Person, ReceptionCentre

HEADER = "duf,first_name,last_name,birth_date,gender,citizenship,municipality,residence,reception_centre,settled_on\n"  # noqa: E501
GOOD = [
    "202000000000,Navn,Navnesen,2005-01-15,kvinne,SY,4601,bosatt,,2025-10-01",
    "2021 0000 0017,Amanuel,Tesfay,1994-06-02,mann,ER,4601,mottak,Fjordheim mottak,",
]


def test_all_municipalities_ship_with_their_numbers():
    everything = municipalities.all_municipalities()
    assert len(everything) == 357
    assert municipalities.find("4601").label == "Bergen (4601)"
    assert municipalities.find("0301").name == "Oslo"
    assert municipalities.find("4601").county == "Vestland"
    assert all(len(number) == 4 and number.isdigit() for number in everything)


def write(tmp_path, rows):
    path = tmp_path / "persons.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def persons(app):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return {p.duf: p for p in session.scalars(select(Person))}


def test_a_good_file_is_imported(app, runner, tmp_path):
    result = runner.invoke(args=["persons", "import", str(write(tmp_path, GOOD))])
    assert result.exit_code == 0, result.output
    assert "Imported 2 new" in result.output
    found = persons(app)
    assert found["202000000000"].settled_on.isoformat() == "2025-10-01"
    assert found["202100000017"].residence == "mottak"
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        centre = session.scalars(select(ReceptionCentre)).one()
        assert (centre.name, centre.municipality) == ("Fjordheim mottak", "4601")


def test_every_bad_row_is_reported_and_nothing_changes(app, runner, tmp_path):
    rows = GOOD + [
        "12345,Bad,Duf,2000-01-01,mann,SY,4601,bosatt,,2025-01-01",
        "201900000123,No,Kommune,2000-01-01,mann,SY,9999,bosatt,,2025-01-01",
        "201900000124,No,Centre,2000-01-01,mann,SY,4601,mottak,,",
        "201900000125,Bad,Date,31.12.2000,mann,SY,4601,bosatt,,2025-01-01",
        "201900000126,Bad,Country,2000-01-01,mann,XX,4601,bosatt,,2025-01-01",
        "202000000000,Twice,In,2000-01-01,kvinne,SY,4601,bosatt,,2025-01-01",
    ]
    result = runner.invoke(args=["persons", "import", str(write(tmp_path, rows))])
    assert result.exit_code != 0
    for line, words in [(4, "DUF"), (5, "municipality"), (6, "reception_centre"),
                        (7, "birth_date"), (8, "citizenship"), (9, "twice")]:  # fmt: skip
        assert f"persons.csv:{line}:" in result.output and words in result.output
    assert "nothing was imported" in result.output
    assert persons(app) == {}


def test_skip_invalid_imports_the_good_rows(app, runner, tmp_path):
    rows = [*GOOD, "12345,Bad,Duf,2000-01-01,mann,SY,4601,bosatt,,2025-01-01"]
    result = runner.invoke(args=["persons", "import", "--skip-invalid", str(write(tmp_path, rows))])
    assert result.exit_code == 0
    assert "persons.csv:4:" in result.output
    assert set(persons(app)) == {"202000000000", "202100000017"}


def test_missing_columns_are_named(runner, tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text("duf,first_name\n202000000000,Navn\n", encoding="utf-8")
    result = runner.invoke(args=["persons", "import", str(path)])
    assert result.exit_code != 0 and "missing columns" in result.output


def test_demo_json_has_persons_of_both_kinds_and_one_user_per_role(runner):
    data = json.loads(runner.invoke(args=["demo", "--json"]).output)
    assert {p["residence"] for p in data["persons"]} == {"mottak", "bosatt"}
    assert all({"duf", "code", "municipality", "residence"} <= set(p) for p in data["persons"])
    roles = {role for user in data["users"] for role in user["roles"]}
    assert roles == {"kommuneadmin", "bosetting", "vertskommune", "systemadmin", "analytiker",
                     "innholdsredaktor"}  # fmt: skip
    assert all({"username", "password", "roles", "municipality"} <= set(u) for u in data["users"])
    again = json.loads(runner.invoke(args=["demo", "--json"]).output)
    assert again["persons"][0]["code"] != data["persons"][0]["code"]
