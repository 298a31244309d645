"""Innhold: uploading or replacing the audio clip of one text of a draft version."""

from flask import redirect, request, url_for

from adminui import content, content_audio
from adminui.blueprint import bp, requires
from adminui.i18n import lazy_gettext as _l
from adminui.views_content import _root, _version, _version_page
from auth.staff import access
from engine.app.context import db_session, kompass
from engine.definition import audio

REFUSALS = {
    "not_draft": (409, _l("Audio can only be added to a draft. Make a new version first.")),
    "check_failed": (422, _l("The check found errors. Fix them before adding audio.")),
    "unknown_language": (422, _l("Choose a language the version has.")),
    "unknown_text": (422, _l("Choose a text that has a translation in that language.")),
    "bad_file": (422, _l("The file cannot be used as audio")),
    "no_file": (422, _l("Choose an audio file (Ogg Opus or MP3).")),
}  # fmt: skip


@bp.post("/innhold/<questionnaire_id>/<version>/lyd")
@requires(access.can_edit_content)
def content_audio_upload(user, questionnaire_id: str, version: str):
    found = _version(questionnaire_id, version)
    try:
        if found.state != content.DRAFT:
            raise content_audio.UploadRefused("not_draft")
        upload = _upload()
        loaded = content.load(db_session(), kompass().registry, found)
        directory = _root() / found.questionnaire_id / str(found.version)
        content_audio.save(db_session(), loaded, directory, upload, user)
    except content_audio.UploadRefused as refused:
        status, message = REFUSALS[refused.reason]
        detail = f"{message}: {refused.detail}" if refused.detail else str(message)
        return _version_page(found, audio_refusal=(status, detail))
    target = url_for(
        "adminui.content_version", questionnaire_id=found.questionnaire_id,
        version=found.version, lyd=1,
    )  # fmt: skip
    return redirect(target, 303)


def _upload() -> content_audio.Upload:
    file = request.files.get("file")
    if file is None or not file.filename:
        raise content_audio.UploadRefused("no_file")
    data = file.stream.read(audio.MAX_BYTES + 1)
    return content_audio.Upload(
        request.form.get("lang", ""), request.form.get("text", ""), file.filename, data
    )
