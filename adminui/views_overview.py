"""Kommuner → Kompass → Oversikt: who is still waiting for their mapping, most urgent first."""

import io

from flask import Response, current_app, g, render_template, request

from adminui import overview, questionnaire_choice
from adminui.blueprint import bp, requires
from adminui.i18n import lazy_gettext as _l
from auth.people.models import RESIDENCES
from auth.staff import access, audit
from engine.app.context import db_session, kompass
from engine.app.db import utcnow
from engine.export.csvsafe import SafeWriter

STATE_LABELS = {
    overview.NO_CODE: _l("No code"),
    overview.CODE_VALID: _l("Code given"),
    overview.CODE_EXPIRED: _l("Code expired"),
    overview.IN_PROGRESS: _l("In progress"),
    overview.SUBMITTED_STATE: _l("Submitted"),
    overview.REOPENED: _l("Reopened"),
}


@bp.get("/kommuner/kompass/oversikt")
@requires(access.can_search_persons)
def overview_page(user):
    filters = _filters()
    context = overview.Context(
        _questionnaire(filters), utcnow(), current_app.config["KOMPASS_MAPPING_DEADLINE_MONTHS"],
        _section_counter(),
    )  # fmt: skip
    page = overview.page(db_session(), user, filters, request.args.get("page", type=int), context)
    audit.record(db_session(), "person.list", user, count=len(page.rows), page=page.number,
                 **filters.args())  # fmt: skip
    return render_template(
        "admin/overview.html", page=page, filters=filters, state_labels=STATE_LABELS,
        residences=RESIDENCES, months=context.months,
        questionnaires=questionnaire_choice.options(g.staff_lang),
        questionnaire_id=_questionnaire(filters),
    )  # fmt: skip


@bp.get("/kommuner/kompass/oversikt.csv")
@requires(access.can_search_persons)
def overview_csv(user):
    filters = _filters()
    found = _rows(user, filters)
    audit.record(db_session(), "person.list", user, count=len(found), format="csv",
                 **filters.args())  # fmt: skip
    out = io.StringIO()
    overview.write_csv(found, SafeWriter(out))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_questionnaire(filters)}-oversikt.csv"',
        "Cache-Control": "no-store",
    })  # fmt: skip


def _filters() -> overview.Filters:
    """The query string's filters; a questionnaire that is not served is a 404."""
    return overview.Filters.parse(request.args, questionnaire_choice.asked(request.args))


def _questionnaire(filters: overview.Filters) -> str:
    return filters.questionnaire or questionnaire_choice.default()


def _rows(user, filters: overview.Filters) -> list[overview.Row]:
    return overview.rows(
        db_session(), user, _questionnaire(filters), filters, utcnow(),
        current_app.config["KOMPASS_MAPPING_DEADLINE_MONTHS"], _section_counter(),
    )  # fmt: skip


def _section_counter():
    """All sections (person-facing and staff) of a published version id, each asked once."""
    known: dict[int, int] = {}

    def sections_of(version_id: int) -> int:
        if version_id not in known:
            found = kompass().registry.get(db_session(), version_id)
            known[version_id] = len(found.sections(include_staff=True)) if found else 0
        return known[version_id]

    return sections_of
