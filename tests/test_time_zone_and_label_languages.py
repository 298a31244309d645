"""The time zone and the staff label languages are the deployment's settings (`TIME_ZONE`,
`LABEL_LANGUAGES`), not the engine's knowledge: another value changes what people read."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from engine.app import deployment
from engine.app.factory import create_app
from engine.questionnaire import moments
from engine.responses.storage import Response
from engine.translation.staff_texts import staff_labels
from tests.conftest import TEST_SETTINGS, publish
from tests.helpers import add_person
from tests.test_export import answered, run_export

TOKYO = "Asia/Tokyo"
# 20:00 UTC on 1 March: 21:00 the same day at the default setting, 05:00 on 2 March in Tokyo.
EVENING_UTC = datetime(2025, 3, 1, 20, tzinfo=UTC)


@pytest.fixture
def tokyo_app(database_url):
    application = create_app({**TEST_SETTINGS, "DATABASE_URL": database_url,
                              "TIME_ZONE": TOKYO, "LABEL_LANGUAGES": "en"})  # fmt: skip
    publish(application, "kompass", 1)
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [("TIME_ZONE", "Nowhere/Else", "KOMPASS_TIME_ZONE 'Nowhere/Else' is not a time zone"),
     ("TIME_ZONE", "", "KOMPASS_TIME_ZONE '' is not a time zone"),
     ("LABEL_LANGUAGES", " , ", "KOMPASS_LABEL_LANGUAGES is empty")],
)  # fmt: skip
def test_a_setting_the_engine_cannot_use_stops_start_up(tmp_path, setting, value, message):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    with pytest.raises(deployment.InvalidSetting, match=message):
        create_app({**TEST_SETTINGS, "DATABASE_URL": url, setting: value})


def test_label_languages_are_read_in_order_once_each():
    assert deployment.languages(" uk, de ,uk,,") == ("uk", "de")


def test_a_moment_is_written_in_the_configured_time_zone(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    for zone, written in ((None, "1 Mar 2025, 21:00"), (TOKYO, "2 Mar 2025, 05:00")):
        chosen = {"TIME_ZONE": zone} if zone else {}
        made = create_app({**TEST_SETTINGS, "DATABASE_URL": url, **chosen})
        with made.app_context():
            assert moments.written(EVENING_UTC, "en_GB") == written
        made.extensions["kompass"].sessions.kw["bind"].dispose()


def test_export_days_are_whole_days_in_the_configured_time_zone(tokyo_app, tmp_path):
    answered(tokyo_app, add_person(tokyo_app, "202000000001", municipality="4601"))
    state = tokyo_app.extensions["kompass"]
    with state.sessions() as session:
        session.execute(update(Response).values(submitted_at=EVENING_UTC))
        session.commit()
    first = run_export(tokyo_app, tmp_path, "--format", "csv", "--from", "2025-03-02")
    assert [r["submitted_at"] for r in first["responses"]] == ["2025-03-02"]
    before = run_export(tokyo_app, tmp_path, "--format", "csv", "--to", "2025-03-01",
                        name="before.zip")  # fmt: skip
    assert before["responses"] == []
    [row] = [
        r for r in first["codebook"] if (r["table"], r["column"]) == ("responses", "response_id")
    ]
    assert list(row) == ["table", "column", "question", "type", "question_type", "label_en",
                         "versions"]  # fmt: skip
    assert row["label_en"] == "Response id"


def test_the_engines_labels_come_from_its_catalogue_else_in_english():
    assert staff_labels("Response id", ("nb", "de", "en")) == {
        "nb": "Svar-ID", "de": "Response id", "en": "Response id",
    }  # fmt: skip
