"""Both PDFs are tagged PDF/A-3a: structure tree in reading order, headings, tables, figures with
alternative text, title shown, language, creation date and producer (read back with pikepdf).

Each PDF is rendered once for the module; every test reads the same bytes.
"""

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf
import pytest

from engine.responses import contact
from renderers import pdf
from tests.conftest import published_copy, serving
from tests.helpers import add_person
from tests.test_pdf import DUF, NB_HEADINGS, counsellor_client, fill

pytestmark = pytest.mark.database_incidental

PICTURE = Path(__file__).parents[1] / "questionnaires" / "kompass" / "1" / "images" / "hammer.svg"
PHONE, EMAIL = "+47 912 34 567", "navn@example.com"


@pytest.fixture(scope="module")
def documents(published_template, tmp_path_factory):
    """The archival PDF (staff language nb) and the CV (Arabic beside Norwegian) of one person
    who added contact details, and when they were made."""
    for app in serving(published_copy(published_template, tmp_path_factory.mktemp("tags"))):
        person = add_person(app, DUF)
        fill(app, person, "ar")
        with app.app_context(), app.extensions["kompass"].sessions() as session:
            contact.put(session, f"person:{person}", contact.Contact(PHONE, EMAIL))
            session.commit()
        client = counsellor_client(app)
        made = datetime.now(UTC)
        yield {
            "archive": client.get(f"/admin/personer/{person}/kartlegging.pdf").data,
            "cv": client.get(f"/admin/personer/{person}/cv.pdf").data,
            "made": made,
        }


def opened(body: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(body))


def elements(node) -> list:
    """The structure elements under `node`, depth first: the reading order."""
    kids = node.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    found = []
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found += [kid, *elements(kid)]
    return found


def types(document: pikepdf.Pdf) -> list[str]:
    return [str(element.S) for element in elements(document.Root.StructTreeRoot)]


@pytest.mark.parametrize(("kind", "lang"), [("archive", "nb"), ("cv", "ar")])
def test_each_pdf_says_what_it_is_in_its_catalogue_info_and_xmp(documents, kind, lang):
    document = opened(documents[kind])
    root, info = document.Root, document.docinfo
    assert root.MarkInfo.Marked is True and root.ViewerPreferences.DisplayDocTitle is True
    assert str(root.Lang) == lang
    xmp = document.open_metadata()
    assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "A"
    assert xmp["dc:language"] == {lang}
    assert xmp["dc:title"] == str(info.Title) and "Navn Navnesen" in str(info.Title)
    producer = str(info.Producer)
    assert producer.startswith("WeasyPrint ") and xmp["pdf:Producer"] == producer
    created = datetime.fromisoformat(xmp["xmp:CreateDate"])
    assert abs(created - documents["made"]) < timedelta(minutes=2)
    assert str(info.CreationDate).startswith(created.strftime("D:%Y%m%d%H%M"))
    assert "/OutputIntents" in root


def test_the_archive_reads_as_a_heading_then_its_facts_then_each_section(documents):
    document = opened(documents["archive"])
    order = types(document)
    assert order[0] == "/Document" and order[1] == "/H1"
    headings = [kind for kind in order if kind in ("/H1", "/H2", "/H3")]
    assert headings[0] == "/H1" and headings.count("/H1") == 1 and "/H2" in headings
    assert order.index("/Table") < order.index("/H2")  # the facts table before the sections
    for cell in ("/TR", "/TH", "/TD"):
        assert cell in order
    assert "/L" in order and "/LI" in order and "/LBody" in order  # answers as lists


def test_the_cv_is_a_table_of_two_columns_with_headings_in_each(documents):
    order = types(opened(documents["cv"]))
    assert order[:5] == ["/Document", "/Table", "/THead", "/TR", "/TH"]
    assert order.count("/H1") == 2  # one per language
    assert order.index("/H1") < order.index("/TBody") < order.index("/H2")
    assert order.count("/H2") == 2 * len(NB_HEADINGS)
    assert order.count("/TH") == 2 and "/TD" in order


@pytest.mark.parametrize("kind", ["archive", "cv"])
def test_every_figure_has_alternative_text(documents, kind):
    document = opened(documents[kind])
    figures = [e for e in elements(document.Root.StructTreeRoot) if e.S == "/Figure"]
    assert all(str(figure.get("/Alt", "")).strip() for figure in figures)


def test_a_picture_becomes_a_figure_with_its_alternative_text():
    html = (
        '<!doctype html><html lang="nb"><head><title>Bilde</title></head><body>'
        f'<h1>Verktøy</h1><img src="{PICTURE.name}" alt="En hammer"></body></html>'
    )
    document = opened(pdf.render(html, PICTURE.parent.as_uri() + "/"))
    figures = [e for e in elements(document.Root.StructTreeRoot) if e.S == "/Figure"]
    assert [str(figure.Alt) for figure in figures] == ["En hammer"]
    assert types(document)[1] == "/H1"
