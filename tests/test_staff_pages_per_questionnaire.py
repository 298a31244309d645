"""Issue 20: the staff pages work per questionnaire. A second small questionnaire ("housing") is
served beside Kompass, filled through the lifecycle, and listed, read, counted and exported."""

import csv
import io
import re
import zipfile
from datetime import timedelta

import pytest
from pypdf import PdfReader

from auth.code_login import codes
from auth.people.models import Person
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import Respondent
from tests.helpers import add_person
from tests.second_questionnaire import SECOND, two_questionnaires_app
from tests.staff_helpers import events, logged_in, token

OVERVIEW = "/admin/kommuner/kompass/oversikt"
HOUSING = {"household_size": 4, "wants_city": "yes"}
HOSTILE = ["nope", "", "KOMPASS", "housing ", "../kompass", "<script>", "ø" * 300]
"""Names of no served questionnaire (a NUL byte is refused before, 400: engine/app/security.py).
Each test asks with every one of them in turn, on one app: a request changes nothing the next
one reads (the tests say so: no audit event), and an app per name cost 0.5 s each."""


@pytest.fixture
def two(two_questionnaires, tmp_path):
    """Kompass (the default) and the housing questionnaire, both served."""
    app = two_questionnaires_app(two_questionnaires, tmp_path)
    yield app
    app.extensions["kompass"].sessions.kw["bind"].dispose()


def fill(app, person_id: int, questionnaire_id: str | None = SECOND, submit: bool = True):
    """The person's response to a questionnaire, through the lifecycle: housing answered (and
    submitted), or Kompass only started."""
    state = app.extensions["kompass"]
    subject = f"person:{person_id}"
    with app.app_context(), state.sessions() as session:
        service = Lifecycle(session, state.registry)
        opened = service.open(subject, "en", questionnaire_id)
        if questionnaire_id != SECOND:
            return
        service.save_section(opened, "home", HOUSING, 1, "en", Respondent(subject))
        if submit:
            assert not service.submit(opened, 2, Respondent(subject)).problems


def choice(page: str) -> list[tuple[str, bool]]:
    """The questionnaire choice's options: (value, selected)."""
    found = re.search(r'<select name="questionnaire">(.*?)</select>', page, re.S)
    if found is None:
        return []
    options = re.findall(r'<option value="([^"]*)"( selected)?>', found.group(1))
    return [(value, bool(selected)) for value, selected in options]


def csv_rows(response) -> list[dict]:
    """A staff CSV read as Norwegian Excel reads it: UTF-8 with a byte-order mark, `;`."""
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))


# The overview


@pytest.fixture
def counsellor(two):
    return logged_in(two, "veileder", ["bosetting", "vertskommune"])


def test_the_overview_lists_each_questionnaires_own_states(two, counsellor):
    housed = add_person(two, "202000000001", first_name="Bolig")
    started = add_person(two, "202000000002", first_name="Kompass")
    fill(two, housed)
    fill(two, started, None)
    default = counsellor.get(OVERVIEW).text
    assert choice(default) == [("kompass", True), (SECOND, False)]
    assert "Boligønsker" in default
    housing = counsellor.get(OVERVIEW, query_string={"questionnaire": SECOND})
    assert choice(housing.text) == [("kompass", False), (SECOND, True)]
    states = {row["Navn"]: row["Kartleggingsstatus"] for row in _overview_csv(counsellor)}
    assert states == {"Bolig Navnesen": "Ingen kode", "Kompass Navnesen": "Påbegynt"}
    states = {row["Navn"]: row["Kartleggingsstatus"] for row in _overview_csv(counsellor, SECOND)}
    assert states == {"Bolig Navnesen": "Sendt inn", "Kompass Navnesen": "Ingen kode"}
    submitted = counsellor.get(OVERVIEW, query_string={"questionnaire": SECOND,
                                                       "state": "submitted"}).text  # fmt: skip
    assert "Bolig" in submitted and "Kompass Navnesen" not in submitted
    assert "questionnaire=housing" in submitted  # the CSV link keeps the filter
    audited = [e.details.get("questionnaire") for e in events(two, "person.list")]
    assert audited == [None, SECOND, None, SECOND, SECOND]


def _overview_csv(client, questionnaire_id: str | None = None) -> list[dict]:
    query = {"questionnaire": questionnaire_id} if questionnaire_id else {}
    response = client.get(f"{OVERVIEW}.csv", query_string=query)
    assert response.status_code == 200
    expected = f"{questionnaire_id or 'kompass'}-oversikt.csv"
    assert expected in response.headers["Content-Disposition"]
    return csv_rows(response)


def test_a_code_counts_for_the_questionnaire_it_leads_to(two, counsellor):
    person = add_person(two, first_name="Kode")
    with two.app_context(), two.extensions["kompass"].sessions() as session:
        codes.create(session, session.get(Person, person), timedelta(days=7), "fast", SECOND)
    [housing] = _overview_csv(counsellor, SECOND)
    [default] = _overview_csv(counsellor)
    state, valid_to = "Kartleggingsstatus", "Koden gyldig til"
    assert (housing[state], default[state]) == ("Kode gitt", "Ingen kode")
    assert housing[valid_to] and not default[valid_to]


