"""What an analyst may ask an export for, and what it becomes (engine/export/criteria.py)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from engine.export.criteria import Asked, InvalidRequest, criteria
from engine.export.filters import SubjectFilter
from engine.export.rows import query
from engine.responses.storage import Response
from tests.test_publication_rules import add_rows, sessions

OSLO = ZoneInfo("Europe/Oslo")  # the default settings TIME_ZONE and LABEL_LANGUAGES
LANGUAGES = ("nb", "en")
FILTERS = [SubjectFilter("place", "", "", "", "", choices=list,
                         where=lambda value: Response.subject == f"person:{value}")]  # fmt: skip


def sql(conditions) -> list[str]:
    return [str(c.compile(compile_kwargs={"literal_binds": True})) for c in conditions]


@pytest.fixture
def versions(unpublished_app):
    """Versions 1 and 2 of kompass published, 3 only reserved, and another questionnaire."""
    ids = add_rows(unpublished_app, ("kompass", 1, "f"), ("kompass", 2, "f"),
                   ("kompass", 3, None), ("other", 1, "f"))  # fmt: skip
    with sessions(unpublished_app) as session:
        yield session, ids


def test_all_published_versions_and_submitted_responses_by_default(versions):
    session, ids = versions
    made = criteria(session, Asked("kompass"), OSLO, FILTERS)
    assert made.questionnaire_id == "kompass"
    assert made.version_ids == {1: ids[("kompass", 1)], 2: ids[("kompass", 2)]}
    assert made.states == ("submitted",)
    assert (made.submitted_from, made.submitted_to) == (None, None)
    assert (made.language, made.mode, made.subject_conditions) == (None, None, ())


def test_one_version_and_the_other_filters(versions):
    session, ids = versions
    asked = Asked("kompass", version="2", states=("draft", "submitted"),
                  submitted_from=date(2025, 3, 1), submitted_to=date(2025, 3, 31),
                  language="ar", mode="interview", filters={"place": "4601"})  # fmt: skip
    made = criteria(session, asked, OSLO, FILTERS)
    assert made.version_ids == {2: ids[("kompass", 2)]}
    assert made.states == ("draft", "submitted")
    assert made.submitted_from == datetime(2025, 3, 1, tzinfo=OSLO)
    assert made.submitted_to == datetime(2025, 4, 1, tzinfo=OSLO)  # the whole last day
    assert (made.language, made.mode) == ("ar", "interview")
    assert sql(made.subject_conditions) == ["responses.subject = 'person:4601'"]


def test_empty_language_and_place_filter_nothing(versions):
    session, _ids = versions
    asked = Asked("kompass", language="", mode="self", filters={"place": ""})
    made = criteria(session, asked, OSLO, FILTERS)
    assert (made.language, made.mode, made.subject_conditions) == (None, "self", ())


def test_the_first_and_last_allowed_days_are_accepted(versions):
    session, _ids = versions
    made = criteria(session, Asked("kompass", submitted_from=date(1900, 1, 1),
                                   submitted_to=date(9998, 12, 31)), OSLO, FILTERS)  # fmt: skip
    assert made.submitted_from == datetime(1900, 1, 1, tzinfo=OSLO)
    assert made.submitted_to == datetime(9999, 1, 1, tzinfo=OSLO)


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        (Asked("kompass", version="3"), "version 3 of kompass is not published"),
        (Asked("kompass", version="x"), "version x of kompass is not published"),
        (Asked("kompass", version="²"), "version ² of kompass is not published"),
        (Asked("nothing"), "no version of nothing is published"),
        (Asked("kompass", states=()), "state must be one of submitted, draft"),
        (Asked("kompass", states=("sent",)), "state must be one of submitted, draft"),
        (Asked("kompass", mode=""), "mode must be one of self, interview"),
        (Asked("kompass", mode="phone"), "mode must be one of self, interview"),
        (Asked("kompass", submitted_from=date(1899, 12, 31)),
         "dates must lie between 1900-01-01 and 9998-12-31"),
        (Asked("kompass", submitted_to=date(9999, 1, 1)),
         "dates must lie between 1900-01-01 and 9998-12-31"),
        (Asked("kompass", filters={"nowhere": "1", "place": "1"}),
         "no export filter is named nowhere"),
    ],
)  # fmt: skip
def test_a_filter_that_cannot_be_used_is_refused_with_why(versions, asked, message):
    session, _ids = versions
    with pytest.raises(InvalidRequest) as refused:
        criteria(session, asked, OSLO, FILTERS)
    assert str(refused.value) == message


def test_the_first_moment_of_the_first_day_is_in_and_of_the_day_after_the_last_out(versions):
    session, ids = versions
    made = criteria(session, Asked("kompass", submitted_from=date(2025, 3, 1),
                                   submitted_to=date(2025, 3, 31)), OSLO, FILTERS)  # fmt: skip
    moments = {"first": made.submitted_from, "after": made.submitted_to}
    for name, moment in moments.items():
        session.add(Response(subject=f"person:{name}", questionnaire_id="kompass",
                             version_id=ids[("kompass", 1)], language="nb", state="submitted",
                             answers={}, submitted_at=moment))  # fmt: skip
    session.commit()
    found = session.execute(query(made)).all()
    assert [row.subject for row in found] == ["person:first"]
