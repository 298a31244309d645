"""The archival PDF of a mapping and the person's CV: PDF/A, fonts embedded, every script read."""

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from auth.staff.models import AuditEvent
from engine.app.db import utcnow
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import Respondent
from renderers.html.views import CV_KEY
from tests.conftest import csrf_token, hidden
from tests.helpers import add_person, log_in, make_code
from tests.staff_helpers import add_user, staff_login

pytestmark = pytest.mark.database_incidental

DUF = "202000000000"
TEXTS = {
    "ar": {"job": "ممرضة في مستشفى حلب", "tasks": "رعاية المرضى", "school": "معهد التمريض"},
    "ti": {"job": "ነርስ ኣብ ሆስፒታል ኣስመራ", "tasks": "ክንክን ሕሙማት", "school": "ቤት ትምህርቲ ነርስ"},
    "uk": {"job": "Медсестра в лікарні", "tasks": "Догляд за хворими", "school": "Медичний коледж"},
    "am": {"job": "ነርስ በሆስፒታል", "tasks": "የታካሚዎች እንክብካቤ", "school": "የነርሲንግ ኮሌጅ"},
}
# The answer language as staff read it in the PDF: named in Norwegian, beside its own name.
ANSWERED_IN = {"ar": "Arabisk", "ti": "Tigrinja", "uk": "Ukrainsk"}
NB_HEADINGS = [
    "Personopplysninger", "Arbeidserfaring", "Utdanning", "Språk", "Digitale ferdigheter",
    "Førerkort",
]  # fmt: skip
AR_HEADINGS = ["السيرة الذاتية", "الخبرة في العمل", "التعليم", "اللغة"]


