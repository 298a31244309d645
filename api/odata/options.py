"""The query options of a request for an entity set, checked: `$select`, `$filter`, `$top`,
`$skip`, `$count`, `$skiptoken` (and `$format=json`). Other system options are refused: those
OData defines with 501, unknown ones with 400; custom options (without `$`) are ignored."""

import re
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from api.odata import filter_parse
from api.odata.errors import ODataError, bad_request

SUPPORTED = ("$select", "$filter", "$top", "$skip", "$count", "$skiptoken", "$format")
NOT_IMPLEMENTED = ("$orderby", "$expand", "$search", "$apply", "$compute", "$levels", "$index",
                   "$schemaversion", "$deltatoken", "$id")  # fmt: skip
WHOLE = re.compile(r"\d{1,15}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Asked:
    """What the client asked of an entity set. `select` None: every column."""

    select: tuple[str, ...] | None = None
    filter: filter_parse.Node | None = None
    filter_text: str = ""
    top: int | None = None
    skip: int = 0
    count: bool = False
    skiptoken: str | None = None


def read(args: MultiDict) -> Asked:
    _check_names(args)
    text = _one(args, "$filter")
    return Asked(
        select=_select(_one(args, "$select")),
        filter=filter_parse.parse(text) if text is not None else None,
        filter_text=text or "",
        top=_whole(args, "$top"),
        skip=_whole(args, "$skip") or 0,
        count=_count(_one(args, "$count")),
        skiptoken=_one(args, "$skiptoken"),
    )


def check_system_options(args: MultiDict) -> None:
    """For a service document or `$metadata`: no system option but `$format`."""
    for name in args:
        if name.startswith("$") and name != "$format":
            raise bad_request(f"{name} cannot be used here")
    _format(args)


def _check_names(args: MultiDict) -> None:
    for name in args:
        if name in NOT_IMPLEMENTED:
            raise ODataError(501, "not_implemented",
                             f"{name} is not supported; use {', '.join(SUPPORTED)}")  # fmt: skip
        if name.startswith("$") and name not in SUPPORTED:
            raise bad_request(f"unknown option {name}; use {', '.join(SUPPORTED)}")
    _format(args)


def _format(args: MultiDict) -> None:
    value = _one(args, "$format")
    if value is not None and value.split(";")[0].strip() not in ("json", "application/json"):
        raise bad_request("$format: the feed speaks JSON only ($format=json)")


def _one(args: MultiDict, name: str) -> str | None:
    values = args.getlist(name)
    if len(values) > 1:
        raise bad_request(f"{name} is given more than once")
    return values[0] if values else None


def _select(text: str | None) -> tuple[str, ...] | None:
    if text is None or text.strip() == "*":
        return None
    names = tuple(part.strip() for part in text.split(","))
    wrong = [name for name in names if not NAME.fullmatch(name)]
    if wrong:
        raise bad_request(f"$select: {wrong[0][:40]!r} is not a property name (or *)")
    return names


def _whole(args: MultiDict, name: str) -> int | None:
    text = _one(args, name)
    if text is None:
        return None
    if not WHOLE.fullmatch(text.strip()):
        raise bad_request(f"{name} must be a whole number, 0 or more")
    return int(text)


def _count(text: str | None) -> bool:
    if text not in (None, "true", "false"):
        raise bad_request("$count must be true or false")
    return text == "true"
