"""The feed's routes: `/odata/<questionnaire>/<v<N> or all>/` (pseudonymised) and the same
under `.../identifiable/`, each with its service document, `$metadata` and an entity set per
table. Every route needs a token of scope `feed.read` (`token_required`), never a session."""

from dataclasses import replace
from functools import wraps
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for
from werkzeug.exceptions import HTTPException

from adminui.views_export import fixed_filters
from api.odata import counting, edmx, errors, options, paging, writing
from api.odata.feed import Feed, open_feed
from api.odata.page import PageRows
from api.tokens import scopes
from api.tokens.guard import token_required
from auth.staff import audit
from engine.app.context import db_session
from engine.export import rows
from engine.export.layout import Table

FEED = "api.feed"
bp = Blueprint("odata", __name__, url_prefix="/odata")
ROOTS = ("/<questionnaire>/<version>/", "/<questionnaire>/<version>/identifiable/")


def http_error(error: HTTPException):
    """What the app refuses before a view (a NUL byte, a wrong method) in OData's shape too."""
    code = (error.name or "error").lower().replace(" ", "_")
    return errors.response(errors.ODataError(error.code or 500, code, error.description or ""))


for status in (400, 404, 405, 413):  # by code: the app's own handlers of a code come first
    bp.register_error_handler(status, http_error)


def answering_errors(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except errors.ODataError as refused:
            return errors.response(refused)

    return wrapper


def routes(suffix: str, endpoint: str):
    """The view at `suffix` under both service roots; the identifiable one says so."""

    def decorate(view):
        checked = token_required(scopes.FEED)(answering_errors(view))
        for root, identifiable in zip(ROOTS, (False, True), strict=True):
            bp.add_url_rule(root + suffix, f"{endpoint}{'_identifiable' * identifiable}",
                            checked, defaults={"identifiable": identifiable})  # fmt: skip
        return view

    return decorate


@routes("", "service")
def service(owner, questionnaire, version, identifiable):
    feed = open_feed(owner, questionnaire, version, identifiable)
    options.check_system_options(request.args)
    sets = [{"name": t.name, "kind": "EntitySet", "url": t.name} for t in feed.layout.tables]
    body = writing.dumps({"@odata.context": f"{_root()}$metadata", "value": sets})
    return Response(body, mimetype="application/json", headers=writing.HEADERS)


@routes("$metadata", "metadata")
def metadata(owner, questionnaire, version, identifiable):
    feed = open_feed(owner, questionnaire, version, identifiable)
    options.check_system_options(request.args)
    return Response(edmx.document(feed.layout), mimetype="application/xml",
                    headers=writing.HEADERS)  # fmt: skip


@routes("<name>", "entity_set")
def entity_set(owner, questionnaire, version, name, identifiable):
    feed = open_feed(owner, questionnaire, version, identifiable)
    table = feed.table(name)
    asked = options.read(request.args)
    names = _selected(table, asked.select)
    columns = None if names == table.names() else names  # None: each row as it is
    criteria = feed.criteria(table, asked.filter)
    digest = paging.request_digest(owner.id, request.path, asked.filter_text, names)
    position = _position(asked, digest)
    feed.check_groups(criteria)
    head = {"@odata.context": _context(table, asked.select)}
    if asked.count:
        head["@odata.count"] = _count(criteria, table)
    body = _page(feed, table, replace(criteria, after=position.after), position, head, digest,
                 columns)  # fmt: skip
    return Response(stream_with_context(body), content_type=writing.MEDIA_TYPE,
                    headers=writing.HEADERS)  # fmt: skip


@routes("<name>/$count", "count")
def count(owner, questionnaire, version, name, identifiable):
    """`.../<entity set>/$count`: the number of rows alone, as plain text."""
    feed = open_feed(owner, questionnaire, version, identifiable)
    table = feed.table(name)
    asked = options.read(request.args)
    criteria = feed.criteria(table, asked.filter)
    feed.check_groups(criteria)
    return Response(str(_count(criteria, table)), mimetype="text/plain", headers=writing.HEADERS)


@bp.route("/", defaults={"rest": ""})
@bp.route("/<path:rest>")
@token_required(scopes.FEED)
def unknown(_owner, rest):
    return errors.response(errors.not_found(
        "no such resource: the feed's services are at /odata/<questionnaire>/<v1, v2, ... or all>/"
    ))  # fmt: skip


def _page(feed: Feed, table: Table, criteria, position, head: dict, digest: str, names):
    """The page's JSON as it is written; the read is audited once it ends (or the client left)."""
    size = current_app.config["KOMPASS_ODATA_PAGE_SIZE"]
    batches = rows.batches(db_session(), feed.layout, criteria, feed.subject_values(),
                           feed.shown, batch=size, tables={table.name})  # fmt: skip
    page = PageRows(batches, table.name, position, size)

    def tail() -> dict:
        if page.following is None:
            return {}
        token = paging.token(current_app.config["SECRET_KEY"], page.following, digest)
        return {"@odata.nextLink": _next_link(token)}

    try:
        yield from writing.collection(head, page, names, tail)
    finally:
        batches.close()
        _audit(feed, table, page)


def _selected(table: Table, select: tuple[str, ...] | None) -> list[str]:
    if select is None:
        return table.names()
    unknown = [name for name in select if name not in table.names()]
    if unknown:
        raise errors.bad_request(f"$select: {table.name} has no property {unknown[0]!r}")
    return [name for name in table.names() if name in select]


def _position(asked: options.Asked, digest: str) -> paging.Position:
    if asked.skiptoken is None:
        return paging.Position(skip=asked.skip, top=asked.top)
    if asked.top is not None or asked.skip:
        raise errors.bad_request("with $skiptoken leave out $top and $skip: the token holds them")
    return paging.position(current_app.config["SECRET_KEY"], asked.skiptoken, digest)


def _count(criteria: rows.Criteria, table: Table) -> int:
    if table.parent is None:
        return counting.responses(db_session(), criteria)
    return counting.entries(db_session(), criteria, table.name)


def _root() -> str:
    """The service root's URL (where the service document is)."""
    args = request.view_args
    endpoint = "odata.service_identifiable" if args["identifiable"] else "odata.service"
    return url_for(endpoint, questionnaire=args["questionnaire"], version=args["version"],
                   _external=True)  # fmt: skip


def _context(table: Table, select: tuple[str, ...] | None) -> str:
    chosen = f"({','.join(select)})" if select else ""
    return f"{_root()}$metadata#{table.name}{chosen}"


def _next_link(token: str) -> str:
    kept = [(k, v) for k, v in request.args.items(multi=True)
            if k not in ("$top", "$skip", "$skiptoken")]  # fmt: skip
    return f"{request.base_url}?{urlencode([*kept, ('$skiptoken', token)])}"


def _audit(feed: Feed, table: Table, page: PageRows) -> None:
    """What was read, once per request (the guard audits the use of the token too)."""
    audit.record(
        db_session(), FEED, feed.owner, questionnaire=feed.questionnaire_id,
        version=feed.version, entity_set=table.name, identifiable=feed.identifiable,
        filter=request.args.get("$filter", "")[:500], select=request.args.get("$select", "")[:500],
        page="next" if request.args.get("$skiptoken") else "first", rows=page.served,
        more=page.following is not None, **fixed_filters(feed.owner),
    )  # fmt: skip
