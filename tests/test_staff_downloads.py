"""Staff downloads open directly in Norwegian Excel (`;`, a byte-order mark, the page's words,
formulas neutralised), and the same tables come as XLSX."""

import io

import openpyxl

from adminui import downloads, overview
from auth.staff import audit
from tests.helpers import add_person
from tests.staff_helpers import (
    events,
    excel_rows,
    logged_in,
    token,
    xlsx_rows,
)
from tests.test_statistics import add_responses, analyst

OVERVIEW = "/admin/kommuner/kompass/oversikt"
HOSTILE = "=SUM(A1)"


def same_table(csv_body: bytes, xlsx_body: bytes) -> list[list[str]]:
    """The CSV's rows, checked to be the XLSX's cell for cell (a neutralised CSV cell is the
    plain text in the XLSX, where it is a string cell and never a formula)."""
    rows = excel_rows(csv_body)
    plain = [[cell[1:] if cell.startswith("'=") else cell for cell in row] for row in rows]
    assert xlsx_rows(xlsx_body) == plain
    return rows


def test_the_overview_opens_in_norwegian_excel_and_as_the_same_xlsx(app):
    add_person(app, "202000000001", first_name="Ærlig Øystein", last_name="Åsen")
    add_person(app, "202000000002", first_name=HOSTILE, last_name="Berg")
    client = logged_in(app, "veileder", ["bosetting"])
    query = {"state": "no_code", "residence": "bosatt"}
    as_csv = client.get(f"{OVERVIEW}.csv", query_string=query)
    assert as_csv.mimetype == "text/csv" and as_csv.headers["Cache-Control"] == "no-store"
    assert as_csv.data.startswith(b"\xef\xbb\xbf") and b"\r\n" in as_csv.data
    header, *rows = same_table(as_csv.data, client.get(f"{OVERVIEW}.xlsx", query_string=query).data)
    assert header[:7] == ["Person-ID", "Navn", "DUF-nummer", "Bosituasjon", "Mottak", "Kommune",
                          "Kartleggingsstatus"]  # fmt: skip
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_name) == {"Ærlig Øystein Åsen", f"'{HOSTILE} Berg"}
    first = by_name["Ærlig Øystein Åsen"]
    assert (first["Kartleggingsstatus"], first["Bosituasjon"]) == ("Ingen kode", "Bosatt")
    assert (first["Kommune"], first["Bosatt dato"]) == ("Bergen (4601)", "01.01.2025")
    assert [e.details["format"] for e in events(app, "person.list")] == ["csv", "xlsx"]
    assert all(e.details["state"] == "no_code" for e in events(app, "person.list"))


def test_the_overview_csv_streams_in_pieces_as_its_batches_are_read(app, monkeypatch):
    """Persons are read a batch at a time and sent a few rows at a time: the download does not
    hold the municipality in memory. The count is audited before the first row is sent."""
    monkeypatch.setattr(overview, "BATCH", 2)
    monkeypatch.setattr(downloads, "CHUNK_ROWS", 2)
    for n in range(5):
        add_person(app, f"20200000001{n}", first_name=f"Person {n}", last_name="Berg")
    client = logged_in(app, "veileder", ["bosetting"])
    answer = client.get(f"{OVERVIEW}.csv", buffered=False)
    assert answer.is_streamed
    pieces = list(answer.response)
    answer.close()
    assert len(pieces) == 3 and all(pieces)
    bom = b"\xef\xbb\xbf"
    assert pieces[0].startswith(bom) and not any(bom in piece for piece in pieces[1:])
    _, *rows = excel_rows(b"".join(pieces))
    assert sorted(row[1] for row in rows) == [f"Person {n} Berg" for n in range(5)]
    assert [e.details["count"] for e in events(app, "person.list")] == [5]


