"""The OData feed: a real OData client (python-odata) reads exactly what the staff export's CSV
holds for the same owner and filters; pseudonymised unless a system administrator asks; a
municipal administrator reads only their municipality; a guarded reader gets years, no mode
and the min-group rule; paging, $count, $select and $filter on each fact; errors in OData's
shape, never a 500."""

import base64
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from odata import ODataService
from requests.auth import HTTPBasicAuth

from api.odata.views import FEED
from tests.odata_helpers import bearer, feed_token, seed, serving, staff_export
from tests.staff_helpers import events, staff_login, token

RESPONSES, GROUPS = "responses", ("education", "other_languages", "jobs")
KEYS = {"responses": ("response_id",)} | {g: ("response_id", "entry_id") for g in GROUPS}


PAGE = 100


@pytest.fixture
def thousand(app):
    """1,000 responses (the size issue 21 names for the real client's read) in pages of 300."""
    app.config["KOMPASS_ODATA_PAGE_SIZE"] = 300
    seed(app, 1000)
    return app


@pytest.fixture
def hundreds(app):
    """400 responses; the feed's pages hold 100 rows, so every table spans several pages: what
    the tests other than the real client's need (`fifty` turns pages of 7)."""
    app.config["KOMPASS_ODATA_PAGE_SIZE"] = PAGE
    seed(app, 400)
    return app


def client_rows(service, table: str, where=None) -> list[dict]:
    entity = service.entities[table]
    query = service.query(entity)
    if where is not None:
        query = query.filter(where(entity))
    return [{name: getattr(row, name) for name in row.__odata__.data} for row in query]


def as_csv(value) -> str:
    """A value as the CSV export writes it."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime) else str(value)


def assert_same_tables(read: dict[str, list[dict]], exported: dict[str, list[dict]]) -> None:
    """Every row and column of each table, matched by its key."""
    for table, rows in read.items():
        expected = {tuple(r[k] for k in KEYS[table]): r for r in exported[table]}
        got = {tuple(as_csv(r[k]) for k in KEYS[table]): r for r in rows}
        assert len(got) == len(rows) == len(expected) and got.keys() == expected.keys(), table
        for key, row in got.items():
            assert {c: as_csv(v) for c, v in row.items()} == expected[key], (table, key)


def test_a_real_odata_client_reads_every_row_and_column_of_the_csv_export(thousand):
    text = feed_token(thousand, "ana", ["analytiker"])
    with serving(thousand) as base:
        auth = HTTPBasicAuth("feed", text)
        service = ODataService(f"{base}/odata/kompass/v1/", auth=auth, reflect_entities=True,
                               quiet_progress=True)  # fmt: skip
        read = {t: client_rows(service, t) for t in (RESPONSES, *GROUPS)}
        in_bergen = {t: client_rows(service, t, lambda e: e.municipality == "4601")
                     for t in (RESPONSES,)}  # fmt: skip
    assert len(read[RESPONSES]) > 600 and len(read["education"]) > 300
    assert_same_tables(read, staff_export(thousand, "ana"))
    assert_same_tables(in_bergen, staff_export(thousand, "ana", municipality="4601"))
    feeds = events(thousand, FEED)
    assert {e.details["entity_set"] for e in feeds} == {RESPONSES, *GROUPS}
    assert sum(e.details["rows"] for e in feeds if e.details["entity_set"] == "jobs") == len(
        read["jobs"]
    )


@pytest.fixture
def fifty(app):
    """50 responses, pages of 7 rows."""
    app.config["KOMPASS_ODATA_PAGE_SIZE"] = 7
    seed(app, 50)
    return app


def read_all(client, url: str, text: str) -> tuple[list[dict], list[dict]]:
    """Every row, following nextLink; and each page's JSON."""
    pages, rows = [], []
    while url:
        with client.get(url, headers=bearer(text)) as answer:  # read to its end, on any outcome
            assert answer.status_code == 200, answer.text
            pages.append(answer.json)
        rows += pages[-1]["value"]
        url = pages[-1].get("@odata.nextLink")
    return rows, pages


