"""Database wiring: the declarative base, engines, and a UTC timestamp type."""

import json
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import orjson
from sqlalchemy import JSON, DateTime, MetaData, create_engine, event, exc, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


SQLITE_BUSY_MS = 30_000
PING_ROW = "kompass.ping_row"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# JSON documents: `jsonb` on PostgreSQL (indexable, compact, compared by value), JSON elsewhere.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def make_engine(url: str, ping: str | None = None) -> Engine:
    """An engine whose pool tests each connection it hands out (a dropped PostgreSQL connection
    is replaced); `ping` is a query to test it with in place of the pool's pre-ping, whose row
    `ping_row` gives (so what it reads costs no statement of its own)."""
    # hide_parameters: a database error must not write bound values (answers, names) to logs
    engine = create_engine(
        url, pool_pre_ping=ping is None, hide_parameters=True, json_deserializer=json_loads
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if ping is not None:
        event.listen(engine, "checkout", partial(_ping, engine.dialect, ping))
    return engine


def _ping(dialect, query: str, dbapi_connection, record, _proxy) -> None:
    """The pre-ping, reading a row: a dropped connection makes the pool replace its connections
    (as the pre-ping does); a query that fails otherwise (its table not made yet) reads none."""
    record.info.pop(PING_ROW, None)
    try:
        with closing(dbapi_connection.cursor()) as cursor:
            cursor.execute(query)
            record.info[PING_ROW] = tuple(cursor.fetchone())
    except dialect.loaded_dbapi.Error as error:
        if dialect.is_disconnect(error, dbapi_connection, None):
            raise exc.InvalidatePoolError() from error
        dbapi_connection.rollback()


def ping_row(session: Session) -> tuple | None:
    """What the ping read when the session's connection was handed out (its transaction began),
    or None (an engine without a ping, or a ping that read nothing)."""
    return session.connection().info.get(PING_ROW)


def json_loads(text: str | bytes) -> object:
    """A JSON column's value: read by orjson, several times faster than the standard library
    (decoding answers was a tenth of an export's time), or by the standard library where orjson
    refuses what it accepts (a lone surrogate escaped, an integer over 64 bits, NaN)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _sqlite_pragmas(connection, _record) -> None:
    """Readers never block the writer (WAL), and a writer waits for the lock up to 30 s rather
    than failing at once ("database is locked": engine/app/busy.py makes what is left a 503)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def missing_sqlite_file(url: str) -> bool:
    """Whether `url` is an SQLite file that does not exist (connecting would make it)."""
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file()


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def throwaway_postgres(admin_url: str, prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database (for tests and benchmarks), dropped afterwards."""
    url = make_url(admin_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT", hide_parameters=True)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