def test_an_unknown_questionnaire_is_not_found_on_the_overview(two, counsellor):
    for value in HOSTILE:
        for path in (OVERVIEW, f"{OVERVIEW}.csv"):
            answer = counsellor.get(path, query_string={"questionnaire": value})
            assert answer.status_code == 404, (path, value)


def test_one_served_questionnaire_shows_no_choice(app):
    client = logged_in(app, "veileder", ["bosetting"])
    assert 'name="questionnaire"' not in client.get(OVERVIEW).text
    assert client.get(OVERVIEW, query_string={"questionnaire": SECOND}).status_code == 404


# The person page and the profile


def test_the_person_page_lists_a_mapping_per_served_questionnaire(two, counsellor):
    person = add_person(two)
    fill(two, person)
    page = counsellor.get(f"/admin/personer/{person}").text
    assert "Kartlegginger per skjema" in page and "Boligønsker" in page
    assert "Ingen kartlegging er startet." in page  # Kompass: nothing yet
    assert f'href="/admin/personer/{person}/kartlegging?questionnaire=housing"' in page


def test_the_profile_of_the_second_questionnaire_reads_and_is_audited(two, counsellor):
    person = add_person(two)
    fill(two, person)
    fill(two, person, None)
    page = counsellor.get(f"/admin/personer/{person}/kartlegging?questionnaire={SECOND}").text
    assert "Boligønsker</td>" not in page and "Boligønsker (housing)" in page
    assert "Hvor mange bor i husholdningen din?" in page and "Vil du bo i en by?" in page
    assert re.search(r"<dd>4</dd>", page) and re.search(r"<dd>Ja</dd>", page)
    assert f"kartlegging.pdf?questionnaire={SECOND}" in page
    assert "cv.pdf" not in page and "verify-form" not in page  # no CV use; verified on Kompass
    default = counsellor.get(f"/admin/personer/{person}/kartlegging").text
    assert "Boligønsker" not in default and 'cv.pdf"' in default
    assert 'kartlegging.pdf"' in default
    assert [e.details for e in events(two, "mapping.read")] == [
        {"questionnaire": SECOND},
        {"questionnaire": "kompass"},
    ]


def test_the_archival_pdf_works_for_the_second_questionnaire_and_its_cv_does_not(two, counsellor):
    person = add_person(two)
    fill(two, person)
    path = f"/admin/personer/{person}"
    made = counsellor.get(f"{path}/kartlegging.pdf?questionnaire={SECOND}")
    assert made.status_code == 200 and made.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(made.data)).pages)
    assert "Boligønsker" in text and "Hvor mange bor i husholdningen din?" in text
    assert [e.details for e in events(two, "mapping.pdf")] == [{"questionnaire": SECOND}]
    assert counsellor.get(f"{path}/cv.pdf?questionnaire={SECOND}").status_code == 404
    assert events(two, "mapping.cv") == []


def test_an_unknown_questionnaire_is_not_found_on_the_person_pages(two, counsellor):
    person = add_person(two)
    fill(two, person)
    for value in HOSTILE:
        for page in ("kartlegging", "kartlegging.pdf", "cv.pdf"):
            path = f"/admin/personer/{person}/{page}"
            answer = counsellor.get(path, query_string={"questionnaire": value})
            assert answer.status_code == 404, (page, value)
    assert events(two, "mapping.read") == events(two, "mapping.pdf") == []


def test_another_municipalitys_person_is_not_found_in_any_questionnaire(two):
    person = add_person(two)
    fill(two, person)
    other = logged_in(two, "oslo", ["bosetting"], "0301")
    for page in ("kartlegging", "kartlegging.pdf"):
        path = f"/admin/personer/{person}/{page}?questionnaire={SECOND}"
        assert other.get(path).status_code == 404


# Statistics


@pytest.fixture
def analyst(two):
    return logged_in(two, "analytiker", ["analytiker"], None)


def test_a_questionnaire_without_statistics_tables_says_so(two, analyst):
    for n in range(6):
        fill(two, add_person(two, f"2020000000{n:02d}"))
    page = analyst.get("/admin/statistikk", query_string={"questionnaire": SECOND}).text
    assert "Dette skjemaet har ingen statistikktabeller." in page
    assert 'class="statistics"' not in page and ".csv" not in page
    assert choice(page) == [("kompass", False), (SECOND, True)]
    assert analyst.get(f"/admin/statistikk/state.csv?questionnaire={SECOND}").status_code == 404
    default = analyst.get("/admin/statistikk").text
    assert "ingen statistikktabeller" not in default and 'class="statistics"' in default
    assert choice(default) == [("kompass", True), (SECOND, False)]
    assert analyst.get("/admin/statistikk/state.csv").status_code == 200
    audited = [e.details for e in events(two, "statistics.view")]
    assert audited == [{"questionnaire": SECOND}, {}, {"chart": "state", "format": "csv"}]


