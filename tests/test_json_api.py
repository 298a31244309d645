"""The JSON API: a person's mapping by DUF number (in a body, never a URL), the mappings
changed since a moment in pages, the PDFs; exactly the staff access rules (another person is
"not found", as is nobody); every read audited as the staff profile audits it; every answer
as the OpenAPI document says, and the document itself valid OpenAPI 3.1."""

import logging
import re
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from sqlalchemy import select, update

from api.json_api import openapi
from api.tokens import scopes, store
from auth.staff.models import AuditEvent, User
from engine.app.db import utcnow
from engine.responses.storage import Response
from renderers import pdf_pool
from tests.helpers import add_person
from tests.staff_helpers import add_user, events, logged_in
from tests.test_pdf import fill
from tests.test_profile import arabic_mapping

DUF = "202000000000"
OTHER_DUF = "202000000099"  # settled in Oslo: not the Bergen counsellor's
LOOKUP = "/api/v1/mappings/lookup"
SINCE = "2000-01-01T00:00:00Z"
CITIZENSHIP_NB = "Hvilket land er du statsborger av nå?"


def token(app, username="veileder", roles=("bosetting",), municipality="4601",
          scope=scopes.MAPPINGS) -> dict:  # fmt: skip
    """The Authorization header of a new token of a new user."""
    user_id = add_user(app, username, list(roles), municipality)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        made = store.create(session, session.get(User, user_id), "test", scope,
                            utcnow() + timedelta(days=30))  # fmt: skip
        session.commit()
        return {"Authorization": f"Bearer {made.text}"}


@pytest.fixture
def world(app):
    """A Bergen counsellor's token, their person's submitted mapping, an Oslo person's one."""
    person = add_person(app, DUF)
    fill(app, person, "ar")
    other = add_person(app, OTHER_DUF, municipality="0301")
    fill(app, other, "ar")
    return {"person": person, "other": other, "auth": token(app)}


def conforms(answer, path: str, method: str = "get") -> None:
    """The answer is one the OpenAPI document lists for the route, and its body fits."""
    document = openapi.document()
    listed = document["paths"][path][method]["responses"][str(answer.status_code)]
    if "$ref" in listed:
        listed = document["components"]["responses"][listed["$ref"].rsplit("/", 1)[1]]
    ((media, content),) = listed["content"].items()
    assert answer.mimetype == media
    if media == "application/json":
        schema = {**content["schema"], "components": document["components"]}
        checker = Draft202012Validator.FORMAT_CHECKER
        Draft202012Validator(schema, format_checker=checker).validate(answer.json)


def lookup(client, auth, body):
    return client.post(LOOKUP, json=body, headers=auth)


def test_the_openapi_document_is_valid_and_describes_every_route(app):
    answer = app.test_client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    validate(answer.json)
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for rule in app.url_map.iter_rules() if rule.endpoint.startswith("json_api.")
    }  # fmt: skip
    assert routes == set(answer.json["paths"])
    schemes = answer.json["components"]["securitySchemes"]
    assert {schemes["bearer"]["scheme"], schemes["basic"]["scheme"]} == {"bearer", "basic"}


def test_a_visible_person_is_found_by_duf_number_with_a_norwegian_profile(app, world):
    client = app.test_client()
    answer = lookup(client, world["auth"], {"duf_number": "2020 0000 0000"})
    assert answer.status_code == 200
    conforms(answer, "/mappings/lookup", "post")
    found = answer.json
    assert found["person_id"] == world["person"] and found["state"] == "submitted"
    assert found["questionnaire"] == "kompass" and found["profile"]["language"] == "nb"
    items = [item for section in found["profile"]["sections"] for item in section["items"]]
    assert {"question": CITIZENSHIP_NB, "answer": "Eritrea"} in items
    (citizenship,) = [a for a in found["answers"] if a["question"] == "citizenship"]
    assert citizenship["value"] == "ER"
    assert citizenship["codes"] == [{"value": "ER", "label": {"nb": "Eritrea", "en": "Eritrea"}}]
    assert DUF not in answer.text and found["links"]["pdf"].endswith(
        f"/api/v1/persons/{world['person']}/mapping.pdf?questionnaire=kompass")  # fmt: skip
    again = client.get(found["links"]["mapping"], headers=world["auth"])
    assert again.status_code == 200 and again.json == found
    conforms(again, "/persons/{person_id}/mapping")
    reads = events(app, "mapping.read")
    assert [read.person_id for read in reads] == [world["person"]] * 2
    assert reads[0].actor_username == "veileder" and "token" in reads[0].details
    assert reads[0].details["questionnaire"] == "kompass" and DUF not in str(reads[0].details)


