"""The respondent's pages."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for

from engine.app.context import db_session, kompass
from engine.app.db import utcnow
from engine.app.i18n import offered
from engine.questionnaire import moments, validation
from engine.responses import entries, lifecycle, storage
from engine.responses.respondent import INTERVIEW
from renderers import cv, pdf
from renderers.html import (
    check_this,
    cv_contact,
    error_links,
    fields,
    focus,
    formdata,
    journey,
    one_answer,
    page_cache,
    pictures,
    review,
    review_cache,
    spoken,
    typed,
)
from renderers.html.bilingual import N_, Bilingual, pair, ui

blueprint = Blueprint(
    "respondent",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/respondent",
)
RECEIPT_KEY = "receipt"
CV_KEY = "cv"
CV_WINDOW = timedelta(minutes=60)


@blueprint.get("/")
def start():
    return render_template("respondent/start.html", choices=spoken.choices(offered()))


@blueprint.get("/<lang>/")
def home():
    return redirect(url_for("respondent.form_start"))


def open_response(view):
    """Run `view(now, ...)` for a logged-in respondent whose response is still a draft."""

    @wraps(view)
    def wrapper(**kwargs):
        now = journey.current()
        if now is None:
            return journey.to_login()
        if now.response.submitted:
            return redirect(url_for("respondent.receipt"))
        return view(now, **kwargs)

    return wrapper


def form_route(rest: str, methods=("GET",)):
    """The rule `/<lang>/<questionnaire>/form/<rest>`, and without the questionnaire: the one
    the respondent answers (links and redirects carry it; engine/app/i18n.py takes it)."""

    def register(view):
        view = blueprint.route(f"/<lang>/<questionnaire>/form/{rest}", methods=methods)(view)
        return blueprint.route(f"/<lang>/form/{rest}", methods=methods,
                               defaults={"questionnaire": None})(view)  # fmt: skip

    return register


@form_route("")
@open_response
def form_start(now):
    first = now.sections()[0]
    return redirect(url_for("respondent.section", section_id=first.id))


@form_route("<section_id>", methods=("GET", "POST"))
@open_response
def section(now, section_id: str):
    sections = now.sections()
    current_section = next((s for s in sections if s.id == section_id), None)
    if current_section is None:
        abort(404)
    if request.method == "GET":
        answers = formdata.Posted(now.response.answers)
        moved = focus.moved_here(section_id)
        return _page(now, sections, current_section, answers, moved=moved)
    return _post_section(now, sections, current_section)


@form_route("change/<question_id>", methods=("GET", "POST"))
@open_response
def change(now, question_id: str):
    """One answer from the check-answers page (a group: one entry, `?entry=<id>`)."""
    sections = now.sections()
    part = one_answer.part(now.questionnaire, sections, question_id)
    if part is None:
        abort(404)
    entry = _entry_index(now.response.answers, question_id, request.args.get("entry"))
    changing = Changing(question_id, request.args.get("entry") if entry is not None else None)
    if request.method == "POST":
        return _post_section(now, sections, part, changing)
    moved = focus.moved_here(changing.key) or (
        entry is not None and {"target": f"q-{question_id}-{entry}-title"}
    )
    answers = formdata.Posted(now.response.answers)
    return _page(now, sections, part, answers, moved=moved or None, changing=changing)


@dataclass(frozen=True)
class Changing:
    """The page changes one answer (of one entry) and then goes back to the check-answers page."""

    question_id: str
    entry_id: str | None = None

    @property
    def key(self) -> str:
        return f"change:{self.question_id}"

    def url(self, **kwargs) -> str:
        entry = {"entry": self.entry_id} if self.entry_id else {}
        return url_for("respondent.change", question_id=self.question_id, **entry, **kwargs)

    def done(self) -> str:
        return one_answer.back_to_review(self.question_id, self.entry_id)


def _entry_index(answers: dict, group_id: str, entry_id: str | None) -> int | None:
    """The index of the group's entry with this id (None: no such entry, or no entry asked)."""
    current = answers.get(group_id)
    if not entry_id or not isinstance(current, list):
        return None
    return entries.index_of(current, entry_id)


