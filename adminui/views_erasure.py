"""Sletting: a system administrator erases one person's data on request.

Find the person by DUF number (a POST: no DUF number in a URL), see what will be erased as
counts (never the data), confirm. Both steps are audited by the person's opaque id only.
"""

from flask import abort, render_template, request

from adminui.blueprint import bp, requires
from adminui.i18n import gettext as _
from adminui.i18n import lazy_gettext as _l
from auth.people import duf, erasure
from auth.people.models import Person
from auth.staff import access, audit
from engine.app.context import db_session, kompass
from engine.app.ids import parse_id
from engine.responses import retention

KINDS = {
    "persons_deleted": _l("Person in the registry"),
    "responses_deleted": _l("Mappings (answers)"),
    "submissions_deleted": _l("Submitted versions of the mapping"),
    "login_codes_deleted": _l("Login codes"),
    "contacts_deleted": _l("Contact details for the CV"),
}


@bp.get("/sletting")
@requires(access.can_erase_persons)
def erasure_form(user):
    return render_template("admin/erasure.html", step="find", error=None, typed="")


@bp.post("/sletting")
@requires(access.can_erase_persons)
def erasure_check(user):
    """What erasing the person would remove, counted; nothing is changed."""
    typed = request.form.get("duf", "")[:40]
    try:
        person = erasure.find(db_session(), duf.normalise(typed))
    except duf.InvalidDuf:
        return _find_again(typed, _("A DUF number has 12 digits, for example 2020 0000 0000."), 422)
    if person is None:
        return _find_again(typed, _("No person with this DUF number is in the registry."), 404)
    counts = retention.preview(_remover(), person.subject)
    audit.record(db_session(), "person.erase_check", user, person_id=person.id, **counts)
    return render_template(
        "admin/erasure.html", step="confirm", typed=typed, person_id=person.id,
        counts=_labelled(counts),
    )  # fmt: skip


@bp.post("/sletting/slett")
@requires(access.can_erase_persons)
def erasure_confirm(user):
    """Erase for good, in one transaction with its audit entry."""
    person = db_session().get(Person, parse_id(request.form.get("person_id")) or 0)
    if person is None:
        abort(404)
    person_id = person.id
    try:
        counts = erasure.erase(_remover(), person.subject)
    except erasure.AlreadyErased:
        abort(404)
    audit.record(db_session(), "person.erase", user, person_id=person_id, **counts)
    return render_template("admin/erasure.html", step="done", counts=_labelled(counts))


def _remover() -> retention.Remover:
    state = kompass()
    return retention.Remover(db_session(), state.plugins.hook, state.registry)


def _find_again(typed: str, error: str, status: int):
    return render_template("admin/erasure.html", step="find", error=error, typed=typed), status


def _labelled(counts) -> list[tuple[str, int]]:
    """(label, number) for every kind, the known ones first and always shown."""
    known = [(str(label), counts.get(kind, 0)) for kind, label in KINDS.items()]
    return known + [(kind, n) for kind, n in sorted(counts.items()) if kind not in KINDS]
