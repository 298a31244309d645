"""The audit log: a system administrator sees all, a municipal administrator their own."""

from datetime import UTC, datetime, timedelta

from flask import render_template, request

from adminui.blueprint import bp, requires
from auth.people.models import Person
from auth.staff import access, audit
from engine.app.context import db_session

PAGE = 200


@bp.route("/logg", methods=["GET", "POST"])
@requires(access.can_read_audit)
def audit_log(user):
    form = request.form if request.method == "POST" else {}
    scope = access.audit_scope(user)
    filters = audit.Filter(
        municipality=scope if scope is not None else (form.get("municipality") or None),
        action=form.get("action") or None,
        username=(form.get("username") or "").strip().lower() or None,
        since=_day(form.get("since")),
        until=_day(form.get("until"), plus_one=True),
    )
    events = db_session().scalars(audit.query(filters, limit=PAGE)).all()
    audit.record(db_session(), "audit.view", user, **_described(filters))
    person_ids = {e.person_id for e in events if e.person_id}
    dufs = {p.id: p.duf for p in db_session().query(Person).filter(Person.id.in_(person_ids))}
    return render_template(
        "admin/audit.html", events=events, dufs=dufs, values=form, all_scope=scope is None,
        page=PAGE,
    )  # fmt: skip


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