def test_an_unknown_questionnaire_is_not_found_in_statistics(two, analyst):
    for value in HOSTILE:
        for path in ("/admin/statistikk", "/admin/statistikk/state.csv"):
            answer = analyst.get(path, query_string={"questionnaire": value})
            assert answer.status_code == 404, (path, value)
    assert events(two, "statistics.view") == []


# Export


def exported(response) -> dict[str, list[dict]]:
    """The CSV tables of an export ZIP, by name."""
    assert response.status_code == 200, response.text[-500:]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(archive.read(name).decode()))
            )
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def download(client, **form):
    return client.post("/admin/eksport", data={"csrf_token": token(client), **form})


def test_the_export_form_lists_each_questionnaires_versions(two, analyst):
    page = analyst.get("/admin/eksport").text
    assert choice(page) == [("kompass", True), (SECOND, False)]
    assert 'name="questionnaire" value' not in page  # the default: as before
    housing = analyst.get("/admin/eksport", query_string={"questionnaire": SECOND}).text
    assert choice(housing) == [("kompass", False), (SECOND, True)]
    assert '<input type="hidden" name="questionnaire" value="housing">' in housing
    assert "Skjema: <strong>Boligønsker</strong>" in housing and "Vis</button>" in housing


def test_the_second_questionnaire_exports_its_own_columns_and_codebook(two, analyst):
    people = [add_person(two, f"2020000001{n:02d}") for n in range(6)]
    for person in people:
        fill(two, person)
    fill(two, add_person(two, "202000000200"), None)  # a Kompass draft: not in this export
    response = download(analyst, format="csv", questionnaire=SECOND)
    assert "housing-vall-pseudonymised-csv" in response.headers["Content-Disposition"]
    found = exported(response)
    rows = found["responses"]
    assert len(rows) == 6 and {"household_size", "wants_city", "municipality"} <= set(rows[0])
    assert "citizenship" not in rows[0] and "duf" not in rows[0]
    assert {(r["household_size"], r["wants_city"], r["municipality"]) for r in rows} == {
        ("4", "yes", "4601")
    }
    assert all(len(r["person"]) == 20 and "person:" not in r["person"] for r in rows)  # keyed
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert not any(b"2020000001" in archive.read(name) for name in archive.namelist())
    variables = {row["column"] for row in found["codebook"]}
    assert {"household_size", "wants_city"} <= variables and "citizenship" not in variables
    [event] = events(two, "export")
    assert event.details["questionnaire"] == SECOND and event.details["responses"] == 6


def test_the_second_questionnaires_export_keeps_the_rules(two):
    """A municipal administrator exports only their municipality; one who reads the audit log
    gets years instead of dates, and nothing when fewer than 5 mappings share a place."""
    for n in range(5):
        fill(two, add_person(two, f"2020000003{n:02d}"))
    fill(two, add_person(two, "202000000399", municipality="0301"))
    bergen = logged_in(two, "bergen", ["kommuneadmin"], "4601")
    rows = exported(download(bergen, format="csv", questionnaire=SECOND, municipality="0301"))
    assert [r["municipality"] for r in rows["responses"]] == ["4601"] * 5
    assert {len(r["submitted_at"]) for r in rows["responses"]} == {4}
    root = logged_in(two, "root", ["systemadmin"], None)
    too_few = download(root, format="csv", questionnaire=SECOND)
    assert too_few.status_code == 422 and "Færre enn 5 kartlegginger" in too_few.text


def test_an_unknown_questionnaire_is_not_found_in_the_export(two, analyst):
    for value in HOSTILE:
        form = analyst.get("/admin/eksport", query_string={"questionnaire": value})
        assert form.status_code == 404, value
        assert download(analyst, format="csv", questionnaire=value).status_code == 404, value
    assert events(two, "export") == []


# Content


def test_the_content_pages_list_each_questionnaires_versions(two):
    editor = logged_in(two, "redaktor", ["innholdsredaktor"], None)
    default = editor.get("/admin/innhold").text
    assert choice(default) == [("kompass", True), (SECOND, False)]
    assert 'href="/admin/innhold/kompass/1"' in default and "/admin/innhold/housing/" not in default
    housing = editor.get("/admin/innhold", query_string={"questionnaire": SECOND}).text
    assert choice(housing) == [("kompass", False), (SECOND, True)]
    assert 'href="/admin/innhold/housing/1"' in housing and "/admin/innhold/kompass/" not in housing
    assert 'href="/admin/innhold/housing/endringer"' in housing
    version = editor.get("/admin/innhold/housing/1")
    assert version.status_code == 200 and "forhandsvisning?section=home" in version.text


def test_an_unknown_questionnaire_is_not_found_in_content(two):
    editor = logged_in(two, "redaktor", ["innholdsredaktor"], None)
    for value in HOSTILE:
        answer = editor.get("/admin/innhold", query_string={"questionnaire": value})
        assert answer.status_code == 404, value
