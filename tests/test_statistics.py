"""Statistikk: counts, distributions, small-cell suppression, filters, CSV, audit and charts."""

import itertools
import re
import shutil
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from adminui import charts, statistics, suppression
from auth.staff.models import AuditEvent
from engine.app.config import PROJECT_ROOT
from engine.app.context import db_session, kompass
from engine.responses.entries import ENTRY_ID
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import Respondent
from engine.responses.storage import DRAFT, SUBMITTED, Response
from engine.versions import published, publishing
from tests.helpers import add_person
from tests.staff_helpers import add_user, excel_rows, staff_login, token

SVG = "{http://www.w3.org/2000/svg}"
DUFS = (f"2020{n:08d}" for n in itertools.count(1))
BERGEN, KINN, ETNE, OSLO = "4601", "4602", "4611", "0301"
TWO_DEGREES = {
    "education": [
        {ENTRY_ID: "e1", "edu_level": "3", "edu_field": "07"},
        {ENTRY_ID: "e2", "edu_level": "6", "edu_field": "09"},
    ],
    "norwegian_level": {"understand": "good", "read": "basic"},
    "has_licence": "yes",
    "licence_categories": ["B", "C"],
    "has_work_experience": "yes",
    "jobs": [{ENTRY_ID: "j1", "job_title": "Snekker", "job_isco": "7"}],
    "digital_tasks": {"search": "alone", "banking": "with_help"},
}
SCHOOL = {
    "education": [{ENTRY_ID: "e1", "edu_level": "3", "edu_field": "07"}],
    "norwegian_level": {"read": "good"},
    "has_licence": "no",
    "digital_tasks": {"search": "alone"},
}


def add_responses(app, count, municipality=BERGEN, answers=None, state=SUBMITTED,
                  language="nb", year=2025, version=1, at=None) -> None:  # fmt: skip
    """`count` new persons in `municipality`, each with a response (submitted `at`, or in June
    of `year`)."""
    ids = [add_person(app, next(DUFS), municipality=municipality) for _ in range(count)]
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        version_id = published.find(session, "kompass", version).id
        at = at or datetime(year, 6, 1, 12, tzinfo=UTC)
        submitted_at = at if state == SUBMITTED else None
        session.add_all(
            Response(subject=f"person:{person_id}", questionnaire_id="kompass",
                     version_id=version_id, language=language, state=state,
                     answers=answers or {}, submitted_at=submitted_at)
            for person_id in ids
        )  # fmt: skip
        session.commit()


def computed(app, lang="en", **asked) -> dict[str, dict[tuple[str, str], str]]:
    """What each table shows, by (group code, row code); the grand total as ("", "all")."""
    with app.test_request_context():
        src = statistics.source(db_session(), "kompass")
        filters = statistics.Filters(**asked)
        tables = statistics.tables(db_session(), kompass().registry, src, filters, lang)
    return {table.key: _cells(table) for table in tables}


def _cells(table) -> dict[tuple[str, str], str]:
    cells = {(g.code, row.code): row.shown for g in table.groups for row in [*g.rows, g.total]}
    return cells | ({("", "all"): table.total.shown} if table.total else {})


def analyst(app):
    add_user(app, "analytiker", ["analytiker"], None)
    client = app.test_client()
    staff_login(client, "analytiker")
    return client


def page_rows(html: str, key: str) -> dict[str, str]:
    """Row label → shown number in the table of one section of the page."""
    section = re.search(rf'<section id="{key}".*?</section>', html, re.S).group(0)
    return dict(re.findall(r'<th scope="row">([^<]*)</th><td class="number">([^<]*)</td>', section))


def csv_rows(response) -> dict[str, str]:
    header, *rows = excel_rows(response.data)
    found = [dict(zip(header, row, strict=True)) for row in rows]
    return {(row["Gruppekode"], row["Kode"]): row["Personer"] for row in found}


@pytest.fixture
def mapped(app):
    """7 submitted and 6 drafts in Bergen, 5 submitted in Oslo."""
    add_responses(app, 7, BERGEN, TWO_DEGREES)
    add_responses(app, 6, BERGEN, SCHOOL, state=DRAFT)
    add_responses(app, 5, OSLO, SCHOOL, language="en")
    return app


