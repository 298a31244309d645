"""The check-answers page from kept markup: its frame per version, languages and catalogues, its
answers per answers too.

The frame (the page around the answers, with the tools and the form that sends them) is kept
per version, languages, interface catalogues, offered languages and staff sections, with slots
for the CSRF token, the revision and the answers' markup. The answers' part (what is still to
answer, the soft checks, every answer as text) shows only what the version makes of the
answers, so it is kept by a hash of the answers too, never by the response's id (a database
may give an id again: SQLite after an erasure, a restored backup), with a slot for the answer
that takes the focus. A page with errors (a refused submit) is rendered in full.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from flask import render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from engine.questionnaire.loaded import Questionnaire
from engine.questionnaire.memo import Memo
from renderers.html import skeleton

FRAME_TEMPLATE = "respondent/review.html"
ANSWERS_TEMPLATE = "respondent/review_answers.html"
ANSWERS_PER_VERSION = 128  # the answers seen last


@dataclass(frozen=True)
class Filling:
    """What one request puts into a kept page's slots."""

    revision: int
    focused: str | None
    answers: str = ""


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
    frame: dict,
    body: Callable[[], dict],
    filling: Filling,
) -> Markup:
    """The page of `frame` (with the tools' skeleton) around the answers' part `body()`
    renders, each made once per `where` (languages, catalogues, offered languages, staff
    sections) and page, the answers' part per answers too."""
    url = (request.endpoint, request.script_root, tuple(sorted(request.view_args.items())))
    around = questionnaire.memo.get(("review frame", where, *url), lambda: _frame(frame))
    kept = questionnaire.memo.get(("review answers",), lambda: Memo(ANSWERS_PER_VERSION))
    part = kept.get((*where, *url, answers_hash(answers)), lambda: _answers(body()))
    return around.fill(replace(filling, answers=part.fill(filling)))


def in_full(frame: dict, body: dict, revision: int, focused: str | None = None) -> str:
    """The page rendered through the templates (a page with errors)."""
    part = render_template(ANSWERS_TEMPLATE, **body, autofocus=focus(focused))
    return render_template(
        FRAME_TEMPLATE, **{**frame, "tools": frame["tools"].fill(None)},
        problem_links=body["problem_links"], answers_markup=Markup(part), revision=revision,
    )  # fmt: skip


def _frame(frame: dict) -> skeleton.Skeleton:
    slots = skeleton.Slots()
    marked = {
        "tools": frame["tools"].nest(slots),
        "csrf_token": lambda: slots.mark(lambda _: generate_csrf()),
        "revision": slots.mark(lambda filling: escape(filling.revision)),
        "answers_markup": slots.mark(lambda filling: filling.answers),
    }
    page = render_template(FRAME_TEMPLATE, **{**frame, **marked}, problem_links=())
    return skeleton.parse(page, slots)


def _answers(body: dict) -> skeleton.Skeleton:
    slots = skeleton.Slots()

    def autofocus(anchor: str) -> Markup:
        return slots.mark(lambda filling: " autofocus" if filling.focused == anchor else "")

    return skeleton.parse(render_template(ANSWERS_TEMPLATE, **body, autofocus=autofocus), slots)
