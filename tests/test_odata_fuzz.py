"""Any query string, to any part of the feed, by a plain and a guarded reader: an answer or an
OData error, never a 500."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.odata_helpers import bearer, feed_token, seed

OPTIONS = ("$filter", "$select", "$top", "$skip", "$skiptoken", "$count", "$format", "$orderby",
           "$expand", "identifiable", "$")  # fmt: skip
WORDS = ("state", "language", "mode", "version", "submitted_at", "created_at", "municipality",
         "response/state", "response/", "citizenship", "eq", "ne", "gt", "ge", "lt", "le", "in",
         "and", "or", "not", "(", ")", ",", "null", "true", "'draft'", "'2025'", "'2025-03-01'",
         "2025-02-30", "2025-03-01T10:00:00Z", "1", "-1", "99999999999999999999", "'", "''",
         "/", "*", "contains(", "9999-12-31", "0001-01-01", "'10000'", "'0000'")  # fmt: skip
PATHS = (
    "responses",
    "education",
    "$metadata",
    "",
    "jobs/",
    "identifiable/responses",
    "education/$count",
)
TEXT = st.text(max_size=40)
FILTERS = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)
VALUES = st.one_of(TEXT, FILTERS, st.integers(-5, 10**20).map(str), st.sampled_from(WORDS))


@pytest.fixture
def readers(app):
    app.config["KOMPASS_ODATA_PAGE_SIZE"] = 3
    seed(app, 12)
    plain = feed_token(app, "ana", ["analytiker"])
    guarded = feed_token(app, "bergen", ["kommuneadmin"], municipality="4601")
    return app, (plain, guarded)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(PATHS),
    options=st.lists(st.tuples(st.one_of(st.sampled_from(OPTIONS), TEXT), VALUES), max_size=4),
    guarded=st.booleans(),
)
def test_no_query_string_makes_the_feed_fail(readers, path, options, guarded):
    app, tokens = readers
    url = f"/odata/kompass/v1/{path}?{urlencode(options)}"
    with app.test_client().get(url, headers=bearer(tokens[guarded])) as answer:
        assert answer.status_code < 500 or answer.status_code == 501, url
        body = answer.get_json()  # read to the end: a streamed page ends with its request
    if answer.status_code != 200:
        assert set(body["error"]) == {"code", "message"}, url
