"""The feed's JSON, written as it is read: a collection's rows go out one by one (orjson, as the
JSON Lines export: times as RFC 3339, the same text as the CSV export's `isoformat`)."""

from collections.abc import Callable, Iterable, Iterator

import orjson

MEDIA_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true"
HEADERS = {"OData-Version": "4.0", "Cache-Control": "no-store"}
CHUNK_BYTES = 64 * 1024  # rows go out in pieces of about this size: one write each, not per row


def dumps(value) -> bytes:
    return orjson.dumps(value)


def collection(
    head: dict, rows: Iterable[dict], names: list[str] | None, tail: Callable[[], dict]
) -> Iterator[bytes]:
    """`{...head, "value": [rows, with only `names` unless None], ...tail()}`, in pieces of
    about `CHUNK_BYTES`; `tail` is asked after the last row (the next link is known only then)."""
    chunk, size = [dumps(head)[:-1] + b',"value":['], 0
    separator = b""
    for row in rows:
        written = separator + dumps(row if names is None else {name: row[name] for name in names})
        chunk.append(written)
        size += len(written)
        separator = b","
        if size >= CHUNK_BYTES:
            yield b"".join(chunk)
            chunk, size = [], 0
    ending = dumps(tail())[1:]
    chunk.append(b"]" + (b"," + ending if ending != b"}" else b"}"))
    yield b"".join(chunk)
