"""Counsellor verification of a mapping's sections: stored append-only, shown in the profile,
the overview, the export and the statistics, audited, and only for persons the counsellor sees."""

import re

import pytest
from sqlalchemy import select

from adminui import statistics
from auth.staff.models import AuditEvent
from engine.app.context import db_session, kompass
from engine.responses import verification
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import INTERVIEW
from engine.responses.storage import DRAFT, Response
from tests.conftest import csrf_token
from tests.helpers import add_person
from tests.staff_helpers import add_user, excel_rows, staff_login
from tests.test_export import answered, run_export
from tests.test_statistics import BERGEN, add_responses

NOTE = "Gikk gjennom vitnemålet sammen med tolk."


@pytest.fixture
def submitted(app):
    """A submitted mapping of a person in Bergen and a counsellor of Bergen logged in."""
    person = add_person(app)
    answered(app, person)
    add_user(app, "veileder", ["bosetting"], "4601")
    client = app.test_client()
    staff_login(client, "veileder")
    return app, client, person


def mark(client, person: int, section="personal", state="gone_through", note="", token=None):
    page = client.get(f"/admin/personer/{person}/kartlegging")
    data = {"section": section, "state": state, "note": note}
    if token is not False:
        data["csrf_token"] = token or csrf_token(page.text)
    return client.post(f"/admin/personer/{person}/kartlegging/verifiser", data=data)


def section_html(page: str, section: str) -> str:
    pattern = rf'<section class="mapping-section" id="section-{section}">.*?</section>'
    return re.search(pattern, page, re.S).group(0)


def marks(app, person: int) -> list[verification.Mark]:
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        opened = Lifecycle(session, state.registry).find(f"person:{person}")
        return verification.history(session, opened.response.id)


def test_a_counsellor_marks_a_section_and_sees_it_in_the_profile(submitted):
    _app, client, person = submitted
    response = mark(client, person, note=NOTE)
    assert response.status_code == 303
    assert response.location.endswith(f"/admin/personer/{person}/kartlegging#section-personal")
    page = client.get(f"/admin/personer/{person}/kartlegging").text
    personal = section_html(page, "personal")
    assert 'data-state="gone_through"' in personal
    assert "Gått gjennom med personen</strong> – Veileder Test" in personal and NOTE in personal
    assert 'data-state="none"' in section_html(page, "education")
    assert "1 av 8 deler gått gjennom med personen" in page


def test_a_change_keeps_the_history_and_a_reopening_keeps_it_too(submitted):
    app, client, person = submitted
    mark(client, person, note=NOTE)
    mark(client, person, state="needs_follow_up", note="Mangler dokumentasjon")
    history = marks(app, person)
    assert [(m.section, m.state) for m in history] == [
        ("personal", "gone_through"),
        ("personal", "needs_follow_up"),
    ]
    assert history[0].note == NOTE and history[0].actor.startswith("user:")
    page = client.get(f"/admin/personer/{person}/kartlegging").text
    personal = section_html(page, "personal")
    assert 'data-state="needs_follow_up"' in personal and "Må følges opp" in personal
    assert "Tidligere markeringer (1)" in personal and NOTE in personal
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        service = Lifecycle(session, state.registry)
        opened = service.find(f"person:{person}")
        service.reopen(opened, opened.response.revision, "user:1", "Retting")
    assert len(marks(app, person)) == 2
    assert 'data-state="needs_follow_up"' in section_html(
        client.get(f"/admin/personer/{person}/kartlegging").text, "personal"
    )


def test_setting_is_audited_with_the_section_and_never_the_note(submitted):
    app, client, person = submitted
    mark(client, person, section="education", state="needs_follow_up", note=NOTE)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        [event] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "verification.set")
        ).all()
        assert event.person_id == person
        assert event.details == {"section": "education", "state": "needs_follow_up"}
        assert NOTE not in str(event.details)


def test_a_counsellor_outside_the_persons_roles_gets_404_and_nothing_is_stored(app, submitted):
    _app, _client, person = submitted
    add_user(app, "oslo", ["bosetting"], "0301")
    other = app.test_client()
    staff_login(other, "oslo")
    token = csrf_token(other.get("/admin/kommuner/kompass").text)
    response = mark(other, person, token=token)
    assert response.status_code == 404
    assert mark(other, 999999, token=token).status_code == 404
    assert marks(app, person) == []


def test_a_post_without_its_csrf_token_is_refused(submitted):
    app, client, person = submitted
    assert mark(client, person, token=False).status_code == 400
    assert marks(app, person) == []


@pytest.mark.parametrize(
    ("section", "state", "note", "status"),
    [
        ("personal", "approved", "", 422),
        ("nowhere", "gone_through", "", 422),
        ("personal", "gone_through", "x" * (verification.NOTE_LIMIT + 1), 422),
    ],
)
def test_bad_input_gets_a_message_and_stores_nothing(submitted, section, state, note, status):
    app, client, person = submitted
    response = mark(client, person, section=section, state=state, note=note)
    assert response.status_code == status and 'class="error-summary"' in response.text
    assert marks(app, person) == []