def test_another_municipalitys_unknown_and_malformed_numbers_are_the_same_not_found(app, world):
    client = app.test_client()
    answers = [lookup(client, world["auth"], {"duf_number": number})
               for number in (OTHER_DUF, "202011112222", "12", "٢٠٢٠٠٠٠٠٠٠٠٠")]  # fmt: skip
    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.data for answer in answers}) == 1
    conforms(answers[0], "/mappings/lookup", "post")
    by_id = client.get(f"/api/v1/persons/{world['other']}/mapping", headers=world["auth"])
    assert by_id.status_code == 404 and by_id.data == answers[0].data
    assert events(app, "mapping.read") == []


def test_a_body_the_api_cannot_read_is_400_or_422_never_500_and_never_echoed(app, world):
    client = app.test_client()
    auth = world["auth"]
    not_json = client.post(LOOKUP, data="duf_number=202000000000", headers=auth)
    assert not_json.status_code == 400
    conforms(not_json, "/mappings/lookup", "post")
    for body in ({}, {"duf_number": 202000000000}, {"duf_number": DUF, "name": "x"},
                 {"duf_number": "2" * 41}, [DUF]):  # fmt: skip
        answer = lookup(client, auth, body)
        assert answer.status_code in (400, 422) and DUF not in answer.text, body
        conforms(answer, "/mappings/lookup", "post")
    unknown = lookup(client, auth, {"duf_number": DUF, "questionnaire": "nope"})
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "not_found"


def test_changed_mappings_come_in_pages_of_visible_persons_only(app, world):
    client = app.test_client()
    more = [add_person(app, f"20200000001{n}") for n in range(3)]
    for person in more:
        arabic_mapping(app, person, 1)
    seen, url, pages = [], f"/api/v1/mappings?changed_since={SINCE}&limit=2", 0
    while url:
        answer = client.get(url, headers=world["auth"])
        assert answer.status_code == 200
        conforms(answer, "/mappings")
        seen += answer.json["mappings"]
        url, pages = answer.json["next"], pages + 1
    assert pages == 2
    assert [row["person_id"] for row in seen] == [world["person"], *more]
    assert [row["state"] for row in seen] == ["submitted", "draft", "draft", "draft"]
    stamps = [row["updated_at"] for row in seen]
    assert stamps == sorted(stamps)
    assert all("name" not in row for row in seen)
    later = client.get(f"/api/v1/mappings?changed_since={stamps[-1].replace('+', '%2B')}",
                       headers=world["auth"])  # fmt: skip
    assert [row["person_id"] for row in later.json["mappings"]] == [more[-1]]
    assert len(events(app, "person.list")) == 3


def test_changed_since_is_required_with_a_time_zone_and_a_cursor_must_be_ours(app, world):
    client = app.test_client()
    for query in (
        "",
        "?changed_since=2026-01-01T00:00:00",
        "?changed_since=yesterday",
        f"?changed_since={SINCE}&cursor=bm9uc2Vuc2U",
        f"?changed_since={SINCE}&limit=0",
    ):
        answer = client.get(f"/api/v1/mappings{query}", headers=world["auth"])
        assert answer.status_code == 422, query
        conforms(answer, "/mappings")


