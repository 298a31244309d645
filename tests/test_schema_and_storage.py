"""JSON Schema per version, validation, and storage that never keeps invalid answers."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from engine.app import plugins
from engine.app.config import PROJECT_ROOT
from engine.definition.loader import load_all
from engine.questionnaire import schema, validation
from engine.questionnaire.validation import Problem
from engine.responses import storage
from engine.versions import published
from tests import strategies

KOMPASS = load_all(
    Path(PROJECT_ROOT / "questionnaires"), plugins.question_types(plugins.make_plugin_manager())
)[("kompass", 1)]


def test_schema_is_draft_2020_12_and_valid_against_the_metaschema():
    built = schema.build(KOMPASS)
    assert built["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(built)
    assert built["properties"]["citizenship"]["enum"][-2:] == ["stateless", "unknown"]
    assert built["properties"]["education"]["items"]["additionalProperties"] is False


@given(strategies.answers(KOMPASS))
@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_generated_valid_answers_pass_the_schema(answers):
    assert validation.schema_problems(KOMPASS, validation.prune_hidden(KOMPASS, answers)) == []


@given(strategies.JUNK)
@settings(max_examples=150)
def test_junk_is_rejected_with_problems_never_an_exception(junk):
    problems = validation.validate(KOMPASS, junk if isinstance(junk, dict) else {"junk": junk})
    assert all(isinstance(p, Problem) and p.code for p in problems)


@given(st.dictionaries(st.sampled_from(sorted(KOMPASS.questions)), strategies.JUNK, min_size=1))
@settings(max_examples=150)
def test_junk_under_real_question_ids_never_raises(answers):
    validation.validate(KOMPASS, answers)


def test_hidden_answers_are_dropped():
    answers = {
        "has_licence": "no",
        "licence_categories": ["B"],
        "education": [{"edu_status": "ongoing", "edu_end_year": 2001, "edu_start_year": 2000}],
    }
    pruned = validation.prune_hidden(KOMPASS, answers)
    assert "licence_categories" not in pruned
    assert pruned["education"] == [{"edu_status": "ongoing", "edu_start_year": 2000}]


def test_required_and_cross_field_rules():
    answers = {
        "citizenship": "SY",
        "education": [{"edu_status": "completed", "edu_start_year": 2010, "edu_end_year": 2005}],
    }
    problems = {(p.path, p.code, p.message_key) for p in validation.validate(KOMPASS, answers)}
    assert (("mother_tongue",), "required", None) in problems
    assert (("education", 0, "edu_end_year"), "custom", "end_before_start") in problems
    assert not validation.validate(KOMPASS, answers, require=False, scope={"citizenship"})


def test_limits_are_enforced():
    problems = validation.validate(KOMPASS, {"school_years": 31, "citizenship": "XX"})
    assert {(p.path, p.code) for p in problems} == {
        (("school_years",), "too_large"),
        (("citizenship",), "invalid_choice"),
    }


def _v1(session):
    return published.find(session, "kompass", 1)


def _save(session, response, answers: dict, revision: int, lang: str):
    """Answers written as the lifecycle writes them: checked once, then stored and committed."""
    saved = storage.save_draft(
        session, response, validation.check(KOMPASS, answers), revision, lang
    )
    session.commit()
    return saved


def test_stored_response_keeps_id_version_language_state_and_timestamps(app):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        response = storage.find_or_start(session, "person:1", _v1(session), "ti")
        assert (response.questionnaire_id, response.questionnaire_version) == ("kompass", 1)
        assert (response.state, response.revision, response.language) == ("draft", 1, "ti")
        saved = _save(session, response, {"citizenship": "ER"}, 1, "ar")
        assert (saved.revision, saved.language, saved.answers) == (2, "ar", {"citizenship": "ER"})
        assert saved.updated_at >= saved.created_at and saved.updated_at.tzinfo is not None
        assert storage.find_or_start(session, "person:1", _v1(session), "en").id == response.id


def test_a_stale_revision_never_overwrites_newer_answers(app):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        response = storage.find_or_start(session, "person:2", _v1(session), "en")
        _save(session, response, {"citizenship": "ER"}, 1, "en")
        with pytest.raises(storage.StaleRevision):
            _save(session, response, {"citizenship": "SY"}, 1, "en")
        assert response.answers == {"citizenship": "ER"}


def test_invalid_answers_are_never_stored(app):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        response = storage.find_or_start(session, "person:3", _v1(session), "en")
        checked = validation.check(KOMPASS, {"school_years": "many"})
        for unchecked in (checked, checked.answers, {"school_years": 12}):
            with pytest.raises(storage.InvalidAnswers):
                storage.save_draft(session, response, unchecked, 1, "en")
        with pytest.raises(TypeError):
            validation.Checked(KOMPASS, {"school_years": "many"}, ())
        assert response.revision == 1 and response.answers == {}


def test_a_submitted_response_cannot_change(app):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        response = storage.find_or_start(session, "person:4", _v1(session), "en")
        storage.submit(session, response, 1)
        assert response.submitted and response.submitted_at is not None
        assert [s.number for s in storage.submissions(session, response.id)] == [1]
        with pytest.raises(storage.AlreadySubmitted):
            _save(session, response, {}, 2, "en")


@given(strategies.answers(KOMPASS))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_generated_answers_are_stored_and_read_back_valid(app, answers):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        response = storage.find_or_start(session, "person:hypothesis", _v1(session), "en")
        stored = _save(session, response, answers, response.revision, "en")
        session.expire_all()
        reread = storage.find(session, "person:hypothesis", "kompass")
        assert reread.answers == stored.answers == validation.prune_hidden(KOMPASS, answers)
        assert validation.schema_problems(KOMPASS, reread.answers) == []


# Texts that look like the other values, so a set that mixed them up would be found.
TEXTS = st.sampled_from(["", "a", "0", "1", "1.0", "True", "true", "None", "null"]) | st.text(
    max_size=3
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-1, 1) | st.floats(-1, 1) | TEXTS,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=4,
)
ENUM_VALUES = st.none() | st.booleans() | st.integers(-1, 1) | st.just(1.0) | TEXTS


@given(st.lists(ENUM_VALUES, max_size=6), JSON_VALUES)
def test_the_quick_enum_agrees_with_jsonschemas_own(allowed, value):
    """Texts are looked up in a set (engine/questionnaire/schema.py); every value, text or
    not, is valid exactly when jsonschema's own `enum` says so."""
    enum = {"enum": allowed}
    quick = schema._Validator(enum).is_valid(value)
    assert quick == Draft202012Validator(enum).is_valid(value)
    assert quick == schema._Validator(enum).is_valid(value)  # the set kept for the list
