"""`kompass persons import` (issue 11): encodings, hostile files, batches, no personal data out."""

import logging
import threading

import pytest
from sqlalchemy import select, text

from auth.people import importer
from auth.people.models import Person
from auth.staff.models import AuditEvent
from tests.staff_helpers import add_user, staff_login
from tests.test_people import GOOD, HEADER, persons

SECRET_DUF, SECRET_NAME, SECRET_BIRTH = "201911223344", "Zuleikha", "1987-03-29"
SECRET_ROW = f"{SECRET_DUF},{SECRET_NAME},Qadirova,{SECRET_BIRTH},kvinne,SY,4601,bosatt,,2025-01-01"


def write_bytes(tmp_path, data: bytes):
    path = tmp_path / "persons.csv"
    path.write_bytes(data)
    return path


def run_import(runner, path, *options):
    return runner.invoke(args=["persons", "import", *options, str(path)])


def settled(number: int, name: str = "Navn") -> str:
    return f"2020{number:08d},{name},Navnesen,2000-01-01,kvinne,SY,4601,bosatt,,2025-01-01"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_utf8_with_or_without_bom_and_utf16_with_bom_are_read(app, runner, tmp_path, encoding):
    rows = [*GOOD, SECRET_ROW.replace(SECRET_NAME, "Åse Ødegård")]
    path = write_bytes(tmp_path, (HEADER + "\n".join(rows) + "\n").encode(encoding))
    result = run_import(runner, path)
    assert result.exit_code == 0, result.output
    assert persons(app)[SECRET_DUF].first_name == "Åse Ødegård"


def test_a_latin1_file_names_file_and_line_and_says_to_save_as_utf8(app, runner, tmp_path):
    rows = [*GOOD, SECRET_ROW.replace(SECRET_NAME, "Åse")]
    path = write_bytes(tmp_path, (HEADER + "\n".join(rows) + "\n").encode("latin-1"))
    result = run_import(runner, path)
    assert result.exit_code != 0
    assert f"{path}:4: the file is not UTF-8 text here" in result.output
    assert "UTF-8" in result.output and "Traceback" not in result.output
    assert persons(app) == {}


def test_a_field_over_the_csv_limit_is_a_line_error(app, runner, tmp_path):
    rows = [*GOOD, settled(7, "x" * 131_073)]
    path = write_bytes(tmp_path, (HEADER + "\n".join(rows) + "\n").encode())
    result = run_import(runner, path, "--skip-invalid")
    assert result.exit_code != 0
    assert f"{path}:4: the line cannot be read as CSV" in result.output
    assert persons(app) == {}


def test_blank_lines_are_skipped(app, runner, tmp_path):
    path = write_bytes(tmp_path, (HEADER + "\n" + GOOD[0] + "\n\n").encode())
    result = run_import(runner, path)
    assert "Imported 1 new" in result.output, result.output


def test_a_name_longer_than_its_column_is_a_row_error(app, runner, tmp_path):
    path = write_bytes(tmp_path, (HEADER + settled(7, "x" * 201) + "\n").encode())
    result = run_import(runner, path)
    assert "persons.csv:2: first_name is longer than 200 characters" in result.output
    assert persons(app) == {}


@pytest.mark.parametrize("column", ["duf", "last_name"])
def test_a_duplicated_header_column_is_refused(app, runner, tmp_path, column):
    header = HEADER.strip() + f",{column}\n"
    path = write_bytes(tmp_path, (header + settled(7) + ",x\n").encode())
    result = run_import(runner, path, "--skip-invalid")
    assert result.exit_code != 0
    assert f"persons.csv:1: the header has these columns more than once: {column}" in result.output
    assert persons(app) == {}


@pytest.mark.parametrize("number", ["20٢٥٠٠٠٠٠٠١٧", "2025000000¹⁷", "２０２５００００００１７"])
def test_only_ascii_digits_form_a_duf_number(app, runner, tmp_path, number):
    path = write_bytes(tmp_path, (HEADER + settled(7).replace("202000000007", number)).encode())
    result = run_import(runner, path)
    assert "persons.csv:2: duf is not a DUF number" in result.output
    assert number not in result.output
    assert persons(app) == {}


def test_problems_repeat_no_duf_number_or_name(app, runner, tmp_path):
    rows = [SECRET_ROW, SECRET_ROW, SECRET_ROW.replace("4601", "9999"),
            SECRET_ROW.replace("201911223344", "2019112233")]  # fmt: skip
    result = run_import(runner, write_bytes(tmp_path, (HEADER + "\n".join(rows)).encode()))
    assert "persons.csv:3: the DUF number appears twice in the file (first on line 2)" in (
        result.output
    )
    for secret in (SECRET_DUF, SECRET_NAME, SECRET_BIRTH, "2019112233"):
        assert secret not in result.output


