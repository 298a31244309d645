"""Innhold: questionnaire versions for content editors — state, check, translations, preview,
changes, and publishing a draft. Texts are changed with the editors' own tools, never here
(audio clips of a draft are uploaded in views_content_audio.py)."""

from flask import abort, g, redirect, render_template, request, url_for

from adminui import content, content_audio, preview, questionnaire_choice
from adminui.blueprint import bp, requires
from adminui.i18n import lazy_gettext as _l
from auth.staff import access
from engine.app.context import db_session, kompass
from engine.questionnaire import languages

REFUSALS = {
    "not_confirmed": (422, _l(
        "Tick the box to confirm that you have seen the changes and the check."
    )),
    "check_failed": (422, _l("The check found errors, so the version was not published.")),
    "changed_since_seen": (409, _l(
        "The files changed after the page was shown. Look at the changes and the check again."
    )),
    "already_published": (409, _l("This version is already published.")),
    "published_meanwhile": (409, _l(
        "This version was published by someone else at the same moment. It is published once."
    )),
}  # fmt: skip
STATE_LABELS = {
    content.DRAFT: _l("Draft"),
    content.PUBLISHED: _l("Published"),
    content.CHANGED: _l("Published, but the files changed since"),
}
TEXT_STATES = {
    "source": _l("Source language"),
    "reviewed": _l("Reviewed"),
    "machine": _l("Machine-translated"),
    "outdated": _l("Outdated"),
    "missing": _l("Missing"),
}
KINDS = {
    "title": _l("Section title"), "intro": _l("Introduction"), "label": _l("Question"),
    "hint": _l("Help text"), "row": _l("Row"), "option": _l("Option"), "message": _l("Message"),
    "image": _l("Picture (alternative text)"),
}  # fmt: skip


def _root():
    return kompass().registry.files_root


def _version(questionnaire_id: str, version: str) -> content.Version:
    found = content.find(db_session(), _root(), questionnaire_id, version)
    if found is None:
        abort(404)
    return found


@bp.get("/innhold")
@requires(access.can_edit_content)
def content_page(user):
    """The versions of one questionnaire (`?questionnaire=`, default: the default one)."""
    every = content.versions(db_session(), _root())
    known = list(dict.fromkeys(v.questionnaire_id for v in every))
    chosen = questionnaire_choice.chosen(request.args, known)
    return render_template(
        "admin/content.html", labels=STATE_LABELS, questionnaire_id=chosen,
        versions=[v for v in every if v.questionnaire_id == chosen],
        questionnaires=questionnaire_choice.options(g.staff_lang, known),
    )  # fmt: skip


@bp.get("/innhold/<questionnaire_id>/<version>")
@requires(access.can_edit_content)
def content_version(user, questionnaire_id: str, version: str):
    found = _version(questionnaire_id, version)
    published = request.args.get("publisert") == "1" and found.state != content.DRAFT
    return _version_page(found, notice=published)


def _version_page(
    found: content.Version, refusal: str | None = None, notice: bool = False, audio_refusal=None
):
    session, registry = db_session(), kompass().registry
    loaded = content.load(session, registry, found)
    newest = content.newest_published(session, found.questionnaire_id)
    against = None
    if found.state == content.DRAFT and newest is not None and loaded.bundle is not None:
        against = (newest.version, content.changes(newest.content, loaded.bundle))
    status, message = REFUSALS[refusal] if refusal else audio_refusal or (200, None)
    return render_template(
        "admin/content_version.html", found=found, loaded=loaded, labels=STATE_LABELS,
        warnings=content.warnings(loaded), against=against, refusal=message,
        refused_field="publish-confirm" if refusal else "audio-file",
        published_notice=notice, status=_status(loaded), text_states=TEXT_STATES,
        languages=_languages(loaded), audio_status=_audio_status(loaded),
        audio_notice=request.args.get("lyd") == "1",
    ), status  # fmt: skip


def _status(loaded: content.Loaded) -> list:
    return content.translation_status(loaded.questionnaire) if loaded.questionnaire else []


def _audio_status(loaded: content.Loaded) -> list:
    return content_audio.status(loaded.questionnaire) if loaded.questionnaire else []


def _languages(loaded: content.Loaded) -> dict:
    q = loaded.questionnaire
    return {tag: languages.describe(q, tag) for tag in q.languages()} if q else {}


@bp.post("/innhold/<questionnaire_id>/<version>/publiser")
@requires(access.can_edit_content)
def content_publish(user, questionnaire_id: str, version: str):
    found = _version(questionnaire_id, version)
    if request.form.get("confirm") != "yes":
        return _version_page(found, "not_confirmed")
    try:
        content.publish(
            db_session(), kompass().registry, found, request.form.get("fingerprint", ""), user
        )
    except content.PublishRefused as refused:
        return _version_page(_version(questionnaire_id, version), refused.reason)
    target = url_for(
        "adminui.content_version", questionnaire_id=found.questionnaire_id,
        version=found.version, publisert=1,
    )  # fmt: skip
    return redirect(target, 303)


@bp.get("/innhold/<questionnaire_id>/<version>/forhandsvisning")
@requires(access.can_edit_content)
def content_preview(user, questionnaire_id: str, version: str):
    found = _version(questionnaire_id, version)
    loaded = content.load(db_session(), kompass().registry, found)
    q = loaded.questionnaire
    if q is None:
        return _version_page(found)
    section = q.section(request.args.get("section") or q.source.sections[0].id)
    offered = q.languages()
    lang = request.args.get("lang") or q.source.source_language
    others = [tag for tag in offered if tag != lang]
    beside = request.args.get("beside") or (others[0] if others else lang)
    if section is None or lang not in offered or beside not in offered:
        abort(404)
    langs = list(dict.fromkeys((lang, beside)))
    return render_template(
        "admin/content_preview.html", found=found, questionnaire=q, section=section,
        lang=lang, beside=beside, columns=[languages.describe(q, tag) for tag in langs],
        items=preview.build(q, section, langs), text_states=TEXT_STATES, kinds=KINDS,
        languages=[languages.describe(q, tag) for tag in offered],
    )  # fmt: skip


@bp.get("/innhold/<questionnaire_id>/endringer")
@requires(access.can_edit_content)
def content_diff(user, questionnaire_id: str):
    all_versions = content.versions(db_session(), _root())
    mine = [v for v in all_versions if v.questionnaire_id == questionnaire_id]
    if not mine:
        abort(404)
    numbers = [str(v.version) for v in mine]
    old = request.args.get("fra") or numbers[max(len(numbers) - 2, 0)]
    new = request.args.get("til") or numbers[-1]
    if old not in numbers or new not in numbers:
        abort(404)
    registry = kompass().registry
    loaded = [content.load(db_session(), registry, mine[numbers.index(n)]) for n in (old, new)]
    changes = None
    if all(item.bundle is not None for item in loaded):
        changes = content.changes(loaded[0].bundle, loaded[1].bundle)
    return render_template(
        "admin/content_diff.html", questionnaire_id=questionnaire_id, numbers=numbers,
        old=old, new=new, loaded=loaded, changes=changes,
    )  # fmt: skip
