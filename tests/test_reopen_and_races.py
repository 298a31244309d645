"""Reopening a submitted mapping from the staff UI, and writes that race each other."""

import re
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from auth.staff.models import AuditEvent
from engine.responses import storage
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import Respondent
from engine.responses.storage import Response, Submission
from engine.versions import frozen, registry
from tests.conftest import csrf_token, hidden
from tests.helpers import add_person, log_in, post_section
from tests.staff_helpers import add_user, staff_login, token

ONE_WINS = ["ok", "refused", "refused", "refused"]
COMPLETE = {"citizenship": "SY", "mother_tongue": "ar"}


def submitted_response(app, subject: str) -> int:
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        service = Lifecycle(session, state.registry)
        opened = service.open(subject, "ar")
        person = Respondent(subject)
        service.save_section(opened, "personal", COMPLETE, 1, "ar", person)
        assert service.submit(opened, 2, person).response.submitted
        return opened.response.id


def snapshots(app, response_id: int) -> list[Submission]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return storage.submissions(session, response_id)


@pytest.fixture
def counsellor(app):
    add_user(app, "veileder", ["bosetting"], "4601")
    client = app.test_client()
    staff_login(client, "veileder")
    return client


def reopen(client, person_id: int, reason: str, revision: str | None = None):
    page = client.get(f"/admin/personer/{person_id}").text
    found = re.search(r'name="revision" value="(\d+)"', page)
    data = {"csrf_token": csrf_token(page), "reason": reason,
            "revision": revision or (found.group(1) if found else "")}  # fmt: skip
    return client.post(f"/admin/personer/{person_id}/gjenapne", data=data)


def test_a_counsellor_reopens_with_a_reason_and_the_submission_is_kept(app, counsellor):
    person = add_person(app)
    response_id = submitted_response(app, f"person:{person}")
    page = counsellor.get(f"/admin/personer/{person}").text
    assert "Sendt inn" in page and "Gjenåpne for retting" in page
    missing = reopen(counsellor, person, "   ")
    assert missing.status_code == 422 and "Skriv hvorfor" in missing.text
    assert reopen(counsellor, person, "Feil utdanningsnivå").status_code == 302
    page = counsellor.get(f"/admin/personer/{person}").text
    assert "Startet, ikke sendt inn" in page and "Feil utdanningsnivå" in page
    [kept] = snapshots(app, response_id)
    assert kept.answers == COMPLETE and kept.reopen_reason == "Feil utdanningsnivå"
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "response.reopen")
        ).all()
    assert [(e.person_id, e.details) for e in audited] == [(person, {"submission": 1})]
    assert reopen(counsellor, person, "again").status_code == 409


def test_a_person_outside_the_counsellors_roles_cannot_be_reopened(app, counsellor):
    oslo = add_person(app, "202000000001", municipality="0301")
    response_id = submitted_response(app, f"person:{oslo}")
    data = {"csrf_token": token(counsellor), "reason": "x", "revision": "3"}
    assert counsellor.post(f"/admin/personer/{oslo}/gjenapne", data=data).status_code == 404
    assert snapshots(app, response_id)[0].reopened_at is None


def race(app, action, count: int = 4) -> list[str]:
    """Run `action(service)` in `count` threads at once, each with its own session."""
    state = app.extensions["kompass"]
    barrier, outcomes = threading.Barrier(count), []

    def run():
        with app.app_context(), state.sessions() as session:
            barrier.wait()
            try:
                action(Lifecycle(session, state.registry))
                outcomes.append("ok")
            except (storage.StaleRevision, storage.AlreadySubmitted, storage.NotSubmitted):
                outcomes.append("refused")

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


def test_concurrent_submits_of_one_revision_make_exactly_one_snapshot(app):
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        service = Lifecycle(session, state.registry)
        opened = service.open("person:race", "en")
        service.save_section(opened, "personal", COMPLETE, 1, "en", Respondent("person:race"))
        response_id = opened.response.id

    def submit(service):
        service.submit(service.find("person:race"), 2, Respondent("person:race"))

    assert race(app, submit) == ONE_WINS
    assert [s.number for s in snapshots(app, response_id)] == [1]


def test_concurrent_saves_of_one_revision_let_exactly_one_through(app):
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        Lifecycle(session, state.registry).open("person:race", "en")
    years = iter(range(1, 10))

    def save(service):
        answers = {"school_years": next(years)}
        opened = service.find("person:race")
        service.save_section(opened, "education", answers, 1, "en", Respondent("person:race"))

    assert race(app, save) == ONE_WINS
    with app.app_context(), state.sessions() as session:
        stored = session.scalars(select(Response)).one()
        assert stored.revision == 2 and 1 <= stored.answers["school_years"] <= 4


def test_concurrent_reopens_record_one_reopening(app):
    response_id = submitted_response(app, "person:race")

    def reopen_it(service):
        service.reopen(service.find("person:race"), 3, "user:1", "race")

    assert race(app, reopen_it) == ONE_WINS
    [kept] = snapshots(app, response_id)
    assert kept.reopened_by == "user:1"


def test_after_reopening_the_person_corrects_and_submits_again(app, counsellor):
    person = add_person(app)
    response_id = submitted_response(app, f"person:{person}")
    reopen(counsellor, person, "Morsmål er feil")
    page = counsellor.post(
        f"/admin/personer/{person}/koder", data={"csrf_token": token(counsellor)}
    )
    code = re.search(r'<strong class="code">([A-Z0-9]{6})</strong>', page.text).group(1)
    client = app.test_client()
    log_in(client, code)
    form = client.get("/en/form/personal").text
    assert 'value="SY" selected' in form
    post_section(client, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ti"})
    review = client.get("/en/form/review").text
    client.post(
        "/en/form/submit",
        data={"csrf_token": csrf_token(review), "revision": hidden(review, "revision")},
    )
    first, second = snapshots(app, response_id)
    assert first.answers["mother_tongue"] == "ar" and first.reopen_reason == "Morsmål er feil"
    assert second.answers["mother_tongue"] == "ti" and second.reopened_at is None


def test_concurrent_first_visits_start_exactly_one_mapping(app):
    opened_ids = []

    def open_it(service):
        opened_ids.append(service.open("person:race", "en").response.id)

    assert race(app, open_it) == ["ok"] * 4
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        assert [r.id for r in session.scalars(select(Response))] == opened_ids[:1]
    assert len(set(opened_ids)) == 1


def test_the_database_refuses_a_second_mapping_for_a_person(app):
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        first = Lifecycle(session, state.registry).open("person:1", "en").response
        session.add(Response(subject="person:1", questionnaire_id=first.questionnaire_id,
                             version_id=first.version_id, language="ar", answers={}))  # fmt: skip
        with pytest.raises(IntegrityError):
            session.commit()


def test_threads_reading_a_new_version_at_once_thaw_it_once(app, monkeypatch):
    state = app.extensions["kompass"]
    state.registry._thawed.clear()
    registry.THAWED.clear()
    thaws = []
    real_thaw = frozen.thaw
    monkeypatch.setattr(frozen, "thaw", lambda *args: thaws.append(1) or real_thaw(*args))

    def read(service):
        assert service.open("person:race", "en").questionnaire is not None

    assert race(app, read) == ["ok"] * 4
    assert len(thaws) == 1
