"""`kompass retention run`: expired codes and persons go, submitted mappings stay anonymous."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from adminui import statistics
from auth.code_login import codes
from auth.code_login.models import LoginCode
from auth.people.models import Person
from auth.staff.models import AuditEvent
from engine.app.context import db_session
from engine.app.db import utcnow
from engine.export import rows
from engine.responses import retention
from engine.responses.storage import Response, Submission
from tests.helpers import add_person
from tests.test_export import answered, run_export
from tests.test_lockout_races import at_once

ANSWERS = {"citizenship": "SY", "mother_tongue": "ar"}
FREE_TEXT = "Snekker hos Ola Nordmann"


def backdate(app, person_id: int, registered_days: int, submitted_days: int | None = None):
    """Move a person's registration (and submission) that many days into the past."""
    now = utcnow()
    subject = f"person:{person_id}"
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.execute(
            update(Person).where(Person.id == person_id)
            .values(created_at=now - timedelta(days=registered_days))
        )  # fmt: skip
        if submitted_days is not None:
            at = now - timedelta(days=submitted_days)
            ids = select(Response.id).where(Response.subject == subject)
            session.execute(update(Response).where(Response.subject == subject)
                            .values(submitted_at=at, created_at=at, updated_at=at))  # fmt: skip
            session.execute(update(Submission).where(Submission.response_id.in_(ids))
                            .values(submitted_at=at))  # fmt: skip
        session.commit()


def add_code(app, person_id: int, expired_days: int) -> int:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        person = session.get(Person, person_id)
        new = codes.create(session, person, timedelta(days=7), "fast")
        new.record.valid_to = utcnow() - timedelta(days=expired_days)
        session.commit()
        return new.record.id


@pytest.fixture
def world(app):
    """Old and recent persons, mapped and not, with codes of several ages."""
    ids = {name: add_person(app, f"2020000000{n:02d}", first_name=name.title())
           for n, name in enumerate(("old_mapped", "recent_mapped", "old_unmapped",
                                     "recent_unmapped", "old_draft"), 1)}  # fmt: skip
    answered(app, ids["old_mapped"], answers=ANSWERS)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        response = session.scalars(select(Response)).one()
        job = {"_id": "j1", "job_title": FREE_TEXT, "job_isco": "7"}
        response.answers = {**response.answers, "mother_tongue_other": "Nabo", "jobs": [job]}
        response.section_log = {"personal": {"mode": "interview", "by": "user:1"}}
        response.entered_by = "user:1"
        session.commit()
    answered(app, ids["recent_mapped"], answers=ANSWERS)
    answered(app, ids["old_draft"], answers=ANSWERS, submit=False)
    backdate(app, ids["old_mapped"], 7 * 365, 6 * 365)
    backdate(app, ids["recent_mapped"], 7 * 365, 365)
    backdate(app, ids["old_unmapped"], 3 * 365)
    backdate(app, ids["recent_unmapped"], 365)
    backdate(app, ids["old_draft"], 3 * 365)
    ids["old_code"] = add_code(app, ids["old_mapped"], 6 * 365)
    ids["stale_code"] = add_code(app, ids["recent_unmapped"], 31)
    ids["fresh_code"] = add_code(app, ids["recent_unmapped"], 29)
    return ids


def snapshot(app) -> dict:
    """Every row that retention may touch, as plain values."""
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return {
            model.__tablename__: sorted(
                tuple(str(getattr(row, c.key)) for c in model.__table__.columns)
                for row in session.scalars(select(model))
            )
            for model in (Person, LoginCode, Response, Submission)
        }


def retention_run(app, *args) -> str:
    result = app.test_cli_runner().invoke(args=["retention", "run", *args])
    assert result.exit_code == 0, result.output
    return result.output


def counts_in(output: str) -> dict[str, int]:
    return {kind: int(n) for kind, n in re.findall(r"^  ([a-z_]+): (\d+)$", output, re.M)}


EXPECTED = {
    "persons_deleted": 3,  # old_mapped, old_unmapped, old_draft
    "responses_anonymised": 1,  # old_mapped's submitted mapping
    "responses_deleted": 1,  # old_draft's draft
    "submissions_deleted": 1,
    "login_codes_deleted": 2,  # the old one, and the one expired 31 days ago
}


def test_a_dry_run_changes_nothing_and_reports_what_a_run_does(app, world):
    before = snapshot(app)
    dry = retention_run(app, "--dry-run")
    assert dry.startswith("Dry run, nothing changed.")
    assert counts_in(dry) == EXPECTED
    assert snapshot(app) == before
    assert counts_in(retention_run(app)) == EXPECTED
    assert snapshot(app) != before