def test_counts_by_state_version_language_and_place(mapped):
    shown = computed(mapped)
    # every number rounded to base 5: 6 → 5, 12 → 10, 13 → 15, 18 → 20
    assert shown["state"] == {("", DRAFT): "5", ("", SUBMITTED): "10", ("", "total"): "20"}
    assert shown["version"] == {("", "1"): "20", ("", "total"): "20"}
    assert shown["language"] == {("", "en"): "5", ("", "nb"): "15", ("", "total"): "20"}
    assert shown["county"] == {("", "Oslo"): "5", ("", "Vestland"): "15", ("", "total"): "20"}
    assert shown["municipality"] == {
        ("Oslo", OSLO): "5", ("Oslo", "total"): "5", ("Vestland", BERGEN): "15",
        ("Vestland", "total"): "15", ("", "all"): "20",
    }  # fmt: skip


def test_distributions_count_submitted_persons_once(mapped):
    shown = computed(mapped)
    education = shown["education_level"]
    assert (education[("", "3")], education[("", "6")], education[("", "total")]) == (
        "5",
        "5",
        "10",
    )
    assert {education[("", level)] for level in "0124578"} == {"<5"}
    assert (shown["field"][("", "07")], shown["field"][("", "09")]) == ("10", "5")
    norwegian = shown["norwegian"]
    assert (norwegian[("read", "basic")], norwegian[("read", "good")]) == ("5", "5")
    assert (norwegian[("understand", "good")], norwegian[("read", "total")]) == ("5", "10")
    assert norwegian[("speak", "total")] == "<5"
    assert shown["licence"] == {("", "yes"): "5", ("", "no"): "5", ("", "total"): "10"}
    categories = shown["licence_classes"]
    assert (categories[("", "B")], categories[("", "C")], categories[("", "total")]) == (
        "5", "5", "5",
    )  # fmt: skip
    assert (shown["occupation"][("", "7")], shown["occupation"][("", "total")]) == ("5", "5")
    digital = shown["digital"]
    assert (digital[("search", "alone")], digital[("banking", "with_help")]) == ("10", "5")


def test_a_response_made_through_the_lifecycle_is_counted(app):
    add_responses(app, 9, answers=TWO_DEGREES)
    person = add_person(app, next(DUFS))
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        service, who = Lifecycle(session, state.registry), Respondent(f"person:{person}")
        opened = service.open(who.subject, "en")
        for revision, section, answers in (
            (1, "personal", {"citizenship": "SY", "mother_tongue": "ar"}),
            (2, "licence", {"has_licence": "yes", "licence_categories": ["B", "C"]}),
            (3, "language", {"norwegian_level": {"understand": "good", "read": "basic"}}),
        ):
            assert (
                service.save_section(opened, section, answers, revision, "en", who).problems == []
            )
        entry = service.add_entry(opened, "education", 4, "en", who).entry_id
        answers = {"education": [{ENTRY_ID: entry, "edu_level": "6", "edu_field": "09"}]}
        service.save_section(opened, "education", answers, 5, "en", who)
        assert service.submit(opened, 6, who).problems == []
    shown = computed(app)
    assert (shown["education_level"][("", "6")], shown["field"][("", "09")]) == ("10", "10")
    assert shown["licence_classes"][("", "C")] == "10"
    assert shown["norwegian"][("understand", "good")] == "10"
    assert shown["language"][("", "en")] == "<5"


def test_small_cells_show_as_under_5_on_the_page_chart_and_csv(app):
    """7 + 7 + 4 = 18, shown 5 + 5 + <5 = 20, would pin the <5 to 4 (18 - 7 - 7): one 5 is
    hidden too."""
    add_responses(app, 7, answers={"has_licence": "yes"}, language="nb")
    add_responses(app, 7, answers={"has_licence": "yes"}, language="en")
    add_responses(app, 4, answers={"has_licence": "no"}, language="ar")
    client = analyst(app)
    page = client.get("/admin/statistikk")
    assert page.status_code == 200
    languages = page_rows(page.text, "language")
    assert languages["Norsk bokmål"] == "5" and languages["Engelsk"] == ":"
    assert languages["Arabisk"] == "&lt;5" and languages["Totalt"] == "20"
    licence = page_rows(page.text, "licence")
    assert (licence["Ja"], licence["Nei"], licence["Totalt"]) == ("15", "&lt;5", "20")
    exported = client.get("/admin/statistikk/language.csv")
    assert exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    assert csv_rows(exported) == {
        ("", "ar"): "<5", ("", "en"): ":", ("", "nb"): "5", ("", "total"): "20",
    }  # fmt: skip


