"""The response lifecycle as an engine service, without any HTML."""

import copy

import pytest

from engine.questionnaire import schema
from engine.responses import storage
from engine.responses.entries import ENTRY_ID
from engine.responses.lifecycle import Lifecycle, UnknownPart, VersionUnavailable
from engine.responses.respondent import INTERVIEW, Respondent

PERSON = Respondent("person:1")
COUNSELLOR = Respondent("person:1", mode=INTERVIEW, entered_by="user:7", include_staff=True)


@pytest.fixture
def service(app):
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        yield Lifecycle(session, state.registry)


def test_a_whole_response_through_the_service_alone(service):
    opened = service.open("person:1", "ar")
    assert (opened.response.questionnaire_version, opened.response.language) == (1, "ar")
    blocked = service.submit(opened, 1, PERSON)
    assert {p.path for p in blocked.problems} == {("citizenship",), ("mother_tongue",)}
    assert not opened.response.submitted
    saved = service.save_section(
        opened, "personal", {"citizenship": "SY", "mother_tongue": "ar"}, 1, "ar", PERSON
    )
    assert saved.problems == [] and saved.response.revision == 2
    added = service.add_entry(opened, "education", 2, "ar", PERSON)
    entry_id = added.entry_id
    assert added.response.answers["education"] == [{ENTRY_ID: entry_id}]
    entry = {ENTRY_ID: entry_id, "edu_name": "Sykepleie", "edu_status": "completed"}
    service.save_section(opened, "education", {"education": [entry]}, 3, "ar", PERSON)
    submitted = service.submit(opened, 4, PERSON)
    assert submitted.problems == [] and submitted.response.submitted
    snapshots = storage.submissions(service.session, opened.response.id)
    assert [s.answers["education"][0]["edu_name"] for s in snapshots] == ["Sykepleie"]
    assert service.open("person:1", "en").response.id == opened.response.id


def test_removing_an_entry_keeps_the_ids_of_the_others(service):
    opened = service.open("person:1", "en")
    ids = [service.add_entry(opened, "education", n, "en", PERSON).entry_id for n in (1, 2, 3)]
    assert len(set(ids)) == 3
    service.remove_entry(opened, "education", ids[1], 4, "en", PERSON)
    assert [e[ENTRY_ID] for e in opened.response.answers["education"]] == [ids[0], ids[2]]
    with pytest.raises(UnknownPart):
        service.remove_entry(opened, "education", ids[1], 5, "en", PERSON)


def test_every_write_checks_the_revision(service):
    opened = service.open("person:1", "en")
    service.save_section(opened, "personal", {"citizenship": "SY"}, 1, "en", PERSON)
    for write in (
        lambda: service.save_section(opened, "personal", {"citizenship": "ER"}, 1, "en", PERSON),
        lambda: service.add_entry(opened, "education", 1, "en", PERSON),
    ):
        with pytest.raises(storage.StaleRevision):
            answers = dict(opened.response.answers)
            write()
        assert opened.response.answers == answers
    complete = {"citizenship": "SY", "mother_tongue": "ti"}
    service.save_section(opened, "personal", complete, 2, "en", PERSON)
    with pytest.raises(storage.StaleRevision):
        service.submit(opened, 2, PERSON)
    assert not opened.response.submitted


def test_a_save_keeps_valid_answers_and_reports_the_rest(service):
    opened = service.open("person:1", "en")
    service.save_section(opened, "education", {"school_years": 12}, 1, "en", PERSON)
    saved = service.save_section(
        opened, "personal", {"citizenship": "XX", "mother_tongue": "ti"}, 2, "en", PERSON
    )
    assert {(p.path, p.code) for p in saved.problems} == {(("citizenship",), "invalid_choice")}
    assert saved.response.answers == {"school_years": 12, "mother_tongue": "ti"}


def test_a_page_where_nothing_is_valid_is_saved_without_losing_anything(service):
    opened = service.open("person:1", "en")
    service.save_section(opened, "education", {"school_years": 12}, 1, "en", PERSON)
    junk = {"school_years": "many", "education": "not a list"}
    saved = service.save_section(opened, "education", junk, 2, "en", PERSON)
    assert saved.problems and saved.response.answers == {"school_years": 12}


def test_staff_sections_are_only_for_interviews(service):
    opened = service.open("person:1", "en")
    with pytest.raises(UnknownPart):
        service.save_section(opened, "assessment", {"interpreter_used": "no"}, 1, "en", PERSON)
    saved = service.save_section(
        opened, "assessment", {"interpreter_used": "no"}, 1, "en", COUNSELLOR
    )
    assert saved.response.mode == INTERVIEW and saved.response.entered_by == "user:7"
    service.save_section(opened, "personal", {"citizenship": "SY"}, 2, "en", PERSON)
    log = opened.response.section_log
    assert (log["assessment"]["mode"], log["assessment"]["by"]) == (INTERVIEW, "user:7")
    assert (log["personal"]["mode"], log["personal"]["by"]) == ("self", None)


def test_reopen_needs_a_reason_and_keeps_the_submission(service):
    opened = service.open("person:1", "en")
    storage.submit(service.session, opened.response, 1)
    assert service.reopen(opened, 2, "user:7", "  ").problems
    reopened = service.reopen(opened, 2, "user:7", "Wrong school level")
    assert reopened.response.state == storage.DRAFT and reopened.response.submitted_at is None
    storage.submit(service.session, opened.response, 3)
    first, second = storage.submissions(service.session, opened.response.id)
    assert (first.reopened_by, first.reopen_reason) == ("user:7", "Wrong school level")
    assert (second.number, second.reopened_at) == (2, None)
    with pytest.raises(storage.StaleRevision):
        service.reopen(opened, 3, "user:7", "again, with an old revision")


def test_nothing_published_means_no_response_can_start(unpublished_app):
    state = unpublished_app.extensions["kompass"]
    with (
        unpublished_app.app_context(),
        state.sessions() as session,
        pytest.raises(VersionUnavailable),
    ):
        Lifecycle(session, state.registry).open("person:1", "en")


def schema_checks(monkeypatch) -> list[dict]:
    """From now on, the answers of every application of a questionnaire's schema."""
    applied: list[dict] = []
    real = schema.validator

    class Counting:
        def __init__(self, questionnaire):
            self.validator = real(questionnaire)

        def iter_errors(self, answers):
            applied.append(copy.deepcopy(answers))
            return self.validator.iter_errors(answers)

    monkeypatch.setattr(schema, "validator", Counting)
    return applied


def test_a_save_applies_the_schema_once(service, monkeypatch):
    opened = service.open("person:1", "en")
    applied = schema_checks(monkeypatch)
    service.save_section(opened, "personal", {"citizenship": "SY"}, 1, "en", PERSON)
    assert applied == [{"citizenship": "SY"}]
    service.add_entry(opened, "education", 2, "en", PERSON)
    assert len(applied) == 2


def test_an_invalid_answer_is_checked_again_only_after_its_repair(service, monkeypatch):
    opened = service.open("person:1", "en")
    applied = schema_checks(monkeypatch)
    saved = service.save_section(opened, "education", {"school_years": "many"}, 1, "en", PERSON)
    assert saved.problems and saved.response.answers == {}
    assert applied == [{"school_years": "many"}, {}]
