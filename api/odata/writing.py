"""The feed's JSON, written as it is read: a collection's rows go out one by one."""

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

MEDIA_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true"
HEADERS = {"OData-Version": "4.0", "Cache-Control": "no-store"}


def _text(value) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"no JSON for {type(value).__name__}")


def dumps(value) -> str:
    return json.dumps(value, default=_text, ensure_ascii=False, separators=(",", ":"))


def collection(
    head: dict, rows: Iterable[dict], names: list[str], tail: Callable[[], dict]
) -> Iterator[str]:
    """`{...head, "value": [rows with only `names`], ...tail()}`; `tail` is asked after the
    last row (the next link is known only then)."""
    opening = dumps(head)[:-1]
    yield f'{opening},"value":[' if head else '{"value":['
    first = True
    for row in rows:
        yield ("" if first else ",") + dumps({name: row[name] for name in names})
        first = False
    ending = dumps(tail())[1:]
    yield "]" + ("," + ending if ending != "}" else "}")
