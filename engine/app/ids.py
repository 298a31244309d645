"""Database ids from URLs and forms: a number that fits the column, or not an id at all.

An id past the column's range would make the database raise; here it is simply not found.
"""

from werkzeug.routing import BaseConverter, ValidationError

MAX_ID = 2**31 - 1


def parse_id(text: object) -> int | None:
    """The id in `text`, or None when it is no id that can exist."""
    if not isinstance(text, str) or not text.isascii() or not text.isdecimal() or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


class IdConverter(BaseConverter):
    """`<id:name>` in a route: like `<int:name>`, but only ids a table can hold (else 404)."""

    regex = r"[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValidationError()
        return parsed

    def to_url(self, value: object) -> str:
        return str(value)