def _post_section(now, sections, current_section, changing: "Changing | None" = None):
    form = request.form
    try:
        revision = int(form.get("revision", ""))
    except ValueError:
        abort(400)
    if revision != now.response.revision:
        return _stale(now, sections, current_section, form, changing)
    posted = formdata.parse_section(
        now.questionnaire, current_section.questions, form, now.response.answers
    )
    action = form.get("action", "next")
    try:
        saved = journey.lifecycle().save_section(
            now.opened, current_section.id, posted.answers, revision, g.lang, now.respondent
        )
        before = focus.entry_ids(saved.response.answers, action)
        saved = _apply_entry_action(now, current_section, posted, saved, action)
    except storage.StaleRevision:
        return _stale(now, sections, current_section, form, changing)
    problems = posted.problems + saved.problems
    scope = {q.id for q in current_section.questions}
    if action == "next":
        answers, questions = saved.response.answers, current_section.questions
        problems += validation.rule_problems(now.questionnaire, answers, True, questions)
    problems = [p for p in problems if p.path and p.path[0] in scope]
    after = focus.entry_ids(saved.response.answers, action)
    if len(after) != len(before) and not problems:
        if changing:
            return focus.after_entry_action(changing.key, action, before, after, changing.url)
        return focus.after_entry_action(current_section.id, action, before, after)
    if action == "back" and not problems:
        return redirect(changing.done() if changing else _neighbour(sections, current_section, -1))
    if action == "next":
        revealed = _revealed(now.questionnaire, current_section, saved.response.answers, form)
        problems = [p for p in problems if p.path[0] not in revealed]  # not seen yet: no error
        if revealed and not problems:
            notice = N_("More questions appeared because of your answers. Please look at them.")
            shown = formdata.Posted(saved.response.answers)
            return _page(now, sections, current_section, shown, notice, revealed=revealed,
                         changing=changing)  # fmt: skip
        if not problems:
            return redirect(
                changing.done() if changing else _neighbour(sections, current_section, +1)
            )
    shown = formdata.Posted(saved.response.answers, posted.raw, problems)
    status = 422 if problems else 200
    return _page(now, sections, current_section, shown, status=status, changing=changing)


def _stale(now, sections, current_section, form, changing=None):
    """The newest answers, and beside them what this (older) page posted, so it can be copied."""
    notice = N_("These answers were changed in another window. Here are the newest answers.")
    newest = formdata.Posted(now.response.answers)
    return _page(now, sections, current_section, newest, notice, typed_form=form, changing=changing)


def _apply_entry_action(now, current_section, posted, saved, action: str):
    """'add:<group>' appends an empty entry; 'remove:<group>:<entry id>' removes one."""
    verb, _, rest = action.partition(":")
    group_id, _, entry_id = rest.partition(":")
    if verb not in ("add", "remove") or group_id not in {q.id for q in current_section.questions}:
        return saved
    service, opened = journey.lifecycle(), now.opened
    revision = saved.response.revision
    try:
        if verb == "add":
            return service.add_entry(opened, group_id, revision, g.lang, now.respondent)
        changed = service.remove_entry(opened, group_id, entry_id, revision, g.lang, now.respondent)
    except lifecycle.UnknownPart:
        return saved
    posted.raw = {k: v for k, v in posted.raw.items() if not k.startswith(f"q.{group_id}.")}
    posted.problems = [p for p in posted.problems if p.path[:1] != (group_id,)]
    return changed


def _revealed(questionnaire, current_section, answers: dict, form) -> set[str]:
    """The questions the saved answers reveal that the page did not show."""
    shown = formdata.shown_ids(form)
    return fields.visible_ids(questionnaire, current_section.questions, answers) - shown


def _ids(built: list[fields.Field]) -> set[str]:
    """The ids of the questions the page shows (not the hidden follow-ups)."""
    ids = set()
    for item in built:
        if item.hidden:
            continue
        ids.add(item.question.id)
        for entry in item.entries:
            ids |= _ids(entry)
    return ids


def _neighbour(sections, current_section, step: int) -> str:
    index = sections.index(current_section) + step
    if index < 0:
        return url_for("respondent.start")
    if index >= len(sections):
        return url_for("respondent.review_page")
    return url_for("respondent.section", section_id=sections[index].id)


