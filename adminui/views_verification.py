"""A counsellor marks a section of a mapping as gone through with the person, or as needing
follow-up, with an optional note (the lifecycle's `verify`; audited without the note)."""

from flask import abort, g, redirect, render_template, request, url_for

from adminui import profile
from adminui.blueprint import bp, requires
from adminui.i18n import gettext as _
from adminui.persons import person_summary, visible_person
from auth.staff import access
from engine.app.context import db_session, kompass, lifecycle
from engine.responses import verification


@bp.post("/personer/<id:person_id>/kartlegging/verifiser")
@requires(access.can_verify_mapping)
def verify_section(user, person_id: int):
    person = visible_person(user, person_id)
    if person is None:
        abort(404)
    service = lifecycle()
    opened = service.find(person.subject)
    if opened is None:
        return _again(person, _("No mapping has been started."), 409)
    section = request.form.get("section", "")[:60]
    state = request.form.get("state", "")[:20]
    note = request.form.get("note", "")
    if not verification.can_verify(opened.response):
        return _again(person, _("A section can be verified once the mapping is submitted, or "
                                "during an interview."), 409)  # fmt: skip
    if len(note.strip()) > verification.NOTE_LIMIT:
        return _again(person, _("The note can be at most %(limit)s characters long.",
                                limit=verification.NOTE_LIMIT), 422, f"note-{section}")  # fmt: skip
    try:
        service.verify(opened, section, state, note, f"user:{user.id}")
    except verification.CannotVerify:
        error = _("Choose a section and whether it was gone through.")
        return _again(person, error, 422, f"state-{section}")
    target = url_for("adminui.mapping", person_id=person.id, _anchor=f"section-{section}")
    return redirect(target, code=303)


def _again(person, error: str, status: int, field: str = "main"):
    """The profile again with `error` in its summary, linked to `field` (an id on the page)."""
    found = profile.build(db_session(), kompass().registry, person, g.staff_lang)
    page = render_template(
        "admin/profile.html", profile=found, person=person, verify_forms=True,
        verify_error=error, verify_field=field, summary=person_summary(person),
    )  # fmt: skip
    return page, status
