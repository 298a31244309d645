"""A section page from markup made once per version, language, beside language and catalogues.

Each question's markup and the page around the questions are rendered once, with slots
(`skeleton`) for what differs between requests: the answers, which sections are started, the
revision, the ids shown (and follow-ups hidden) and the CSRF token. A field with an error, with
entries or taking the focus, and a page with an error, a notice or text from another window, are
rendered in full each time.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from flask import g, render_template, request
from flask_babel import get_domain
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from engine.app.i18n import find, tag_of
from engine.questionnaire.loaded import Questionnaire
from renderers.html import skeleton
from renderers.html.bilingual import Bilingual
from renderers.html.fields import Field

FIELD_TEMPLATE = "respondent/field.html"
PAGE_TEMPLATE = "respondent/section.html"
TOOLS_TEMPLATE = "respondent/form_header.html"


@dataclass(frozen=True)
class Filling:
    """What one request puts into a page's slots."""

    revision: int
    shown: str
    started: frozenset[str]
    fields: Markup


def key(beside: str | None) -> tuple:
    """What every kept markup depends on besides the version: the languages and the interface
    catalogues they were translated with (an edited `.po` file gives new markup at once)."""
    domain = get_domain()  # engine.translation.catalogues.PoDomain
    language = find(beside) if beside and beside != g.lang else None
    second = language and domain.catalogues.get(tag_of(language.locale))  # as force_locale would
    return (g.lang, language and beside, domain.get_translations(), second)


def fields_markup(
    questionnaire: Questionnaire, built: list[Field], page_key: tuple, title: Bilingual
) -> Markup:
    """Every field's markup; `title` names a group's entries."""
    return Markup("".join(_field(questionnaire, item, page_key, title) for item in built))


def _field(questionnaire: Questionnaire, item: Field, page_key: tuple, title: Bilingual) -> str:
    if item.errors or item.entries or item.focus:
        return _render_field(item, title)
    kept = questionnaire.memo.get(
        ("field markup", item.name, *page_key), lambda: _field_skeleton(item, title)
    )
    return kept.fill(item)


def _field_skeleton(item: Field, title: Bilingual) -> skeleton.Skeleton:
    slots = skeleton.Slots()
    slotted = replace(item, slots=slots, value=slots.mark(lambda real: escape(real.value)))
    return skeleton.parse(_render_field(slotted, title), slots)


def _render_field(item: Field, title: Bilingual) -> str:
    return render_template(FIELD_TEMPLATE, f=item, section_title=title)


def section_page(
    questionnaire: Questionnaire, where: tuple, context: Callable[[], dict], filling: Filling
) -> Markup:
    """The page `context()` renders, made once per `where` (key, section, staff sections shown)."""
    kept = questionnaire.memo.get(
        ("section page", where, request.endpoint, request.script_root),
        lambda: _page_skeleton(context()),
    )
    return kept.fill(filling)


def _page_skeleton(context: dict) -> skeleton.Skeleton:
    slots = skeleton.Slots()
    marked = {
        "sections": [{**s, "started": _started(slots, s["id"])} for s in context["sections"]],
        "fields_markup": slots.mark(lambda filling: filling.fields),
        "shown": slots.mark(lambda filling: escape(filling.shown)),
        "revision": slots.mark(lambda filling: escape(filling.revision)),
        "csrf_token": lambda: slots.mark(lambda _: generate_csrf()),
    }
    return skeleton.parse(render_template(PAGE_TEMPLATE, **{**context, **marked}), slots)


def _started(slots: skeleton.Slots, section_id: str) -> Markup:
    return slots.mark(lambda filling: " started" if section_id in filling.started else "")


def tools(
    questionnaire: Questionnaire, page_key: tuple, context: Callable[[], dict]
) -> skeleton.Skeleton:
    """The page's tools (translate, change language, log out), made once per `page_key` and
    page (its URL is in the language links), with a slot for the CSRF token."""
    return questionnaire.memo.get(
        ("form tools", page_key, request.endpoint, tuple(sorted(request.view_args.items()))),
        lambda: _tools_skeleton(context()),
    )


def _tools_skeleton(context: dict) -> skeleton.Skeleton:
    slots = skeleton.Slots()
    marked = {"csrf_token": lambda: slots.mark(lambda _: generate_csrf())}
    return skeleton.parse(render_template(TOOLS_TEMPLATE, **{**context, **marked}), slots)