def _page(
    now,
    sections,
    current_section,
    posted,
    notice=None,
    status=200,
    typed_form=None,
    revealed=(),
    moved=None,
    changing: Changing | None = None,
):
    beside = g.beside = journey.beside_language()
    questionnaire = now.questionnaire
    pictures.use(questionnaire)
    not_saved = typed_form and typed.not_saved(
        questionnaire, current_section.questions, typed_form, posted.answers, g.lang, beside
    )
    state = fields.PageState(
        questionnaire, posted.answers, posted.raw, posted.problems, g.lang, beside
    )
    built = fields.build(state, current_section.questions)
    focus.first_of(built, set(revealed))
    title = state.kept_text(
        ("section title", current_section.id),
        lambda lg: questionnaire.section_title(current_section, lg),
    )
    if moved:
        focus.heading(built, moved["target"])
        notice = moved.get("removed") and focus.removed_notice(beside, title, moved["removed"])
    page_key = page_cache.key(beside)
    filling = page_cache.Filling(
        revision=now.response.revision,
        shown=" ".join(sorted(_ids(built))),
        started=frozenset(s.id for s in sections if _started(s, now.response.answers)),
        fields=page_cache.fields_markup(questionnaire, built, page_key, title),
    )
    errors = error_links.summary(built, title, beside)

    def context() -> dict:
        return {
            "questionnaire": questionnaire,
            "sections": _progress(now, sections, current_section, beside, filling.started),
            "section": current_section,
            "section_title": title,
            "section_intro": state.text(
                lambda lg: questionnaire.section_intro(current_section, lg)
            ),
            "fields_markup": filling.fields,
            "shown": filling.shown,
            "errors": errors,
            "revision": filling.revision,
            "notice": notice and (notice if isinstance(notice, Bilingual) else ui(beside, notice)),
            "announce": bool(moved and moved.get("removed")),
            "not_saved": not_saved,
            "beside": beside,
            "languages": offered(),
            "is_first": sections[0] is current_section,
            "is_last": sections[-1] is current_section,
            "action": changing.url()
            if changing
            else url_for("respondent.section", section_id=current_section.id),
            "changing": changing,
        }

    if errors or notice or not_saved:
        return render_template("respondent/section.html", **context()), status
    page_id = changing.key if changing else current_section.id
    where = (*page_key, page_id, now.respondent.include_staff)
    return page_cache.section_page(questionnaire, where, context, filling), status


def _started(section, answers: dict) -> bool:
    return any(q.id in answers for q in section.questions)


def _progress(now, sections, current_section, beside, started: frozenset[str]):
    questionnaire = now.questionnaire
    return [
        {
            "id": s.id,
            "title": pair(
                questionnaire, lambda lg, s=s: questionnaire.section_title(s, lg), g.lang, beside
            ),
            "current": s is current_section,
            "started": " started" if s.id in started else "",
        }
        for s in sections
    ]


@form_route("review")
@open_response
def review_page(now):
    return _review(now, problems=[])


def _review(now, problems, status=200):
    """The review page; `problems` are those of a refused submit, shown as an error (the page
    rendered in full). Without them, the questions still to answer are listed as a plain note
    with a link to each, on a page from kept markup (`review_cache`)."""
    beside = g.beside = journey.beside_language()
    questionnaire, answers = now.questionnaire, now.response.answers
    where = (*page_cache.key(beside), tuple(offered()), now.respondent.include_staff)
    tools_context = {"languages": offered(), "beside": beside}
    tools = page_cache.tools(questionnaire, where, lambda: tools_context)
    frame = {"questionnaire": questionnaire, "beside": beside, "tools": tools}

    def body() -> dict:
        sections = now.sections()
        pending = [] if problems else _pending(now)
        return {
            "questionnaire": questionnaire,
            "summaries": review.summarise(questionnaire, sections, answers, g.lang, beside),
            "problem_links": _problem_links(now, sections, problems, beside),
            "pending_links": _problem_links(now, sections, pending, beside),
            "soft_checks": check_this.items(
                questionnaire, answers, g.lang, beside, now.respondent.include_staff
            ),
            "beside": beside,
            "answer_anchor": one_answer.anchor,
            "entry_name": lambda label, number: error_links.entry_heading(beside, label, number),
        }

    if problems:
        return review_cache.in_full(frame, body(), now.response.revision), status
    filling = review_cache.Filling(now.response.revision, one_answer.changed())
    return review_cache.page(questionnaire, where, answers, frame, body, filling), status


def _pending(now) -> list:
    return journey.lifecycle().problems(now.opened, now.respondent)


def _problem_links(now, sections, problems, beside) -> list[tuple[str, Bilingual]]:
    """Each problem as a link to its input on its section's page, named as that page names it."""
    questionnaire, links = now.questionnaire, []
    for section in sections:
        ids = {q.id for q in section.questions}
        mine = [p for p in problems if p.path and p.path[0] in ids]
        if not mine:
            continue
        state = fields.PageState(questionnaire, now.response.answers, {}, mine, g.lang, beside)
        title = pair(
            questionnaire, lambda lg, s=section: questionnaire.section_title(s, lg), g.lang, beside
        )
        built = fields.build(state, section.questions)
        links += [
            (url_for("respondent.section", section_id=section.id, _anchor=target), text)
            for target, text in error_links.summary(built, title, beside)
        ]
    return links