def test_a_hidden_municipality_cannot_be_worked_out_from_its_county(app):
    """Vestland 18 (shown 20, so at least 18) minus Kinn and Etne (5 each, at most 7) would
    give Bergen 4."""
    add_responses(app, 4, BERGEN)
    add_responses(app, 7, KINN)
    add_responses(app, 7, ETNE)
    add_responses(app, 20, OSLO)
    shown = computed(app)
    assert shown["county"] == {("", "Oslo"): "20", ("", "Vestland"): "20", ("", "total"): "40"}
    municipality = shown["municipality"]
    assert [municipality[("Vestland", n)] for n in (BERGEN, ETNE, KINN)] == ["<5", ":", "5"]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"a": 4, "b": 20, "c": 30}, {"a": "<5", "b": "20", "c": "30", "t": "55"}),
        ({"a": 4, "b": 1, "c": 9}, {"a": "<5", "b": "<5", "c": "10", "t": "15"}),
        ({"a": 4, "b": 4, "c": 9}, {"a": "<5", "b": "<5", "c": "10", "t": "15"}),
        ({"a": 4, "b": 7, "c": 7}, {"a": "<5", "b": ":", "c": "5", "t": "20"}),
        ({"a": 4, "b": 4}, {"a": "<5", "b": "<5", "t": ":"}),
        ({"a": 3, "b": 5}, {"a": "<5", "b": "5", "t": "10"}),
        ({"a": 0, "b": 0, "c": 9}, {"a": "<5", "b": "<5", "c": "10", "t": "10"}),
        ({"a": 0, "b": 0, "c": 7}, {"a": "<5", "b": "<5", "c": "5", "t": "5"}),
        ({"a": 5, "b": 6}, {"a": "5", "b": "5", "t": "10"}),
    ],
)
def test_suppression_leaves_no_hidden_cell_to_work_out(counts, expected):
    cells = {**counts, "t": sum(counts.values())}
    assert suppression.suppress(cells, [("t", list(counts))]) == expected


def test_filters_by_municipality_year_and_version(app, tmp_path):
    add_responses(app, 5, BERGEN, year=2024)
    add_responses(app, 6, BERGEN, year=2025)
    add_responses(app, 7, OSLO, year=2025)
    add_responses(app, 3, BERGEN, state=DRAFT)
    publish_second_version(app, tmp_path)
    add_responses(app, 8, OSLO, answers={"has_licence": "yes"}, year=2025, version=2)
    assert computed(app, municipality=BERGEN)["municipality"][("", "all")] == "15"
    assert computed(app, municipality=BERGEN)["county"] == {
        ("", "Vestland"): "15",
        ("", "total"): "15",
    }
    assert computed(app, year=2024)["state"] == {("", SUBMITTED): "5", ("", "total"): "5"}
    assert computed(app, year=2025)["county"][("", "Oslo")] == "15"
    assert computed(app, version=1)["version"] == {("", "1"): "20", ("", "total"): "20"}
    assert computed(app)["version"] == {("", "1"): "20", ("", "2"): "10", ("", "total"): "30"}
    client = analyst(app)
    page = client.get("/admin/statistikk?municipality=0301&year=2025&version=2")
    assert page_rows(page.text, "state") == {"Sendt inn": "10", "Totalt": "10"}
    assert '<option value="0301" selected>' in page.text
    assert "statistikk/state.csv?municipality=0301&amp;year=2025&amp;version=2" in page.text
    ignored = client.get("/admin/statistikk?municipality=9999&year=abc&version=7")
    assert page_rows(ignored.text, "state")["Totalt"] == "30"


def test_a_year_runs_from_new_year_to_new_year_in_oslo(app):
    """Five persons each submit in June 2024, at the first moment of 2025 in Oslo (23:00 UTC
    the day before), in its last hour and at the first moment of 2026."""
    for at in (
        datetime(2024, 6, 1, tzinfo=UTC),
        datetime(2024, 12, 31, 23, tzinfo=UTC),
        datetime(2025, 12, 31, 22, 30, tzinfo=UTC),
        datetime(2025, 12, 31, 23, tzinfo=UTC),
    ):
        add_responses(app, 5, at=at)  # fmt: skip
    assert computed(app, year=2025)["state"] == {("", SUBMITTED): "10", ("", "total"): "10"}
    assert computed(app, year=2026)["state"] == {("", SUBMITTED): "5", ("", "total"): "5"}


