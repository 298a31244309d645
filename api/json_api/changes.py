"""Mappings of the persons a user may see, changed since a moment: keyset pages in the order
they changed (updated_at, then response id), so a page never skips or repeats a row while
others are written. The cursor is the last row's (updated_at, id), opaque to the client."""

import base64
import json
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from api.json_api.errors import ApiError
from auth.people.models import Person
from auth.staff import access
from auth.staff.models import User
from engine.responses.storage import Response
from engine.versions.published import PublishedVersion

Position = tuple[datetime, int]
Row = tuple[int, Response, int]  # person id, response, version number


def page(session: Session, user: User, since: datetime, after: Position | None, limit: int,
         questionnaire_id: str | None) -> tuple[list[Row], Position | None]:  # fmt: skip
    """Up to `limit` rows, and the next page's position (None: this is the last page)."""
    visible = access.visible_persons(user).with_only_columns(Person.id)
    query = (
        select(Person.id, Response, PublishedVersion.version)
        .join(Response, Response.subject == Person.subject)
        .join(PublishedVersion, PublishedVersion.id == Response.version_id)
        .where(Person.id.in_(visible), Response.updated_at >= since)
        .order_by(Response.updated_at, Response.id)
        .limit(limit + 1)
    )
    if questionnaire_id is not None:
        query = query.where(Response.questionnaire_id == questionnaire_id)
    if after is not None:
        moment, last_id = after
        same_moment = and_(Response.updated_at == moment, Response.id > last_id)
        query = query.where(or_(Response.updated_at > moment, same_moment))
    rows = [tuple(row) for row in session.execute(query)]
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1][1].updated_at, rows[-1][1].id) if more else None


def cursor(position: Position) -> str:
    moment, last_id = position
    text = json.dumps([moment.isoformat(), last_id])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def position(text: str | None) -> Position | None:
    """The position a cursor names; `ApiError` 422 for one this API did not make."""
    if text is None:
        return None
    try:
        moment, last_id = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        found = datetime.fromisoformat(moment), int(last_id)
    except (ValueError, TypeError, UnicodeDecodeError):
        found = None
    if found is None or found[0].tzinfo is None:
        problem = {"field": "cursor", "message": "Use the `next` link of the page before."}
        raise ApiError(422, "invalid_request", "The cursor is not one this API gave.", [problem])
    return found