@form_route("submit", methods=("POST",))
@open_response
def submit(now):
    try:
        revision = int(request.form.get("revision", ""))
        submitted = journey.lifecycle().submit(now.opened, revision, now.respondent)
    except (ValueError, storage.StaleRevision):
        return _review(now, problems=[], status=409)
    if submitted.problems:
        return _review(now, submitted.problems, status=422)
    response = submitted.response
    session[RECEIPT_KEY] = {
        "number": f"K-{response.id:06d}",
        "at": response.submitted_at.isoformat(),
        "questionnaire": response.questionnaire_id,
    }
    if now.respondent.mode != INTERVIEW:  # in an interview, staff print it from the profile
        session[CV_KEY] = {"response_id": response.id, "until": (utcnow() + CV_WINDOW).isoformat()}
    kompass().plugins.hook.kompass_logout()
    return redirect(url_for("respondent.receipt"))


@form_route("receipt")
def receipt():
    return _receipt()


@form_route("cv-contact", methods=("POST",))
def cv_contact_post():
    """The contact details the person adds to their CV, or removes, while its link works."""
    opened = _cv_response()
    if opened is None:
        return journey.to_login()
    subject = opened.response.subject
    if request.form.get("action") == "remove":
        cv_contact.remove(subject)
    elif form := cv_contact.send(subject, cv_contact.typed(request.form)):
        return _receipt(form), 422
    return redirect(url_for("respondent.receipt", _anchor="cv-contact"))


def _receipt(contact_form: cv_contact.Form | None = None):
    data = session.get(RECEIPT_KEY)
    if data is None:
        now = journey.current()
        if now is None or not now.response.submitted:
            return journey.to_login()
        data = {"number": f"K-{now.response.id:06d}", "at": now.response.submitted_at.isoformat(),
                "questionnaire": now.response.questionnaire_id}  # fmt: skip
    if g.setdefault("questionnaire_id", data.get("questionnaire")) != data.get("questionnaire"):
        abort(404)
    g.beside = journey.beside_language()
    opened = _cv_response()
    offers_cv = _offers_cv(opened)
    if offers_cv and contact_form is None:
        contact_form = cv_contact.shown(opened.response.subject)
    return render_template(
        "respondent/receipt.html",
        receipt=data,
        sent=_oslo_time(data["at"]),
        cv=offers_cv,
        cv_minutes=int(CV_WINDOW.total_seconds() // 60),
        contact_form=contact_form if offers_cv else None,
    )


def _offers_cv(opened: lifecycle.Opened | None) -> bool:
    return opened is not None and cv.offered(opened.questionnaire)


def _oslo_time(stamp: str) -> str:
    """A stored moment (UTC) in Norwegian time, written as the page's language writes dates."""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moments.written(moment, g.language.locale if g.get("language") else "nb")


@form_route("cv.pdf")
def cv_pdf():
    """The answers as a CV, for a while after sending them, to this browser only."""
    opened = _cv_response()
    if opened is None:
        return journey.to_login()
    if not cv.offered(opened.questionnaire):
        abort(404)
    return pdf.download(cv.render(opened, g.lang), f"cv-{opened.response.id}.pdf")


def _cv_response() -> lifecycle.Opened | None:
    """The submitted response this session may download as a CV, while its window lasts and
    nobody else has logged in since (a shared computer)."""
    window = session.get(CV_KEY)
    if not window or datetime.fromisoformat(window["until"]) <= utcnow():
        return None
    response = db_session().get(storage.Response, window["response_id"])
    someone = kompass().plugins.hook.kompass_current_respondent()
    if response is None or (someone and someone.subject != response.subject):
        return None
    opened = journey.lifecycle().find(response.subject, response.questionnaire_id)
    return opened if opened and opened.response.submitted else None


@blueprint.post("/<lang>/logout")
def logout():
    """End the log-in, and what this browser kept of a sent form: the receipt and the CV link."""
    respondent = kompass().plugins.hook.kompass_current_respondent()
    kompass().plugins.hook.kompass_logout()
    for key in (journey.BESIDE_KEY, RECEIPT_KEY, CV_KEY):
        session.pop(key, None)
    return redirect((respondent and respondent.exit_url) or url_for("respondent.start"))