@pytest.fixture
def person_inserts_blocked(app):
    """The database refuses new persons, as a constraint or a closed connection would.

    The trigger is dropped afterwards: PostgreSQL tests share one database."""
    engine = app.extensions["kompass"].sessions.kw["bind"]
    statements = {
        "sqlite": ["CREATE TRIGGER block BEFORE INSERT ON persons "
                   "WHEN NEW.first_name = 'Blocked' BEGIN SELECT RAISE(ABORT, 'refused'); END"],
        "postgresql": [
            "CREATE FUNCTION block() RETURNS trigger AS $$ BEGIN IF NEW.first_name = 'Blocked' "
            "THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER block BEFORE INSERT ON persons FOR EACH ROW EXECUTE FUNCTION block()",
        ],
    }  # fmt: skip
    undo = {
        "sqlite": ["DROP TRIGGER block"],
        "postgresql": ["DROP TRIGGER block ON persons", "DROP FUNCTION block()"],
    }
    with engine.begin() as connection:
        for statement in statements[engine.dialect.name]:
            connection.execute(text(statement))
    yield
    with engine.begin() as connection:
        for statement in undo[engine.dialect.name]:
            connection.execute(text(statement))


def test_a_database_error_reports_lines_and_kind_only_and_keeps_earlier_batches(
    app, runner, tmp_path, monkeypatch, caplog, capsys, person_inserts_blocked
):
    monkeypatch.setattr(importer, "BATCH", 2)
    rows = [settled(1), settled(2), SECRET_ROW, SECRET_ROW.replace(SECRET_NAME, "Blocked")]
    rows[3] = rows[3].replace(SECRET_DUF, "201911223345")
    with caplog.at_level(logging.DEBUG):
        result = run_import(runner, write_bytes(tmp_path, (HEADER + "\n".join(rows)).encode()))
    assert result.exit_code != 0
    assert "persons.csv:4: the database refused lines 4–5 (" in result.output
    assert "2 new and 0 updated person(s) were saved" in result.output
    seen = result.output + caplog.text + "".join(capsys.readouterr())
    for secret in (SECRET_DUF, "201911223345", SECRET_NAME, "Blocked", SECRET_BIRTH):
        assert secret not in seen
    assert set(persons(app)) == {"202000000001", "202000000002"}


def test_updates_and_new_rows_are_written_in_batches(app, runner, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 3)
    first = [settled(n) for n in range(5)] + [GOOD[1]]
    assert (
        run_import(runner, write_bytes(tmp_path, (HEADER + "\n".join(first)).encode())).exit_code
        == 0
    )
    second = [settled(n, "Ny") for n in range(3, 8)]
    result = run_import(runner, write_bytes(tmp_path, (HEADER + "\n".join(second)).encode()))
    assert "Imported 3 new and updated 2 person(s)." in result.output
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        found = {p.duf: p for p in session.scalars(select(Person))}
        assert len(found) == 9
        assert [found[f"2020{n:08d}"].first_name for n in (2, 3, 7)] == ["Navn", "Ny", "Ny"]
        assert found["202100000017"].reception_centre.name == "Fjordheim mottak"


def test_a_reception_centre_in_another_municipality_is_refused(app, runner, tmp_path):
    assert run_import(runner, write_bytes(tmp_path, (HEADER + GOOD[1]).encode())).exit_code == 0
    moved = GOOD[1].replace("2021 0000 0017", "202100000018").replace(",4601,", ",0301,")
    result = run_import(runner, write_bytes(tmp_path, (HEADER + moved).encode()))
    assert "persons.csv:2: this reception centre lies in municipality 4601" in result.output


def test_staff_can_log_in_between_the_import_batches(app, runner, tmp_path, monkeypatch):
    """Each batch is its own short transaction: the database is not locked for the import."""
    add_user(app, "counsellor", ["bosetting"])
    monkeypatch.setattr(importer, "BATCH", 2)
    write_batch, logins = importer._write_batch, []

    def log_in() -> None:
        logins.append(staff_login(app.test_client(), "counsellor").status_code)

    def log_in_then_write(session, batch, known, report):
        other = threading.Thread(target=log_in)  # its own app context and connection
        other.start()
        other.join()
        write_batch(session, batch, known, report)

    monkeypatch.setattr(importer, "_write_batch", log_in_then_write)
    rows = [settled(n) for n in range(6)]
    result = run_import(runner, write_bytes(tmp_path, (HEADER + "\n".join(rows)).encode()))
    assert result.exit_code == 0, result.output
    assert logins == [302, 302, 302]
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
        assert actions.count("staff.login") == 3
        assert session.scalars(select(Person)).all()
