"""The feed's JSON, written as it is read: a collection's rows go out one by one (orjson, as the
JSON Lines export: times as RFC 3339, the same text as the CSV export's `isoformat`)."""

from collections.abc import Callable, Iterable, Iterator

import orjson

MEDIA_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true"
HEADERS = {"OData-Version": "4.0", "Cache-Control": "no-store"}


def dumps(value) -> bytes:
    return orjson.dumps(value)


def collection(
    head: dict, rows: Iterable[dict], names: list[str] | None, tail: Callable[[], dict]
) -> Iterator[bytes]:
    """`{...head, "value": [rows, with only `names` unless None], ...tail()}`; `tail` is asked
    after the last row (the next link is known only then)."""
    yield dumps(head)[:-1] + b',"value":['
    separator = b""
    for row in rows:
        yield separator + dumps(row if names is None else {name: row[name] for name in names})
        separator = b","
    ending = dumps(tail())[1:]
    yield b"]" + (b"," + ending if ending != b"}" else b"}")
