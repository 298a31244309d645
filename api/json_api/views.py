"""The JSON API's routes. Access is the staff rule: the token's owner sees exactly the persons
`access.visible_persons` gives them; any other person, an unknown or a malformed DUF number
are the same 404. Every read of a person is audited as the staff profile audits it."""

from flask import g, jsonify, request, url_for

from adminui import profile, questionnaire_choice
from adminui.persons import find_by_duf, visible_person
from api.json_api import bodies, changes, documents, openapi
from api.json_api.blueprint import LANGUAGE, NOT_FOUND, bp
from api.json_api.errors import ApiError
from api.tokens import scopes
from api.tokens.guard import token_required
from auth.people import duf
from auth.people.models import Person
from auth.staff import audit
from auth.staff.models import User
from engine.app.context import db_session, kompass
from renderers import pdf


@bp.get("/openapi.json")
def openapi_document():
    """The API's OpenAPI 3.1 description; no token needed to read it."""
    return jsonify(openapi.document())


@bp.post("/mappings/lookup")
@token_required(scopes.MAPPINGS)
def lookup(owner: User):
    """A person's mapping by DUF number, which only a request body carries, never a URL."""
    asked = bodies.json_body(bodies.Lookup)
    chosen = questionnaire_choice.chosen(_named(asked.questionnaire))
    return _mapping(owner, _by_duf(owner, asked.duf_number), chosen)


@bp.get("/persons/<id:person_id>/mapping")
@token_required(scopes.MAPPINGS)
def person_mapping(owner: User, person_id: int):
    chosen = questionnaire_choice.chosen(request.args)
    return _mapping(owner, _visible(owner, person_id), chosen)


@bp.get("/mappings")
@token_required(scopes.MAPPINGS)
def changed_mappings(owner: User):
    asked = bodies.query(bodies.Changes)
    named = questionnaire_choice.asked(_named(asked.questionnaire))
    after = changes.position(asked.cursor)
    rows, following = changes.page(db_session(), owner, asked.changed_since, after, asked.limit,
                                   named)  # fmt: skip
    audit.record(db_session(), "person.list", owner, count=len(rows), **_token())
    return jsonify({
        "mappings": [documents.changed(*row) for row in rows],
        "next": _next(asked, following),
    })  # fmt: skip


@bp.get("/persons/<id:person_id>/mapping.pdf")
@token_required(scopes.MAPPINGS)
def mapping_pdf(owner: User, person_id: int):
    """The archival PDF/A the staff profile offers, in Norwegian."""
    person = _visible(owner, person_id)
    chosen = questionnaire_choice.chosen(request.args)
    session = db_session()
    body, name = profile.archival_pdf(session, kompass().registry, person, LANGUAGE, chosen)
    _read("mapping.pdf", owner, person, chosen)
    return pdf.download(body, name)


@bp.get("/persons/<id:person_id>/cv.pdf")
@token_required(scopes.MAPPINGS)
def mapping_cv(owner: User, person_id: int):
    """The person's CV, in the language they answered in and in Norwegian."""
    person = _visible(owner, person_id)
    chosen = questionnaire_choice.chosen(request.args)
    made = profile.cv_pdf(db_session(), kompass().registry, person, chosen)
    if made is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    _read("mapping.cv", owner, person, chosen)
    return pdf.download(*made)


def _mapping(owner: User, person: Person, chosen: str):
    found = profile.build(db_session(), kompass().registry, person, LANGUAGE, chosen)
    if found is None:
        raise ApiError(404, "no_mapping", "The person has not started this questionnaire.")
    _read("mapping.read", owner, person, chosen)
    return jsonify(documents.mapping(found))


def _by_duf(owner: User, typed: str) -> Person:
    try:
        number = duf.normalise(typed)
    except duf.InvalidDuf:
        raise ApiError(404, "not_found", NOT_FOUND) from None
    return _found(find_by_duf(owner, number))


def _visible(owner: User, person_id: int) -> Person:
    return _found(visible_person(owner, person_id))


def _found(person: Person | None) -> Person:
    if person is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    return person


def _named(questionnaire_id: str | None) -> dict:
    """A questionnaire named in a body or query, as `questionnaire_choice` reads it."""
    return {} if questionnaire_id is None else {questionnaire_choice.FIELD: questionnaire_id}


def _read(action: str, owner: User, person: Person, chosen: str) -> None:
    audit.record(db_session(), action, owner, person_id=person.id, questionnaire=chosen,
                 **_token())  # fmt: skip


def _token() -> dict:
    """The token's public id, which ties the read to the guard's `api.use`."""
    return {"token": g.api_token.public_id}


def _next(asked: bodies.Changes, following) -> str | None:
    if following is None:
        return None
    query = {"changed_since": asked.changed_since.isoformat(), "limit": asked.limit,
             "cursor": changes.cursor(following)}  # fmt: skip
    if asked.questionnaire:
        query["questionnaire"] = asked.questionnaire
    return url_for("json_api.changed_mappings", _external=True, **query)