def test_the_pdfs_are_the_staff_profiles_and_audited(app, world):
    client = app.test_client()
    person, other = world["person"], world["other"]
    for path, action in (("mapping.pdf", "mapping.pdf"), ("cv.pdf", "mapping.cv")):
        answer = client.get(f"/api/v1/persons/{person}/{path}", headers=world["auth"])
        assert answer.status_code == 200 and answer.data.startswith(b"%PDF-")
        assert answer.headers["Cache-Control"] == "no-store"
        conforms(answer, f"/persons/{{person_id}}/{path}")
        (read,) = events(app, action)
        assert read.person_id == person and read.details["questionnaire"] == "kompass"
        hidden = client.get(f"/api/v1/persons/{other}/{path}", headers=world["auth"])
        assert hidden.status_code == 404 and hidden.json["error"]["code"] == "not_found"
        conforms(hidden, f"/persons/{{person_id}}/{path}")
    assert len(events(app, "mapping.pdf")) == len(events(app, "mapping.cv")) == 1


def test_a_busy_pdf_pool_answers_503_with_retry_after(app, world, monkeypatch):
    def busy(*_args):
        raise pdf_pool.PdfBusy()

    monkeypatch.setattr(pdf_pool, "made", busy)
    answer = app.test_client().get(f"/api/v1/persons/{world['person']}/mapping.pdf",
                                   headers=world["auth"])  # fmt: skip
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "10"
    conforms(answer, "/persons/{person_id}/mapping.pdf")
    assert events(app, "mapping.pdf") == []


def test_a_staff_session_is_no_api_credential_and_the_api_sets_no_cookie(app, world):
    staff = logged_in(app, "kollega", ["bosetting"])
    assert staff.get(f"/api/v1/persons/{world['person']}/mapping").status_code == 401
    answer = staff.post(LOOKUP, json={"duf_number": DUF})
    assert answer.status_code == 401 and answer.json["error"]["code"] == "token_missing"
    conforms(answer, "/mappings/lookup", "post")
    used = app.test_client().post(LOOKUP, json={"duf_number": DUF}, headers=world["auth"])
    assert used.status_code == 200 and "Set-Cookie" not in used.headers


def test_a_feed_token_and_a_revoked_token_are_refused(app, world):
    feed = token(app, "analytiker", ["analytiker"], None, scopes.FEED)
    client = app.test_client()
    answer = lookup(client, feed, {"duf_number": DUF})
    assert answer.status_code == 403 and answer.json["error"]["code"] == "wrong_scope"
    conforms(answer, "/mappings/lookup", "post")
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.execute(update(store.ApiToken).values(revoked_at=utcnow()))
        session.commit()
    revoked = client.get(f"/api/v1/mappings?changed_since={SINCE}", headers=world["auth"])
    assert revoked.status_code == 401 and revoked.json["error"]["code"] == "token_revoked"
    conforms(revoked, "/mappings")


def test_no_duf_number_is_in_a_log_line_an_audit_row_or_a_url(app, world, caplog):
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        found = lookup(client, world["auth"], {"duf_number": DUF})
        lookup(client, world["auth"], {"duf_number": OTHER_DUF})
        lookup(client, world["auth"], {"duf_number": "2" * 41})
        listed = client.get(f"/api/v1/mappings?changed_since={SINCE}", headers=world["auth"])
    assert DUF not in caplog.text and OTHER_DUF not in caplog.text
    links = [*found.json["links"].values(), *listed.json["mappings"][0]["links"].values()]
    assert all(DUF not in link for link in links)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        rows = session.scalars(select(AuditEvent)).all()
        assert rows and all(DUF not in str(row.details) for row in rows)
        stored = session.scalars(select(Response.id)).all()
    assert len(stored) == 2


def test_an_unknown_route_or_method_under_the_api_is_a_json_error(app, world):
    client = app.test_client()
    unknown = client.get("/api/v1/persons", headers=world["auth"])
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "not_found"
    wrong = client.get(LOOKUP, headers=world["auth"])
    assert wrong.status_code == 405 and wrong.json["error"]["code"] == "method_not_allowed"
    assert "POST" in wrong.headers["Allow"]
    assert client.get("/admin/finnes-ikke").mimetype == "text/html"