def test_a_draft_filled_in_alone_cannot_be_verified_but_an_interview_can(app):
    add_user(app, "veileder", ["bosetting"], "4601")
    client = app.test_client()
    staff_login(client, "veileder")
    alone = add_person(app, "202000000011")
    answered(app, alone, submit=False)
    response = mark(client, alone)
    assert response.status_code == 409 and "under et intervju" in response.text
    assert "verify-form" not in client.get(f"/admin/personer/{alone}/kartlegging").text
    interviewed = add_person(app, "202000000012")
    answered(app, interviewed, submit=False, mode=INTERVIEW)
    assert mark(client, interviewed).status_code == 303


def test_the_overview_counts_verified_sections(submitted):
    _app, client, person = submitted
    mark(client, person)
    mark(client, person, section="education")
    mark(client, person, section="work", state="needs_follow_up")
    page = client.get("/admin/kommuner/kompass/oversikt").text
    assert "verifisert 2 av 8" in page
    header, row = excel_rows(client.get("/admin/kommuner/kompass/oversikt.csv").data)
    assert (header[-1], row[-1]) == ("Verifisert", "verifisert 2 av 8")


def test_the_export_has_a_column_per_section_in_the_codebook_without_the_verifier(
    submitted, tmp_path
):
    app, client, person = submitted
    mark(client, person, note=NOTE)
    mark(client, person, section="assessment", state="needs_follow_up")
    found = run_export(app, tmp_path, "--format", "csv")
    [row] = found["responses"]
    assert row["verified_personal"] == "gone_through"
    assert row["verified_assessment"] == "needs_follow_up"
    assert row["verified_education"] == ""
    codebook = {r["column"]: r for r in found["codebook"] if r["table"] == "responses"}
    assert codebook["verified_personal"]["label_nb"] == "Verifisert: Personopplysninger"
    values = {(r["column"], r["value"]): r["label_nb"] for r in found["codebook_values"]}
    assert values[("verified_work", "needs_follow_up")] == "Må følges opp"
    flat = str(found)
    assert "Veileder Test" not in flat and "user:" not in flat and NOTE not in flat


def test_statistics_count_fully_verified_mappings_with_suppression(app):
    add_responses(app, 7, BERGEN)

    def sections_for(index: int, questionnaire) -> list[str]:
        everything = [s.id for s in questionnaire.sections(include_staff=True)]
        return everything if index < 5 else everything[:-1] if index == 5 else []

    mark_gone_through(app, sections_for)  # the sixth one section short: not fully verified
    fully, not_fully, total = (
        ("", statistics.FULLY_VERIFIED),
        ("", statistics.NOT_FULLY_VERIFIED),
        ("", "total"),
    )
    cells = _verified(app)  # 5 and 2 of 7: the 2 is "<5", 5 and 7 both round to 5
    assert (cells[fully], cells[not_fully], cells[total]) == ("5", "<5", "5")
    add_responses(app, 5, BERGEN)
    add_responses(app, 3, BERGEN, state=DRAFT)  # drafts are not counted
    cells = _verified(app)
    assert (cells[fully], cells[not_fully], cells[total]) == ("5", "5", "10")  # 5, 7, 12 rounded


def test_a_mapping_is_fully_verified_only_with_the_counsellors_own_section(app):
    """Five persons have every section gone through; five every section but the staff-only
    one, which a counsellor fills in: those are not fully verified."""
    add_responses(app, 10, BERGEN)
    mark_gone_through(app, lambda index, questionnaire: [
        s.id for s in questionnaire.sections(include_staff=index < 5)
    ])  # fmt: skip
    cells = _verified(app)
    fully, not_fully = ("", statistics.FULLY_VERIFIED), ("", statistics.NOT_FULLY_VERIFIED)
    assert (cells[fully], cells[not_fully]) == ("5", "5")


def mark_gone_through(app, sections_for) -> None:
    """Each response, in order, marked gone through in `sections_for(its index, questionnaire)`."""
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        responses = session.scalars(select(Response).order_by(Response.id)).all()
        questionnaire = state.registry.get(session, responses[0].version_id)
        for index, response in enumerate(responses):
            for section in sections_for(index, questionnaire):
                verification.record(session, response, questionnaire, section,
                                    verification.GONE_THROUGH, "user:1")  # fmt: skip
        session.commit()


def _verified(app) -> dict:
    with app.test_request_context():
        src = statistics.source(db_session(), "kompass")
        table = statistics.verified_table(db_session(), kompass().registry, src,
                                          statistics.Filters())  # fmt: skip
    return {(g.code, r.code): r.shown for g in table.groups for r in [*g.rows, g.total]}


def test_the_engine_refuses_unknown_states_sections_and_long_notes(app):
    person = add_person(app)
    answered(app, person)
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        opened = Lifecycle(session, state.registry).find(f"person:{person}")
        args = (session, opened.response, opened.questionnaire)
        for section, chosen, note in [
            ("personal", "ok", ""), ("nowhere", "gone_through", ""),
            ("personal", "gone_through", "x" * 1001),
        ]:  # fmt: skip
            with pytest.raises(verification.CannotVerify):
                verification.record(*args, section, chosen, "user:1", note)
        verification.record(*args, "personal", "gone_through", "user:1", "  ")
        assert verification.current(session, opened.response.id)["personal"].note is None


def test_erasing_the_person_removes_their_verifications(submitted):
    app, client, person = submitted
    mark(client, person, note=NOTE)
    result = app.test_cli_runner().invoke(
        args=["persons", "erase", "--duf", "202000000000", "--yes"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        assert session.scalars(select(verification.SectionVerification)).all() == []
