"""Kommuner → Kompass: find a person by DUF number, make and print codes, open an interview."""

from datetime import timedelta

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import force_locale

from adminui import interview, profile, questionnaire_choice
from adminui.blueprint import bp, requires
from adminui.i18n import gettext as _
from adminui.persons import find_by_duf, person_summary, visible_person
from auth.code_login import codes, slip
from auth.people import duf
from auth.staff import access, audit
from engine.app.context import db_session, kompass, lifecycle
from engine.app.db import utcnow
from engine.app.ids import parse_id
from engine.questionnaire import languages
from engine.responses import storage
from engine.responses.lifecycle import Lifecycle
from renderers import pdf
from renderers.html.journey import BESIDE_KEY


@bp.get("/kommuner/kompass")
@requires(access.can_search_persons)
def kompass_search(user):
    return render_template("admin/kompass_search.html", error=None, typed="")


@bp.post("/kommuner/kompass/sok")
@requires(access.can_search_persons)
def kompass_search_post(user):
    typed = request.form.get("duf", "")[:40]
    try:
        number = duf.normalise(typed)
    except duf.InvalidDuf:
        error = _("A DUF number has 12 digits, for example 2020 0000 0000.")
        return render_template("admin/kompass_search.html", error=error, typed=typed), 422
    person = find_by_duf(user, number)
    audit.record(
        db_session(), "person.search", user, person_id=person.id if person else None,
        result="hit" if person else "no-hit",
    )  # fmt: skip
    if person is None:
        error = _("No person with this DUF number was found among the persons you can see.")
        return render_template("admin/kompass_search.html", error=error, typed=typed), 404
    summary = person_summary(person)
    return render_template("admin/search_result.html", person=person, summary=summary)


@bp.post("/kommuner/kompass/bekreft")
@requires(access.can_search_persons)
def kompass_confirm(user):
    person = visible_person(user, parse_id(request.form.get("person_id")) or 0)
    if person is None:
        abort(404)
    return redirect(url_for("adminui.person_page", person_id=person.id))


@bp.get("/personer/<id:person_id>")
@requires(access.can_search_persons)
def person_page(user, person_id: int):
    person = _person_or_404(user, person_id)
    audit.record(db_session(), "person.view", user, person_id=person.id)
    return _render_person(person, new_code=None)


@bp.get("/personer/<id:person_id>/kartlegging")
@requires(access.can_search_persons)
def mapping(user, person_id: int):
    """The mapping of a questionnaire (`?questionnaire=`, default: the default one), read in
    the staff language whatever language it was answered in."""
    person = _person_or_404(user, person_id)
    chosen = questionnaire_choice.chosen(request.args)
    found = profile.build(db_session(), kompass().registry, person, g.staff_lang, chosen)
    audit.record(db_session(), "mapping.read", user, person_id=person.id, questionnaire=chosen)
    return render_template(
        "admin/profile.html",
        profile=found,
        person=person,
        summary=person_summary(person),
        verify_forms=chosen == questionnaire_choice.default(),
        query=questionnaire_choice.link(chosen),
    )


@bp.post("/personer/<id:person_id>/koder")
@requires(access.can_search_persons)
def make_code(user, person_id: int):
    """A new code; a submitted mapping is first reopened, never replaced, once confirmed.

    Without `confirm` the person page asks for it (and a reason); nothing changes yet.
    """
    person = _person_or_404(user, person_id)
    chosen = questionnaire_choice.chosen(request.form)
    opened = Lifecycle(db_session(), kompass().registry).find(person.subject, chosen)
    if opened is not None and opened.response.submitted:
        if request.form.get("confirm") != "1":
            return _render_person(person, new_code=None, confirm_reopen=True, chosen=chosen)
        refused = _reopen(user, person, opened, confirming=True)
        if refused is not None:
            return refused
    validity = timedelta(days=current_app.config["KOMPASS_CODE_VALIDITY_DAYS"])
    cost = current_app.config["KOMPASS_PASSWORD_HASH_COST"]
    new = codes.create(db_session(), person, validity, cost, chosen)
    audit.record(db_session(), "code.create", user, person_id=person.id, code_id=new.record.id,
                 **questionnaire_choice.link(chosen))  # fmt: skip
    return _render_person(person, new_code=new, chosen=chosen)


@bp.post("/personer/<id:person_id>/skriv-ut")
@requires(access.can_search_persons)
def print_slip(user, person_id: int):
    person = _person_or_404(user, person_id)
    typed = request.form.get("code", "")[:20]
    record = codes.open_code(person, utcnow())
    cost = current_app.config["KOMPASS_PASSWORD_HASH_COST"]
    if record is None or not codes.matches(record, typed, cost):
        abort(409)
    questionnaire = _active_questionnaire()
    chosen = request.form.get("slip_lang", "en")
    language = languages.describe(questionnaire, chosen) if chosen in questionnaire.languages() \
        else languages.describe(questionnaire, "en")  # fmt: skip
    audit.record(db_session(), "code.print", user, person_id=person.id, language=language.tag)
    parts = []
    for tag, locale, direction in (
        ("nb", "nb", "ltr"),
        (language.tag, language.locale, language.dir),
    ):
        with force_locale(locale):
            parts.append({"lang": tag, "dir": direction, "texts": slip.texts(
                slip.public_url(), record.valid_to)})  # fmt: skip
    return render_template(
        "admin/slip.html", person=person, code=codes.normalise(typed), record=record, parts=parts
    )