def test_the_xlsx_has_a_bold_frozen_header_and_text_that_is_never_a_formula(app):
    table = downloads.Table("t", ["Navn", "Dager igjen"], [[HOSTILE, -3], ["Åse", None]])
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.as_xlsx(table))).worksheets[0]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b and not sheet["A2"].font.b
    assert (sheet["A2"].value, sheet["A2"].data_type) == (HOSTILE, "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-3, "n")
    assert sheet["B3"].value is None and sheet.column_dimensions["A"].width > 8


def test_a_staff_member_who_switched_to_english_gets_english_headers_and_labels(app):
    add_person(app, "202000000001")
    client = logged_in(app, "veileder", ["bosetting"])
    client.post("/admin/language", data={"csrf_token": token(client), "locale": "en"})
    header, row = excel_rows(client.get(f"{OVERVIEW}.csv").data)
    values = dict(zip(header, row, strict=True))
    assert values["Mapping state"] == "No code" and values["Lives in"] == "Settled"


def test_the_overview_page_links_both_formats_with_its_filters(app):
    client = logged_in(app, "veileder", ["bosetting"])
    page = client.get(OVERVIEW, query_string={"state": "in_progress"}).text
    assert f'href="{OVERVIEW}.csv?state=in_progress"' in page
    assert f'href="{OVERVIEW}.xlsx?state=in_progress"' in page


def test_a_statistics_table_opens_in_norwegian_excel_and_as_the_same_xlsx(app):
    add_responses(app, 6, language="nb")
    client = analyst(app)
    page = client.get("/admin/statistikk?year=2025").text
    assert 'href="/admin/statistikk/language.xlsx?year=2025"' in page
    as_csv = client.get("/admin/statistikk/language.csv?year=2025").data
    rows = same_table(as_csv, client.get("/admin/statistikk/language.xlsx?year=2025").data)
    assert rows == [
        ["Gruppekode", "Gruppe", "Kode", "Kategori", "Personer"],
        ["", "", "nb", "Norsk bokmål", "5"],
        ["", "", "total", "Totalt", "5"],
    ]
    assert [e.details.get("format") for e in events(app, "statistics.view")] == [
        None, "csv", "xlsx"
    ]  # fmt: skip


def test_the_audit_log_downloads_what_the_page_shows_for_its_filters(app):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        audit.record(session, "staff.login_failed", None, username="=ærø",
                     account_municipality="4601", note=HOSTILE)  # fmt: skip
        audit.record(
            session, "staff.login_failed", None, username="oslo", account_municipality="0301"
        )
    client = logged_in(app, "admin", ["kommuneadmin"])
    form = {"csrf_token": token(client), "action": "staff.login_failed"}
    page = client.post("/admin/logg", data=form).text
    assert '<input type="hidden" name="action" value="staff.login_failed">' in page
    assert 'formaction="/admin/logg.xlsx"' in page
    as_csv = client.post("/admin/logg.csv", data=form)
    assert as_csv.headers["Content-Disposition"] == 'attachment; filename="kompass-logg.csv"'
    rows = same_table(as_csv.data, client.post("/admin/logg.xlsx", data=form).data)
    assert rows[0] == ["Tidspunkt", "Bruker", "Kommune", "Handling", "Person (DUF)", "Detaljer"]
    [(_, username, municipality, action, duf, details)] = rows[1:]
    assert (username, municipality, action, duf) == ("'=ærø", "4601", "staff.login_failed", "")
    assert details == f"note={HOSTILE}"
    downloaded = [e.details for e in events(app, "audit.view")][1:]
    assert downloaded == [
        {"format": kind, "filter_action": "staff.login_failed", "filter_municipality": "4601"}
        for kind in ("csv", "xlsx")
    ]


def test_the_audit_download_is_refused_to_those_who_may_not_read_the_log(app):
    client = logged_in(app, "veileder", ["bosetting"])
    assert client.post("/admin/logg.csv", data={"csrf_token": token(client)}).status_code == 403
    assert app.test_client().post("/admin/logg.xlsx").status_code in (400, 401)