def fill(app, person_id: int, lang: str, submit: bool = True) -> None:
    """A mapping answered in `lang`, with free text in that language; submitted unless told."""
    state, texts = app.extensions["kompass"], TEXTS[lang]
    subject = f"person:{person_id}"
    person = Respondent(subject)
    with app.app_context(), state.sessions() as session:
        service = Lifecycle(session, state.registry)
        opened = service.open(subject, lang)

        def save(section: str, answers: dict) -> None:
            service.save_section(opened, section, answers, opened.response.revision, lang, person)

        def entry(group: str) -> str:
            revision = opened.response.revision
            return service.add_entry(opened, group, revision, lang, person).entry_id

        save("personal", {"citizenship": "ER", "mother_tongue": lang})
        job = {"_id": entry("jobs"), "job_title": texts["job"], "job_isco": "2",
               "job_country": "SY", "job_from_year": 2012, "job_ongoing": "no",
               "job_to_year": 2019, "job_type": "employee",
               "job_tasks": texts["tasks"]}  # fmt: skip
        save("work", {"has_work_experience": "yes", "jobs": [job]})
        school = {"_id": entry("education"), "edu_level": "6", "edu_field": "09",
                  "edu_name": texts["school"], "edu_start_year": 2008, "edu_status": "completed",
                  "edu_end_year": 2010, "edu_documented": "yes"}  # fmt: skip
        save("education", {"education": [school]})
        levels = {"understand": "good", "speak": "basic", "read": "basic", "write": "none"}
        save("language", {"norwegian_level": levels, "english_level": {"read": "very_good"}})
        save("digital", {"devices": ["smartphone"], "digital_tasks": {"email": "alone"}})
        save("licence", {"has_licence": "yes", "licence_categories": ["B"],
                         "licence_country": "SY", "driving_years": 6})  # fmt: skip
        if submit:
            assert not service.submit(opened, opened.response.revision, person).problems


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def fonts(resources) -> list:
    """Every font dictionary in `resources`, those of form XObjects included."""
    found = list((resources.get("/Font") or {}).values())
    for xobject in (resources.get("/XObject") or {}).values():
        if "/Resources" in xobject.get_object():
            found += fonts(xobject.get_object()["/Resources"])
    return [font.get_object() for font in found]


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts of a PDF/A file, each checked to be embedded."""
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.xmp_metadata.pdfaid_part == "3"
    assert reader.xmp_metadata.pdfaid_conformance == "A"
    assert "/OutputIntents" in reader.trailer["/Root"]
    used = [font for page in reader.pages for font in fonts(page["/Resources"])]
    for font in used:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
            else font  # fmt: skip
        descriptor = descendant["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
    return {str(font["/BaseFont"]) for font in used}


def actions(app, action: str) -> list[int]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        return [event.person_id for event in events]


def counsellor_client(app):
    add_user(app, "veileder", ["bosetting"], "4601")
    client = app.test_client()
    staff_login(client, "veileder")
    return client


@pytest.mark.parametrize(
    ("lang", "script_font"),
    [("ar", "Naskh-Arabic"), ("ti", "Ethiopic"), ("uk", "Noto-Sans")],
)
def test_the_archival_pdf_holds_every_answer_in_pdf_a(app, lang, script_font):
    """One language per script (Amharic, a second in Ethiopic, is read in its CV below)."""
    person = add_person(app, DUF)
    fill(app, person, lang)
    client = counsellor_client(app)
    page = client.get(f"/admin/personer/{person}/kartlegging").text
    assert f'href="/admin/personer/{person}/kartlegging.pdf"' in page and "Last ned PDF" in page
    download = client.get(f"/admin/personer/{person}/kartlegging.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="kartlegging-\d+\.pdf"', disposition)
    text = text_of(download.data)
    for answer in TEXTS[lang].values():
        assert answer in text
    for label in ("Navn Navnesen", DUF, "01.01.2000", "versjon 1", "Sendt inn", "Startet",
                  "Sist lagret", "Hva jobbet du som?", "Eritrea", "Bachelorgrad",
                  ANSWERED_IN[lang]):  # fmt: skip
        assert label in text, label
    names = embedded_fonts(download.data)
    assert any("Noto-Sans" in name for name in names)
    assert any(script_font in name for name in names), names
    assert actions(app, "mapping.pdf") == [person]


def submit_as_the_person(client, runner, app, duf: str = DUF, lang: str = "ar") -> None:
    """The person logs in, finds the answers filled in, and sends them from the review page."""
    code = make_code(runner, duf)
    fill(app, add_person(app, duf), lang, submit=False)
    log_in(client, code, duf, lang)
    review = client.get(f"/{lang}/form/review").text
    form = {"csrf_token": csrf_token(review), "revision": hidden(review, "revision")}
    assert client.post(f"/{lang}/form/submit", data=form).status_code == 302


def test_the_person_takes_a_cv_in_two_languages_for_an_hour(app, runner):
    client = app.test_client()
    submit_as_the_person(client, runner, app)
    receipt = client.get("/ar/form/receipt").text
    assert 'href="/ar/kompass/form/cv.pdf"' in receipt
    download = client.get("/ar/form/cv.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="cv-\d+\.pdf"', disposition)
    text = text_of(download.data)
    assert any("Naskh-Arabic" in name for name in embedded_fonts(download.data))
    positions = [text.index(heading) for heading in NB_HEADINGS]
    assert positions == sorted(positions)
    assert all(heading in text for heading in AR_HEADINGS)
    assert "B1–B2 · Godt" in text and "C1–C2 · Svært godt" in text and "under A1 · Ikke" in text
    assert TEXTS["ar"]["job"] in text and "Akademiske yrker" in text and "B – personbil" in text
    assert DUF not in text and "Navn Navnesen" in text  # the name, never the DUF number
    assert app.test_client().get("/ar/form/cv.pdf").status_code == 302
    with client.session_transaction() as session:
        session[CV_KEY] = {**session[CV_KEY], "until": (utcnow() - timedelta(1)).isoformat()}
    assert client.get("/ar/form/cv.pdf").location.endswith("/ar/login")
    assert 'href="/ar/kompass/form/cv.pdf"' not in client.get("/ar/form/receipt").text


def test_each_browser_gets_the_cv_of_its_own_response_until_someone_logs_in(app, runner):
    arabic, tigrinya = app.test_client(), app.test_client()
    submit_as_the_person(arabic, runner, app)
    submit_as_the_person(tigrinya, runner, app, "201900000123", "ti")
    assert TEXTS["ti"]["job"] in text_of(tigrinya.get("/ti/form/cv.pdf").data)
    assert TEXTS["ar"]["job"] in text_of(arabic.get("/ar/form/cv.pdf").data)
    assert TEXTS["ti"]["job"] not in text_of(arabic.get("/ti/form/cv.pdf").data)
    log_in(arabic, make_code(runner, "201800000011"), "201800000011", "ar")
    assert arabic.get("/ar/form/cv.pdf").status_code == 302


def test_the_counsellor_prints_the_cv(app):
    person = add_person(app, DUF)
    fill(app, person, "ti")
    client = counsellor_client(app)
    assert f'href="/admin/personer/{person}/cv.pdf"' in client.get(
        f"/admin/personer/{person}/kartlegging").text  # fmt: skip
    download = client.get(f"/admin/personer/{person}/cv.pdf")
    assert download.status_code == 200
    text = text_of(download.data)
    assert TEXTS["ti"]["tasks"] in text and "ውልቃዊ ሓበሬታ" in text and "Arbeidserfaring" in text
    assert actions(app, "mapping.cv") == [person]
    add_user(app, "oslo", ["bosetting"], "0301")
    other = app.test_client()
    staff_login(other, "oslo")
    assert other.get(f"/admin/personer/{person}/cv.pdf").status_code == 404


@pytest.mark.parametrize(
    ("lang", "heading", "script_font"),
    [("uk", "Особисті дані", "Noto-Sans"), ("am", "የግል መረጃ", "Ethiopic")],
)
def test_the_cv_of_a_new_language_reads_with_its_font_embedded(app, lang, heading, script_font):
    person = add_person(app, DUF)
    fill(app, person, lang)
    download = counsellor_client(app).get(f"/admin/personer/{person}/cv.pdf")
    text = text_of(download.data)
    assert TEXTS[lang]["tasks"] in text and heading in text and "Arbeidserfaring" in text
    names = embedded_fonts(download.data)
    assert any(script_font in name for name in names)
    assert all("Noto" in name for name in names), names  # no glyph from a system font