@bp.post("/personer/<id:person_id>/intervju")
@requires(access.can_search_persons)
def start_interview(user, person_id: int):
    person = _person_or_404(user, person_id)
    chosen = questionnaire_choice.chosen(request.form)
    offered = _active_questionnaire(chosen).languages()
    first = request.form.get("lang", "nb")
    beside = request.form.get("beside", "")
    if first not in offered:
        abort(400)
    beside = beside if beside in offered and beside != first else None  # only a known language
    interview.start(person, chosen)
    session[BESIDE_KEY] = beside
    audit.record(db_session(), "interview.open", user, person_id=person.id, lang=first,
                 beside=beside, **questionnaire_choice.link(chosen))  # fmt: skip
    return redirect(url_for("respondent.form_start", lang=first, questionnaire=chosen))


def _person_or_404(user, person_id: int):
    person = visible_person(user, person_id)
    if person is None:
        abort(404)
    return person


@bp.post("/personer/<id:person_id>/gjenapne")
@requires(access.can_reopen_mapping)
def reopen_mapping(user, person_id: int):
    """Reopen a submitted mapping for correction, with a reason; the submission stays kept."""
    person = _person_or_404(user, person_id)
    opened = Lifecycle(db_session(), kompass().registry).find(person.subject)
    if opened is None or not opened.response.submitted:
        return _render_person(person, new_code=None, reopen_error=_changed_meanwhile()), 409
    refused = _reopen(user, person, opened)
    if refused is not None:
        return refused
    return redirect(url_for("adminui.person_page", person_id=person.id))


def _reopen(user, person, opened, confirming: bool = False):
    """Reopen with the posted revision and reason (audited); the error page if refused.

    `confirming`: the refusal shows the new-code confirmation again (see `make_code`).
    """
    service = lifecycle()
    try:
        revision = int(request.form.get("revision", ""))
        reason = request.form.get("reason", "")
        reopened = service.reopen(opened, revision, f"user:{user.id}", reason)
    except (ValueError, storage.StaleRevision, storage.NotSubmitted):
        page = _render_person(person, None, _changed_meanwhile(), confirming)
        return page, 409
    if reopened.problems:
        error = _("Write why the mapping is reopened.")
        return _render_person(person, None, error, confirming), 422
    return None


def _changed_meanwhile() -> str:
    return _("The mapping was changed in the meantime. Its state is shown below.")


def _active_questionnaire(questionnaire_id: str | None = None):
    """The newest published version (of the default questionnaire unless one is named); staff
    pages that need one say so when none is."""
    questionnaire = kompass().registry.active(db_session(), questionnaire_id)
    if questionnaire is None:
        abort(503)
    return questionnaire


def _render_person(person, new_code, reopen_error=None, confirm_reopen=False, chosen=None):
    """The person page; codes and interviews lead to `chosen` (default: the default one)."""
    questionnaire = _active_questionnaire(chosen)
    response = storage.find(db_session(), person.subject, questionnaire.id)
    return render_template(
        "admin/person.html",
        person=person,
        summary=person_summary(person),
        response=response,
        submissions=storage.submissions(db_session(), response.id) if response else [],
        reopen_error=reopen_error,
        confirm_reopen=confirm_reopen,
        code_rows=list(reversed(person.codes)),
        new_code=new_code,
        now=utcnow(),
        mappings=profile.mappings(db_session(), person, questionnaire_choice.options(g.staff_lang)),
        questionnaires=questionnaire_choice.options(g.staff_lang),
        chosen=questionnaire.id,
        languages=languages.offered(questionnaire),
        staff_names={
            language.tag: languages.name_in(questionnaire, language.tag, g.staff_lang)
            for language in languages.offered(questionnaire)
        },
    )


@bp.get("/personer/<id:person_id>/kartlegging.pdf")
@requires(access.can_search_persons)
def mapping_pdf(user, person_id: int):
    """The mapping of a questionnaire as a PDF/A file for the case and archive system."""
    person = _person_or_404(user, person_id)
    chosen = questionnaire_choice.chosen(request.args)
    session = db_session()
    body, name = profile.archival_pdf(session, kompass().registry, person, g.staff_lang, chosen)
    audit.record(session, "mapping.pdf", user, person_id=person.id, questionnaire=chosen)
    return pdf.download(body, name)


@bp.get("/personer/<id:person_id>/cv.pdf")
@requires(access.can_search_persons)
def mapping_cv(user, person_id: int):
    """The person's CV, in the language they answered in and in Norwegian, from a questionnaire
    whose version says what a CV is made from."""
    person = _person_or_404(user, person_id)
    chosen = questionnaire_choice.chosen(request.args)
    made = profile.cv_pdf(db_session(), kompass().registry, person, chosen)
    if made is None:
        abort(404)
    audit.record(db_session(), "mapping.cv", user, person_id=person.id, questionnaire=chosen)
    return pdf.download(*made)
