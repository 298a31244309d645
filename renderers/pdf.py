"""HTML to tagged archival PDF (PDF/A-3a), with every font it uses embedded.

Why WeasyPrint: it lays out HTML and CSS itself (Pango shapes Arabic-script and Ge'ez text) and
writes PDF/A directly, so no browser runs on the server and the same templates serve the page
and the archive copy. Rendering reads local files only: a document never makes the server reach
out to the network, and a stylesheet that cannot be read stops the rendering.

Why PDF/A-3a: level A is PDF/A with a structure tree (headings, tables, lists, figures with their
alternative text, in document order), MarkInfo, the document language and Unicode text, so a
screen reader reads the file and an archive accepts it; WeasyPrint writes it as one variant.
WeasyPrint writes one variant's identification only, and calls its PDF/UA experimental, so the
file is built to PDF/UA-1's checkable needs (title shown, language, tags, alternative text) but
does not claim PDF/UA-1. WeasyPrint leaves `dc:language` out of the XMP: `_describe` adds it.

WeasyPrint and pikepdf are imported at the first rendering, not with this module: WeasyPrint
costs a process about as much as the rest of the app together, and most commands and workers'
first pages make no PDF.
"""

import hashlib
import io
from functools import cache

from flask import Response
from sqlalchemy import inspect

from engine.app.db import utcnow

PDF_VARIANT = "pdf/a-3a"  # tagged: WeasyPrint sets pdf_tags for it
# Every PDF names its fonts (Debian's fonts-noto-core): Latin and Cyrillic, Arabic script
# (Arabic, Persian, Dari, Pashto, Sorani) and Ge'ez (Tigrinya). The ones used are embedded.
FONTS = """
html { font-family: "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans Ethiopic",
       sans-serif; }
:lang(ar), :lang(fa), :lang(fa-AF), :lang(ps), :lang(ckb) {
  font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans", sans-serif; }
:lang(ti), :lang(am) { font-family: "Noto Sans Ethiopic", "Noto Sans", sans-serif; }
"""


def render(html: str, base_url: str | None) -> bytes:
    """The tagged PDF/A bytes of `html`, titled by its `<title>` and in the language of its
    `<html lang>`, made now; relative links resolve against `base_url` (a file: URL)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"file"}, fail_on_errors=True)
    source = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    fonts, font_config = _fonts()
    document = source.render(font_config, pdf_variant=PDF_VARIANT, stylesheets=[fonts])
    document.metadata.created = utcnow().isoformat(timespec="seconds")
    body = document.write_pdf(pdf_variant=PDF_VARIANT)
    return _describe(body, document.metadata.lang)


def _describe(body: bytes, lang: str | None) -> bytes:
    """`body` with the document's language in its XMP (`dc:language`), as PDF/A asks the XMP to
    say what the document information says; nothing else changes."""
    import pikepdf

    with pikepdf.open(io.BytesIO(body)) as document:
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:language"] = {lang} if lang else set()
        described = io.BytesIO()
        document.save(described)
        return described.getvalue()


@cache
def _fonts():
    """The font stylesheet and the system's fonts, found once per process: a fifth of a
    typical render's CPU (shared safely: no stylesheet of ours has `@font-face`)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    return CSS(string=FONTS), FontConfiguration()


def key(owner: str, *inputs: object) -> str:
    """A document's key: whose it is (`owner`, e.g. "cv:<response id>") and everything it is
    made from (rows as `row` gives them, languages, catalogue revisions): any change to what it
    shows is another key, and working it out costs no layout."""
    return hashlib.sha256(repr((owner, inputs)).encode()).hexdigest()


def row(item: object) -> tuple:
    """A database row's column values, for `key`."""
    return tuple(getattr(item, column.key) for column in inspect(item).mapper.column_attrs)


def download(body: bytes, filename: str) -> Response:
    """A PDF as a download that no cache keeps; `filename` must not hold personal data."""
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })  # fmt: skip
