"""Kommuner → Kompass → Oversikt: who is still waiting for their mapping, most urgent first."""

from collections.abc import Iterator
from datetime import date

from flask import current_app, g, render_template, request

from adminui import downloads, overview, questionnaire_choice
from adminui.blueprint import bp, requires
from adminui.formatting import RESIDENCE, timestamp
from adminui.i18n import gettext as _
from adminui.i18n import lazy_gettext as _l
from auth.people import municipalities
from auth.people.models import RESIDENCES
from auth.staff import access, audit
from engine.app.context import db_session, kompass
from engine.app.db import utcnow

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
    context = _context(filters)
    page = overview.page(db_session(), user, filters, request.args.get("page", type=int), context)
    audit.record(db_session(), "person.list", user, count=len(page.rows), page=page.number,
                 **filters.args())  # fmt: skip
    return render_template(
        "admin/overview.html", page=page, filters=filters, state_labels=STATE_LABELS,
        residences=RESIDENCES, months=context.months,
        questionnaires=questionnaire_choice.options(g.staff_lang),
        questionnaire_id=_questionnaire(filters),
    )  # fmt: skip


@bp.get("/kommuner/kompass/oversikt.<any(csv, xlsx):file_format>")
@requires(access.can_search_persons)
def overview_download(user, file_format: str):
    """Every matching person, counted and audited first; the rows stream from the database."""
    filters = _filters()
    context = _context(filters)
    matching = overview.total(db_session(), user, filters, context)
    audit.record(db_session(), "person.list", user, count=matching, format=file_format,
                 **filters.args())  # fmt: skip
    found = overview.rows(db_session(), user, filters, context)
    return downloads.response(_table(found, f"{_questionnaire(filters)}-oversikt"), file_format)


def _table(found: Iterator[overview.Row], name: str) -> downloads.Table:
    """The page's columns and words, with the reception centre and settlement date beside."""
    headers = [_("Person ID"), _("Name"), _("DUF number"), _("Lives in"), _("Reception centre"),
               _("Municipality"), _("Mapping state"), _("Code valid to"), _("Last activity"),
               _("Settled on"), _("Deadline"), _("Days left"), _("Verified")]  # fmt: skip
    return downloads.Table(name, headers, map(_cells, found))


def _cells(row: overview.Row) -> list:
    person, verified = row.person, row.verified
    return [
        person.id, person.full_name, person.duf, str(RESIDENCE.get(person.residence or "", "")),
        person.reception_centre.name if person.reception_centre else "",
        municipalities.label(person.municipality), str(STATE_LABELS[row.state]),
        timestamp(row.code_valid_to), timestamp(row.last_activity), _day(person.settled_on),
        _day(row.deadline), row.days_left,
        _("verified %(count)s of %(total)s", count=verified.count, total=verified.total)
        if verified else "",
    ]  # fmt: skip


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _filters() -> overview.Filters:
    """The query string's filters; a questionnaire that is not served is a 404."""
    return overview.Filters.parse(request.args, questionnaire_choice.asked(request.args))


def _questionnaire(filters: overview.Filters) -> str:
    return filters.questionnaire or questionnaire_choice.default()


def _context(filters: overview.Filters) -> overview.Context:
    return overview.Context(
        _questionnaire(filters), utcnow(), current_app.config["KOMPASS_MAPPING_DEADLINE_MONTHS"],
        _section_counter(),
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
