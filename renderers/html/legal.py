"""The legal pages (`/<lang>/accessibility`, `/<lang>/privacy`), from the editors' files
(`engine/definition/legal_pages.py`), open to everyone, in every offered language.

A missing or broken file is never an error page for the reader: the page is shown from the
English, then the Norwegian file (its text marked with its own language), and the log names the
broken file. The settings fill in the names in braces.
"""

import logging
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from flask import Blueprint, abort, current_app, g, render_template
from markupsafe import Markup, escape

from engine.definition import cldr, legal_pages
from engine.definition.legal_pages import LegalPage
from engine.questionnaire.richtext import rich
from renderers.html.bilingual import LRI, N_, PDI, isolate_ltr

log = logging.getLogger(__name__)
blueprint = Blueprint("legal", __name__)
FALLBACKS = ("en", "nb")
TITLES = {"accessibility": N_("Accessibility statement"), "privacy": N_("Privacy notice")}


def links() -> tuple[tuple[str, str], ...]:
    """(page name, title) of each legal page, for the footers."""
    return tuple(TITLES.items())


@dataclass(frozen=True)
class Shown:
    """A page ready to show: `lang` and `dir` of the file it was read from."""

    page: LegalPage
    lang: str
    dir: str


@blueprint.get("/<lang>/<any(accessibility, privacy):name>")
def page(name: str):
    shown = _shown(Path(current_app.config["KOMPASS_QUESTIONNAIRES_DIR"]), name)
    if shown is None:
        abort(404)
    values = _settings()
    return render_template(
        "respondent/legal.html",
        name=name,
        shown=shown,
        text=lambda value: _text(value, values, shown.dir),
        paragraphs=lambda part: [_text(p, values, shown.dir) for p in shown.page.paragraphs(part)],
        day=lambda value: _day(value, shown.lang),
    )


def _shown(root: Path, name: str) -> Shown | None:
    """The page in the request's language, else in the first fallback language that has it."""
    for lang in dict.fromkeys((g.lang, *FALLBACKS)):
        file = legal_pages.path_of(root, lang, name)
        if not file.is_file():
            continue
        page = _read(file, file.stat().st_mtime_ns)
        if page is not None:
            return Shown(page, lang, cldr.direction(lang))
    return None


@lru_cache(maxsize=64)
def _read(file: Path, _changed: int) -> LegalPage | None:
    """The file's page, read again when it changes; a broken file is logged and not shown."""
    page, errors = legal_pages.read(file)
    for error in errors:
        log.warning("legal page not shown: %s", error)
    return page


def _settings() -> dict[str, str]:
    config = current_app.config
    return {
        "organisation": config["KOMPASS_CONTACT_ORGANISATION"],
        "email": config["KOMPASS_CONTACT_EMAIL"],
        "mapped_years": str(config["KOMPASS_RETENTION_MAPPED_YEARS"]),
        "unmapped_years": str(config["KOMPASS_RETENTION_UNMAPPED_YEARS"]),
        "code_days": str(config["KOMPASS_RETENTION_CODE_DAYS"]),
    }


def _text(value: str, values: dict[str, str], direction: str) -> Markup:
    """A text with the settings filled in (escaped; each isolated whole in right-to-left text,
    so an e-mail address keeps its order), sanitised as questionnaire texts are."""
    before, after = (LRI, PDI) if direction == "rtl" else ("", "")
    escaped = {key: f"{before}{escape(setting)}{after}" for key, setting in values.items()}
    return rich(legal_pages.filled(isolate_ltr(value, direction), escaped))


def _day(value: date, lang: str) -> str:
    return format_date(value, format="long", locale=cldr.babel_locale(lang))