def test_a_system_administrator_reads_identifiable_data_only_when_asked(fifty):
    text = feed_token(fifty, "root", ["systemadmin"])
    with serving(fifty) as base:
        auth = HTTPBasicAuth("feed", text)
        root = f"{base}/odata/kompass/v1/identifiable/"
        service = ODataService(root, auth=auth, reflect_entities=True, quiet_progress=True)
        read = {t: client_rows(service, t) for t in (RESPONSES, "education")}
    assert isinstance(read[RESPONSES][0]["submitted_at"], datetime)
    assert all(isinstance(r["response_id"], int) and r["duf"] for r in read[RESPONSES])
    assert_same_tables(read, staff_export(fifty, "root", identifiable="1"))
    plain = fifty.test_client().get("/odata/kompass/v1/$metadata", headers=bearer(text)).text
    assert 'Name="duf"' not in plain
    assert '<Property Name="response_id" Type="Edm.String" Nullable="false">' in plain
    (first, *_) = [e for e in events(fifty, FEED) if e.details["identifiable"]]
    assert first.actor_username == "root" and first.details["rows"] == 7


def test_only_a_system_administrator_may_ask_for_identifiable_data(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    for part in ("", "$metadata", "responses"):
        with client.get(f"/odata/kompass/v1/identifiable/{part}", headers=bearer(text)) as answer:
            assert answer.status_code == 403
        assert answer.json["error"]["code"] == "identifiable_not_allowed"


def test_pages_follow_next_links_and_top_skip_and_count_work_as_odata_says(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    rows, pages = read_all(client, "/odata/kompass/v1/responses?$count=true", text)
    ids = [r["response_id"] for r in rows]
    assert len(pages) > 4 and len(ids) == len(set(ids)) == pages[0]["@odata.count"]
    assert all(len(p["value"]) == 7 for p in pages[:-1]) and "@odata.nextLink" not in pages[-1]
    top, _ = read_all(client, "/odata/kompass/v1/responses?$top=10", text)
    skipped, _ = read_all(client, "/odata/kompass/v1/responses?$skip=9&$top=12", text)
    assert [r["response_id"] for r in top] == ids[:10]
    assert [r["response_id"] for r in skipped] == ids[9:21]
    none = client.get("/odata/kompass/v1/responses?$top=0&$count=true", headers=bearer(text))
    assert none.json["value"] == [] and none.json["@odata.count"] == len(ids)
    entries, pages = read_all(client, "/odata/kompass/v1/education?$count=true", text)
    assert len(entries) == pages[0]["@odata.count"] > 7
    alone = client.get("/odata/kompass/v1/education/$count", headers=bearer(text))
    assert alone.mimetype == "text/plain" and alone.text == str(len(entries))
    assert {e["response_id"] for e in entries} <= set(ids)


def test_the_skiptoken_is_opaque_and_cannot_be_changed_or_moved(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    first = client.get("/odata/kompass/v1/responses", headers=bearer(text)).json
    link = first["@odata.nextLink"]
    token = parse_qs(urlsplit(link).query)["$skiptoken"][0]
    assert b"after" not in base64.urlsafe_b64decode(token)  # encrypted: no id to read
    forged = link[:-8] + ("A" if link[-8] != "A" else "B") + link[-7:]
    moved = link.replace("/responses?", "/responses?$filter=state%20eq%20'draft'&")
    for url in (forged, moved, link.replace("responses?", "education?")):
        answer = client.get(url, headers=bearer(text))
        assert answer.status_code == 400 and "skiptoken" in answer.json["error"]["message"]


def test_select_gives_only_the_chosen_columns(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    url = "/odata/kompass/v1/responses?$select=state,response_id"
    answer = client.get(url, headers=bearer(text)).json
    assert [list(r) for r in answer["value"]] == [["response_id", "state"]] * 7
    assert answer["@odata.context"].endswith("$metadata#responses(state,response_id)")
    wrong = client.get("/odata/kompass/v1/responses?$select=duf", headers=bearer(text))
    assert wrong.status_code == 400 and "duf" in wrong.json["error"]["message"]


def test_a_municipal_administrator_reads_only_their_municipality_as_the_export_guards_it(
    hundreds,
):
    text = feed_token(hundreds, "bergen", ["kommuneadmin"], municipality="4601")
    client = hundreds.test_client()
    rows, _ = read_all(client, "/odata/kompass/v1/responses", text)
    assert {r["municipality"] for r in rows} == {"4601"}
    assert {len(r["submitted_at"]) for r in rows} == {4} and {r["mode"] for r in rows} == {None}
    entries, _ = read_all(client, "/odata/kompass/v1/jobs", text)
    assert_same_tables({RESPONSES: rows, "jobs": entries}, staff_export(hundreds, "bergen"))
    for where in ("municipality eq '0301'", "municipality ne '4601'",
                  "municipality in ('0301','5001')"):  # fmt: skip
        other, _ = read_all(client, f"/odata/kompass/v1/responses?$filter={where}", text)
        assert other == []
    wider, _ = read_all(client, "/odata/kompass/v1/responses?$filter=municipality eq '0301' "
                                "or state eq 'submitted' or state eq 'draft'", text)  # fmt: skip
    assert {r["municipality"] for r in wider} == {"4601"} and len(wider) > len(rows)


def test_a_guarded_reader_filters_by_whole_years_and_never_by_mode(hundreds):
    text = feed_token(hundreds, "bergen", ["kommuneadmin"], municipality="4601")
    client = hundreds.test_client()
    url = "/odata/kompass/v1/responses?$filter=submitted_at eq '2025'"
    rows, _ = read_all(client, url, text)
    exported = staff_export(hundreds, "bergen", **{"from": "2025-01-01", "to": "2025-12-31"})
    assert_same_tables({RESPONSES: rows}, exported)
    for where in ("mode eq 'self'", "submitted_at ge '2025-03-01'", "submitted_at lt 2025-01-01",
                  "created_at gt 2024-12-31T23:00:00Z"):  # fmt: skip
        url = f"/odata/kompass/v1/responses?$filter={where}"
        with client.get(url, headers=bearer(text)) as answer:
            assert answer.status_code == 400, where


def test_a_guarded_reader_is_refused_a_feed_that_would_single_out_anyone(app):
    seed(app, 3, places=("4601",), states=("submitted",))  # 3 alike at most: fewer than 5
    text = feed_token(app, "bergen", ["kommuneadmin"], municipality="4601")
    client = app.test_client()
    for part in ("responses", "education?$top=0&$count=true", "responses?$select=state"):
        with client.get(f"/odata/kompass/v1/{part}", headers=bearer(text)) as answer:
            assert answer.status_code == 403 and answer.json["error"]["code"] == "too_few_alike"
            assert "Fewer than 5" in answer.json["error"]["message"]
    staff = app.test_client()
    staff_login(staff, "bergen")
    refused = staff.post("/admin/eksport", data={"csrf_token": token(staff), "format": "csv"})
    assert refused.status_code == 422  # the staff export refuses the same
    seed(app, 30, places=("4601",), states=("submitted",))  # each year: 5 or more
    rows, _ = read_all(client, "/odata/kompass/v1/responses", text)
    assert len(rows) == 33


def everything(client, text: str, table: str = RESPONSES) -> list[dict]:
    url = f"/odata/kompass/v1/{table}?$filter=state eq 'submitted' or state eq 'draft'"
    if table != RESPONSES:
        url = url.replace("state", "response/state")
    return read_all(client, url, text)[0]


FILTERS = [
    ("state eq 'draft'", lambda r: r["state"] == "draft"),
    ("state ne 'submitted'", lambda r: r["state"] != "submitted"),
    ("state in ('draft','submitted')", lambda r: True),
    ("language eq 'ar'", lambda r: r["language"] == "ar"),
    ("language in ('ar','ti')", lambda r: r["language"] in ("ar", "ti")),
    ("not (language eq 'ar')", lambda r: r["language"] != "ar"),
    ("mode eq 'interview'", lambda r: r["mode"] == "interview"),
    ("mode ne 'self'", lambda r: r["mode"] != "self"),
    ("version eq 1", lambda r: True),
    ("version gt 1", lambda r: False),
    ("version le 1", lambda r: True),
    ("submitted_at ge '2025-03-01'", lambda r: r["submitted_at"] >= "2025-03-01"),
    ("submitted_at lt 2025-03-01", lambda r: r["submitted_at"] < "2025-03-01"),
    ("submitted_at gt '2024-06-30'", lambda r: r["submitted_at"] > "2024-06-30"),
    ("submitted_at le '2024'", lambda r: r["submitted_at"] <= "2024-12-31"),
    ("submitted_at eq '2025'", lambda r: r["submitted_at"][:4] == "2025"),
    ("submitted_at eq null", lambda r: False),
    ("submitted_at eq null and state eq 'draft'", lambda r: r["state"] == "draft"),
    ("state eq 'draft' and submitted_at ne null", lambda r: False),
    ("created_at ne '2025'", lambda r: r["created_at"][:4] != "2025"),
    ("state in ('submitted','draft') and submitted_at ne '2025'",
     lambda r: r["submitted_at"] is None or r["submitted_at"][:4] != "2025"),
    ("updated_at ge '2025-01-01' and updated_at le '2025-06-30'",
     lambda r: "2025-01-01" <= r["updated_at"] <= "2025-06-30"),
    ("municipality eq '4601'", lambda r: r["municipality"] == "4601"),
    ("municipality ne '4601'", lambda r: r["municipality"] != "4601"),
    ("municipality in ('0301','5001')", lambda r: r["municipality"] in ("0301", "5001")),
    ("(state eq 'draft' or language eq 'nb') and municipality eq '0301'",
     lambda r: (r["state"] == "draft" or r["language"] == "nb") and r["municipality"] == "0301"),
]  # fmt: skip


def test_filters_on_each_fact_give_exactly_the_matching_responses(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    every = everything(client, text)
    assert {r["state"] for r in every} == {"submitted", "draft"}
    for where, matches in FILTERS:
        expected = [r for r in every if ("state" in where or r["state"] == "submitted")
                    and matches(r)]  # fmt: skip
        rows, _ = read_all(client, f"/odata/kompass/v1/responses?$filter={where}", text)
        assert sorted(r["response_id"] for r in rows) == sorted(
            r["response_id"] for r in expected
        ), where
        assert rows == [] or 0 < len(rows) <= len(every), where


def test_a_group_is_filtered_by_its_responses_facts(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    facts = {r["response_id"]: (r["language"], r["state"]) for r in everything(client, text)}
    entries = everything(client, text, "education")
    url = "/odata/kompass/v1/education?$filter=response/language eq 'ar'"
    rows, _ = read_all(client, url, text)
    expected = [e for e in entries if facts[e["response_id"]] == ("ar", "submitted")]
    assert rows and sorted(map(str, rows)) == sorted(map(str, expected))


REFUSED = (
    ["$filter=contains(state,'sub')", "$filter=citizenship eq 'SY'", "$filter=state gt 'a'",
     "$filter=submitted_at ge 2025-03-01T10:00:00Z", "$filter=version eq 'one'",
     "$filter=response/state eq 'draft'", "$filter=state eq", "$filter=state eq 'a' xor",
     "$filter=municipality gt '4601'", "$filter=submitted_at in ('2025')", "$top=-1",
     "$top=ten", "$skip=1.5", "$count=yes", "$select=nothing", "$select=state;drop",
     "$foo=1", "$top=1&$top=2", "$format=xml", "$skiptoken=abc", "$skiptoken=x&$top=1"]
)  # fmt: skip


def test_options_the_feed_cannot_use_are_refused_with_400(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    for query in REFUSED:
        answer = client.get(f"/odata/kompass/v1/responses?{query}", headers=bearer(text))
        assert answer.status_code == 400 and answer.json["error"]["code"] == "bad_request", query
        assert answer.json["error"]["message"]


def test_a_group_filters_by_response_facts_and_odata_options_it_lacks_are_501(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    answer = client.get("/odata/kompass/v1/jobs?$filter=state eq 'draft'", headers=bearer(text))
    assert answer.status_code == 400 and "response/" in answer.json["error"]["message"]
    for query in ("$orderby=state", "$expand=education", "$search=x"):
        answer = client.get(f"/odata/kompass/v1/responses?{query}", headers=bearer(text))
        assert answer.status_code == 501 and answer.json["error"]["code"] == "not_implemented"


def test_unknown_questionnaires_versions_and_sets_are_an_odata_404(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    for path in (
        "/odata/housing/v1/",
        "/odata/kompass/v9/responses",
        "/odata/kompass/x1/",
        "/odata/kompass/v1/answers",
        "/odata/kompass/v1/responses/extra",
        "/odata/",
    ):
        answer = fifty.test_client().get(path, headers=bearer(text))
        assert answer.status_code == 404 and answer.json["error"]["code"] == "not_found", path


def test_the_feed_needs_a_feed_token_and_sets_no_cookie(fifty):
    from api.tokens import scopes

    mapping = feed_token(fifty, "rådgiver", ["bosetting"], "4601", scope=scopes.MAPPINGS)
    feed = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    for path in ("/odata/kompass/v1/", "/odata/kompass/v1/$metadata", "/odata/kompass/v1/jobs"):
        assert client.get(path).status_code == 401
        refused = client.get(path, headers=bearer(mapping))
        assert refused.status_code == 403 and refused.json["error"]["code"] == "wrong_scope"
        answer = client.get(path, headers=bearer(feed))
        assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
        assert answer.headers["OData-Version"] == "4.0"


def test_all_versions_are_one_service_joined_on_question_ids(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    joined, _ = read_all(client, "/odata/kompass/all/responses", text)
    one, _ = read_all(client, "/odata/kompass/v1/responses", text)
    assert sorted(map(str, joined)) == sorted(map(str, one))
    sets = client.get("/odata/kompass/all/", headers=bearer(text)).json
    assert [s["name"] for s in sets["value"]] == [RESPONSES, *GROUPS]
    assert sets["@odata.context"].endswith("/odata/kompass/all/$metadata")


def test_each_read_is_audited_with_its_filter_and_row_count_never_answers(fifty):
    text = feed_token(fifty, "ana", ["analytiker"])
    client = fifty.test_client()
    read_all(client, "/odata/kompass/v1/other_languages?$filter=response/language eq 'ar'", text)
    audited = events(fifty, FEED)
    assert audited and audited[0].actor_username == "ana"
    assert audited[0].details["filter"] == "response/language eq 'ar'"
    assert audited[0].details["page"] == "first" and audited[-1].details["more"] is False
    assert set(audited[0].details) == {"questionnaire", "version", "entity_set", "identifiable",
                                       "filter", "select", "page", "rows", "more"}  # fmt: skip


def test_pages_smaller_than_the_exports_batch_are_refused_at_start_up(published_database_url):
    """A pseudonymised page is shuffled within, not across pages: small pages would date rows."""
    from engine.app.factory import create_app
    from tests.conftest import TEST_SETTINGS

    settings = {**TEST_SETTINGS, "DATABASE_URL": published_database_url, "ODATA_PAGE_SIZE": 999}
    with pytest.raises(ValueError, match="KOMPASS_ODATA_PAGE_SIZE must be 1000 or more"):
        create_app(settings)