def test_every_table_is_titled_described_and_labelled_in_the_staff_language(mapped):
    with mapped.test_request_context():
        src = statistics.source(db_session(), "kompass")
        tables = statistics.tables(
            db_session(), kompass().registry, src, statistics.Filters(), "nb"
        )
    assert [(table.key, table.title, table.description) for table in tables] == NORWEGIAN_TABLES
    by_key = {table.key: table for table in tables}
    assert [row.label for row in by_key["state"].groups[0].rows] == ["Utkast", "Sendt inn"]
    assert [row.label for row in by_key["version"].groups[0].rows] == ["Versjon 1"]
    assert [row.label for row in by_key["language"].groups[0].rows] == ["Engelsk", "Norsk bokmål"]
    assert [(group.code, group.label) for group in by_key["county"].groups] == [("", "")]
    assert [group.total.label for group in by_key["municipality"].groups] == ["Totalt"] * 2
    assert by_key["municipality"].total.label == "Totalt"
    assert [row.label for row in by_key["verified"].groups[0].rows] == [
        "Alle deler gått gjennom med personen", "Ikke alle deler gått gjennom",
    ]  # fmt: skip


NORWEGIAN_TABLES = [
    ("state", "Besvarelser etter status", "Personer med en besvarelse."),
    ("version", "Besvarelser etter skjemaversjon",
     "Personer etter skjemaversjonen besvarelsen ble påbegynt i."),
    ("language", "Besvarelser etter svarspråk", "Personer etter språket de sist svarte på."),
    ("county", "Besvarelser etter fylke", "Personer etter fylket de bor i."),
    ("municipality", "Besvarelser etter kommune",
     "Personer etter kommunen de bor i, gruppert etter fylke."),
    ("education_level", "Høyeste utdanningsnivå (ISCED 2011)",
     "Innsendte besvarelser: hver person én gang, på sitt høyeste nivå."),
    ("field", "Utdanningsfelt (ISCED-F)",
     "Innsendte besvarelser: personer per fagfelt; én person kan ha flere."),
    ("norwegian", "Norskferdigheter, egenvurdert",
     "Innsendte besvarelser: personer per nivå, for hver ferdighet."),
    ("licence", "Førerkort", "Innsendte besvarelser: personer som svarte."),
    ("licence_classes", "Førerkortklasser",
     "Innsendte besvarelser: personer per klasse; én person kan ha flere."),
    ("occupation", "Yrkesgruppe (ISCO-08 hovedgruppe)",
     "Innsendte besvarelser: personer per yrkesgruppe; én person kan ha hatt flere jobber."),
    ("digital", "Digitale ferdigheter",
     "Innsendte besvarelser: personer per svar, for hver oppgave."),
    ("verified", "Innsendte kartlegginger verifisert av en veileder",
     "Innsendte svar: personer der en veileder har markert alle deler som gått gjennom med dem."),
]  # fmt: skip


def test_labels_come_from_the_version_the_answers_were_given_in(app, tmp_path):
    add_responses(app, 5, answers={"has_licence": "yes"})
    publish_second_version(app, tmp_path)
    add_responses(app, 6, answers={"has_licence": "yes"}, version=2)
    labels = {version: _licence_labels(app, version) for version in (1, 2)}
    assert labels == {1: ["Yes", "No"], 2: ["Yes, in version 2", "No"]}


def _licence_labels(app, version: int) -> list[str]:
    with app.test_request_context():
        src = statistics.source(db_session(), "kompass")
        filters = statistics.Filters(version=version)
        tables = statistics.tables(db_session(), kompass().registry, src, filters, "en")
    [licence] = [table for table in tables if table.key == "licence"]
    return [row.label for row in licence.groups[0].rows]


YES_IN_VERSION_2 = (("translations/en.yaml", '"yes": "Yes"', '"yes": "Yes, in version 2"'),)


def publish_second_version(app, tmp_path, edits=YES_IN_VERSION_2) -> None:
    """Version 2: version 1 with `edits` (file, old text, new text): by default another English
    label for "yes". Its files are written and loaded once per run for each `edits` (no test
    changes them), as conftest's `publish` does for version 1: publishing into another
    database is what each test needs."""
    state = app.extensions["kompass"]
    types = tuple(sorted(state.registry.types.items()))
    if (edits, types) not in _SECOND_VERSIONS:
        _SECOND_VERSIONS[(edits, types)] = _second_version(tmp_path, edits, dict(types))
    questionnaire, folder = _SECOND_VERSIONS[(edits, types)]
    with app.app_context(), state.sessions() as session:
        published.publish(session, questionnaire, folder)


_SECOND_VERSIONS: dict = {}


def _second_version(tmp_path, edits, types: dict):
    """Version 2's files written under `tmp_path` and loaded: (questionnaire, its folder)."""
    root = tmp_path / "questionnaires"
    shutil.copytree(PROJECT_ROOT / "questionnaires", root)
    folder = root / "kompass" / "2"
    shutil.copytree(root / "kompass" / "1", folder)
    for name, old, new in (("questionnaire.yaml", "version: 1", "version: 2"), *edits):
        path = folder / name
        path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    return publishing.load_from_files(root, "kompass", 2, types), folder


