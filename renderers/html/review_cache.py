"""The check-answers page from markup kept per version, languages, catalogues and answers.

The page shows only what the version makes of the answers (every answer as text, what is still
to answer, the soft checks), so its markup is kept by a hash of the answers, never by the
response's id (a database may give an id again: SQLite after an erasure, a restored backup),
with slots (`skeleton`) for the revision, the CSRF token and the answer that takes the focus.
A page with errors (a refused submit) is rendered in full.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.memo import Memo
from renderers.html import skeleton

TEMPLATE = "respondent/review.html"
PAGES_PER_VERSION = 128  # the pages of the answers seen last, per version


@dataclass(frozen=True)
class Filling:
    """What one request puts into a kept page's slots."""

    revision: int
    focused: str | None


def focus(focused: str | None) -> Callable[[str], str]:
    """The template's `autofocus(anchor)`: the attribute on the answer just changed."""
    return lambda anchor: Markup(" autofocus") if anchor == focused else ""


def answers_hash(answers: dict) -> bytes:
    """The answers as the page shows them (key order aside), in 16 bytes."""
    text = json.dumps(answers, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def page(
    questionnaire: Questionnaire,
    where: tuple,
    answers: dict,
    context: Callable[[], dict],
    filling: Filling,
) -> Markup:
    """The page `context()` renders (without tools, revision, token and focus: the slots), made
    once per `where` (languages, catalogues, offered languages, staff sections) and answers."""
    pages = questionnaire.memo.get(("review pages",), lambda: Memo(PAGES_PER_VERSION))
    url = (request.endpoint, request.script_root, tuple(sorted(request.view_args.items())))
    kept = pages.get((*where, *url, answers_hash(answers)), lambda: _skeleton(context()))
    return kept.fill(filling)


def in_full(context: dict, revision: int, focused: str | None = None) -> str:
    """The page rendered through the template (a page with errors); `context["tools"]` is the
    tools' skeleton (`page_cache.tools`)."""
    tools = context["tools"].fill(None)
    return render_template(
        TEMPLATE, **{**context, "tools": tools}, revision=revision, autofocus=focus(focused)
    )


def _skeleton(context: dict) -> skeleton.Skeleton:
    slots = skeleton.Slots()

    def csrf_token() -> Markup:
        return slots.mark(lambda _: generate_csrf())

    def autofocus(anchor: str) -> Markup:
        return slots.mark(lambda filling: " autofocus" if filling.focused == anchor else "")

    marked = {
        "tools": context["tools"].nest(slots),
        "csrf_token": csrf_token,
        "revision": slots.mark(lambda filling: escape(filling.revision)),
        "autofocus": autofocus,
    }
    return skeleton.parse(render_template(TEMPLATE, **{**context, **marked}), slots)
