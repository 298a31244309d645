"""The audit log: a system administrator sees all, a municipal administrator their own."""

from datetime import UTC, datetime, timedelta

from flask import render_template, request

from adminui import downloads
from adminui.blueprint import bp, requires
from adminui.formatting import timestamp
from adminui.i18n import gettext as _
from auth.people.models import Person
from auth.staff import access, audit
from auth.staff.models import AuditEvent
from engine.app.context import db_session

PAGE = 200
FIELDS = ("action", "username", "municipality", "since", "until")
"""The filter form's fields, carried to the downloads as the page was filtered."""


@bp.route("/logg", methods=["GET", "POST"])
@requires(access.can_read_audit)
def audit_log(user):
    form = request.form if request.method == "POST" else {}
    filters = _filters(user, form)
    events, dufs = _newest(filters)
    audit.record(db_session(), "audit.view", user, **_described(filters))
    return render_template(
        "admin/audit.html", events=events, dufs=dufs, values=form,
        all_scope=access.audit_scope(user) is None, page=PAGE, fields=FIELDS,
    )  # fmt: skip


@bp.post("/logg.<any(csv, xlsx):file_format>")
@requires(access.can_read_audit)
def audit_download(user, file_format: str):
    """What the page shows for the same filters (posted, as the page's are: a user name is no
    part of a URL)."""
    filters = _filters(user, request.form)
    events, dufs = _newest(filters)
    audit.record(db_session(), "audit.view", user, format=file_format, **_described(filters))
    headers = [_("Time"), _("User"), _("Municipality"), _("Action"), _("Person (DUF)"),
               _("Details")]  # fmt: skip
    rows = [_cells(event, dufs) for event in events]
    return downloads.response(downloads.Table("kompass-logg", headers, rows), file_format)


def _filters(user, form) -> audit.Filter:
    scope = access.audit_scope(user)
    return audit.Filter(
        municipality=scope if scope is not None else (form.get("municipality") or None),
        action=form.get("action") or None,
        username=(form.get("username") or "").strip().lower() or None,
        since=_day(form.get("since")),
        until=_day(form.get("until"), plus_one=True),
    )


def _newest(filters: audit.Filter) -> tuple[list[AuditEvent], dict[int, str]]:
    """The newest PAGE events, and the DUF numbers of the persons they name."""
    events = db_session().scalars(audit.query(filters, limit=PAGE)).all()
    person_ids = {e.person_id for e in events if e.person_id}
    dufs = {p.id: p.duf for p in db_session().query(Person).filter(Person.id.in_(person_ids))}
    return events, dufs


def _cells(event: AuditEvent, dufs: dict[int, str]) -> list:
    """As the page shows the event."""
    details = " ".join(f"{key}={value}" for key, value in sorted(event.details.items()))
    if event.target_user_id:
        details = f"{details} user#{event.target_user_id}".strip()
    return [timestamp(event.at), event.actor_username, event.actor_municipality or "",
            event.action, dufs.get(event.person_id, ""), details]  # fmt: skip


def _described(filters: audit.Filter) -> dict[str, str]:
    """The filters used, for the audit log's own record of who read it."""
    return {
        f"filter_{key}": str(value) for key, value in vars(filters).items() if value is not None
    }


def _day(text: str | None, plus_one: bool = False) -> datetime | None:
    """The start of the day (of the next with `plus_one`); None for no day, or past 9999."""
    try:
        start = datetime.strptime(text or "", "%Y-%m-%d").replace(tzinfo=UTC)
        return start + timedelta(days=1) if plus_one else start
    except (ValueError, OverflowError):
        return None