def test_reading_statistics_is_audited_without_personal_data(app):
    add_responses(app, 5)
    client = analyst(app)
    client.get("/admin/statistikk?municipality=4601&year=2025")
    client.get("/admin/statistikk/education_level.csv?version=1")
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == "statistics.view")
        events = session.scalars(query.order_by(AuditEvent.id)).all()
    assert [(e.actor_username, e.person_id, e.details) for e in events] == [
        ("analytiker", None, {"municipality": "4601", "year": 2025}),
        ("analytiker", None, {"chart": "education_level", "format": "csv", "version": 1}),
    ]


def test_csv_lines_and_unknown_charts(app):
    add_responses(app, 5)
    client = analyst(app)
    assert client.get("/admin/statistikk/nothing.csv").status_code == 404
    body = client.get("/admin/statistikk/state.csv").data
    assert body.decode("utf-8-sig").split("\r\n") == [
        "Gruppekode;Gruppe;Kode;Kategori;Personer",
        ";;draft;Utkast;<5",
        ";;submitted;Sendt inn;5",
        ";;total;Totalt;5",
        "",
    ]


def test_the_page_has_a_chart_with_a_table_beside_it_and_no_script(app):
    add_responses(app, 5, answers=TWO_DEGREES)
    page = analyst(app).get("/admin/statistikk")
    assert page.text.count('role="img"') == len(statistics.CHARTS) - 1  # municipality: table only
    assert page.text.count("<caption>") == len(statistics.CHARTS)
    assert "<script" not in page.text and "style=" not in page.text
    assert 'scope="col"' in page.text and 'scope="rowgroup"' in page.text


def test_the_home_page_links_to_statistics_for_analysts_only(app):
    assert "/admin/statistikk" in analyst(app).get("/admin/").text
    add_user(app, "counsellor", ["bosetting"], "4601")
    client = app.test_client()
    staff_login(client, "counsellor")
    assert "/admin/statistikk" not in client.get("/admin/").text


def test_the_chart_is_well_formed_svg_that_hides_small_bars():
    groups = [charts.BarGroup("Lese & skrive", [
        charts.Bar("Ja <b>", 40, "40"), charts.Bar("Nei", 20, "20"),
        charts.Bar("Vet ikke", None, "<5"), charts.Bar("Kanskje", None, ":"),
    ])]  # fmt: skip
    svg = ElementTree.fromstring(str(charts.bar_chart("c1", "Tittel", "Beskrivelse", groups)))
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert (svg.find(f"{SVG}title").text, svg.find(f"{SVG}desc").text) == ("Tittel", "Beskrivelse")
    bars = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("y") is not None]
    widths = [int(rect.get("width")) for rect in bars]
    assert widths[0] == 2 * widths[1] and widths[2] == widths[3] < widths[1]
    assert all(rect.get("fill").startswith("url(#c1-hatch") for rect in bars[2:])
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert texts == ["Lese & skrive", "Ja <b>", "40", "Nei", "20", "Vet ikke", "<5", "Kanskje", ":"]


def test_a_long_label_is_wrapped_onto_several_lines():
    label = "Fylle ut skjemaer på nett og bruke offentlige tjenester " * 3
    svg = ElementTree.fromstring(str(charts.bar_chart("c", "T", "D", [
        charts.BarGroup("", [charts.Bar(label, 3, "3")])
    ])))  # fmt: skip
    lines = [text.text for text in svg.iter(f"{SVG}text")][:-1]
    assert len(lines) > 1 and " ".join(lines) == label.strip()
    assert max(len(line) for line in lines) <= charts.WRAP


def test_answer_languages_are_named_in_the_staff_language(app):
    """Never a code ("kmr (kmr)") or an own name alone: the questionnaire's name for staff."""
    add_responses(app, 5, language="kmr")
    add_responses(app, 5, language="fa-AF")
    add_responses(app, 5, language="am")
    client = analyst(app)
    languages = page_rows(client.get("/admin/statistikk").text, "language")
    assert {"Kurmandsji (nordkurdisk)", "Dari", "Amharisk"} <= set(languages)
    client.post("/admin/language", data={"locale": "en", "csrf_token": token(client)})
    languages = page_rows(client.get("/admin/statistikk").text, "language")
    assert {"Kurmanji (Northern Kurdish)", "Dari", "Amharic"} <= set(languages)