def test_a_run_removes_expired_persons_and_codes_and_keeps_the_rest(app, world):
    retention_run(app)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        persons = set(session.scalars(select(Person.id)))
        codes_left = set(session.scalars(select(LoginCode.id)))
        subjects = set(session.scalars(select(Response.subject)))
    assert persons == {world["recent_mapped"], world["recent_unmapped"]}
    assert codes_left == {world["fresh_code"]}
    assert f"person:{world['recent_mapped']}" in subjects
    assert not {f"person:{world[k]}" for k in ("old_mapped", "old_draft")} & subjects


def test_the_kept_mapping_has_no_identity_and_no_free_text(app, world):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        old = session.scalars(select(Response).where(
            Response.subject == f"person:{world['old_mapped']}")).one()  # fmt: skip
        old_id, old_submitted = old.id, old.submitted_at
    retention_run(app)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        kept = session.scalars(select(Response).where(Response.subject.like("anonymous:%"))).one()
        assert session.scalar(select(func.count()).select_from(Submission)) == 1  # recent only
    assert kept.id != old_id and kept.state == "submitted"
    assert kept.answers["citizenship"] == "SY" and kept.answers["mother_tongue"] == "ar"
    assert "mother_tongue_other" not in kept.answers
    assert kept.answers["jobs"][0]["job_isco"] == "7"
    assert "job_title" not in kept.answers["jobs"][0]
    assert kept.answers["jobs"][0]["_id"] != "j1"
    assert FREE_TEXT not in str(kept.answers)
    assert kept.entered_by is None and kept.section_log == {}
    assert kept.submitted_at == old_submitted.replace(day=1, hour=0, minute=0, second=0,
                                                      microsecond=0)  # fmt: skip


def test_a_second_run_finds_nothing_to_do(app, world):
    retention_run(app)
    after = snapshot(app)
    assert "nothing" in retention_run(app)
    assert snapshot(app) == after


def test_runs_at_the_same_time_anonymise_each_mapping_once(app, world):
    state = app.extensions["kompass"]
    settings = {key.removeprefix("KOMPASS_"): v for key, v in app.config.items()}

    def run_once():
        with app.app_context(), state.sessions() as session:
            remover = retention.Remover(session, state.plugins.hook, state.registry)
            return retention.run(remover, settings, utcnow(), dry_run=False)

    results = at_once(3, run_once)
    assert len(results) == 3  # no run failed (e.g. in a deadlock)
    assert sum(r["responses_anonymised"] for r in results) == 1
    assert sum(r["persons_deleted"] for r in results) == 3
    with app.app_context(), state.sessions() as session:
        anonymous = select(func.count()).where(Response.subject.like("anonymous:%"))
        assert session.scalar(anonymous) == 1


def test_the_periods_are_settings(app, world):
    app.config["KOMPASS_RETENTION_CODE_DAYS"] = 400
    app.config["KOMPASS_RETENTION_MAPPED_YEARS"] = 10
    app.config["KOMPASS_RETENTION_UNMAPPED_YEARS"] = 10
    assert counts_in(retention_run(app, "--dry-run")) == {"login_codes_deleted": 1}
    app.config["KOMPASS_RETENTION_MAPPED_YEARS"] = 1
    app.config["KOMPASS_RETENTION_UNMAPPED_YEARS"] = 1
    counts = counts_in(retention_run(app, "--dry-run"))
    assert counts["persons_deleted"] == 5 and counts["responses_anonymised"] == 2


def test_a_run_is_audited_with_counts_only(app, world):
    retention_run(app, "--dry-run")
    retention_run(app)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        events = list(session.scalars(select(AuditEvent)))
    assert [e.action for e in events] == ["retention.run"]
    assert events[0].details == EXPECTED and events[0].person_id is None
    assert events[0].actor_username == "(command line)"


def test_the_export_keeps_the_anonymised_mapping_under_a_new_pseudonym(app, world, tmp_path):
    before = run_export(app, tmp_path, "--format", "csv", name="before.zip")["responses"]
    old = rows.pseudonym("test-pseudonym-key", f"person:{world['old_mapped']}")
    assert old in {r["person"] for r in before}
    retention_run(app)
    after = run_export(app, tmp_path, "--format", "csv", name="after.zip")
    assert len(after["responses"]) == len(before) == 2
    assert old not in {r["person"] for r in after["responses"]}
    anonymous = [r for r in after["responses"] if r["municipality"] == ""]
    assert len(anonymous) == 1 and re.fullmatch(r"\d{4}-\d\d-01", anonymous[0]["submitted_at"])
    assert anonymous[0]["mother_tongue_other"] == ""
    assert FREE_TEXT not in str(after)


def test_statistics_still_count_the_anonymised_mapping_in_an_unknown_place(app, world):
    def counted():
        with app.test_request_context():
            src = statistics.source(db_session(), "kompass")
            return statistics.count(db_session(), src, statistics.Filters())

    before = counted()
    retention_run(app)
    after = counted()
    assert after.state["submitted"] == before.state["submitted"] == 2
    assert after.state["draft"] == before.state["draft"] - 1
    assert after.municipality == {"4601": 1, "": 1}
