"""`$count`: how many rows an entity set holds under the request's filter, counted by the
database (a repeated group's rows: the lengths of its entry lists, summed)."""

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from engine.export import rows


def responses(session: Session, criteria: rows.Criteria) -> int:
    found = rows.query(criteria, answers=False).subquery()
    return session.scalar(select(func.count()).select_from(found))


def entries(session: Session, criteria: rows.Criteria, group: str) -> int:
    found = rows.query(criteria).subquery()
    length = _entries_of(session, found.c.answers, group)
    return session.scalar(select(func.coalesce(func.sum(length), 0)).select_from(found))


def _entries_of(session: Session, answers, group: str):
    """The length of the answers' list under `group` (0 or NULL when there is none)."""
    if session.get_bind().dialect.name == "postgresql":
        value = answers.op("->")(literal(group))
        is_list = func.jsonb_typeof(value) == "array"
        return case((is_list, func.jsonb_array_length(value)), else_=0)
    return func.json_array_length(answers, literal(f'$."{group}"'))
