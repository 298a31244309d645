"""Several questionnaires side by side (issue 20): the respondent's URLs carry the questionnaire,
a code leads to the one it was made for, and each response stays in its own questionnaire."""

import re

import pytest
from sqlalchemy import select

from auth.code_login.models import LoginCode
from auth.staff.models import AuditEvent
from engine.responses.storage import Response
from tests.conftest import csrf_token, hidden
from tests.helpers import add_person
from tests.second_questionnaire import SECOND, two_questionnaires_app
from tests.staff_helpers import add_user, staff_login, token
from tests.test_export import run_export

DUF = "202000000701"


@pytest.fixture
def two(two_questionnaires, tmp_path):
    return two_questionnaires_app(two_questionnaires, tmp_path)


def _code(app, *questionnaire: str) -> str:
    add_person(app, DUF)
    args = [
        "codes",
        "create",
        "--duf",
        DUF,
        *(("--questionnaire", *questionnaire) if questionnaire else ()),
    ]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output.split("Code: ")[1].split()[0]


def _log_in(client, code: str):
    page = client.get("/en/login")
    return client.post(
        "/en/login", data={"csrf_token": csrf_token(page.text), "duf": DUF, "code": code}
    )


def _answer_housing(client) -> None:
    page = client.get(f"/en/{SECOND}/form/home").text
    data = {"csrf_token": csrf_token(page), "revision": hidden(page, "revision"),
            "shown": hidden(page, "shown"), "action": "next",
            "q.household_size": "3", "q.wants_city": "yes"}  # fmt: skip
    assert client.post(f"/en/{SECOND}/form/home", data=data).status_code == 302
    review = client.get(f"/en/{SECOND}/form/review").text
    submit = {"csrf_token": csrf_token(review), "revision": hidden(review, "revision")}
    assert client.post(f"/en/{SECOND}/form/submit", data=submit).location.endswith(
        f"/en/{SECOND}/form/receipt"
    )


def test_a_code_for_the_second_questionnaire_leads_to_it_and_its_answers_stay_there(two, tmp_path):
    client = two.test_client()
    logged_in = _log_in(client, _code(two, SECOND))
    assert logged_in.location.endswith(f"/en/{SECOND}/form/")
    first = client.get(f"/en/{SECOND}/form/")
    assert first.location.endswith(f"/en/{SECOND}/form/home")
    page = client.get(f"/en/{SECOND}/form/home").text
    assert "How many people live in your household?" in page
    assert f'href="/en/{SECOND}/form/' in page and 'href="/en/form/' not in page
    for elsewhere in ("", "personal", "review"):
        assert client.get(f"/en/kompass/form/{elsewhere}").status_code == 404
    _answer_housing(client)
    receipt = client.get(f"/en/{SECOND}/form/receipt").text
    assert "cv.pdf" not in receipt
    with two.app_context(), two.extensions["kompass"].sessions() as session:
        [response] = session.scalars(select(Response))
        assert (response.questionnaire_id, response.state) == (SECOND, "submitted")
        assert response.answers == {"household_size": 3, "wants_city": "yes"}
    tables = run_export(two, tmp_path, "--questionnaire", SECOND, "--format", "csv")
    [row] = tables["responses"]
    assert (row["household_size"], row["wants_city"]) == ("3", "yes")
    assert "citizenship" not in row


def test_the_same_person_then_answers_kompass_apart_from_the_second(two):
    client = two.test_client()
    _log_in(client, _code(two, SECOND))
    _answer_housing(client)
    kompass_client = two.test_client()
    logged_in = _log_in(kompass_client, _code(two))
    assert logged_in.location.endswith("/en/kompass/form/")
    assert kompass_client.get("/en/kompass/form/personal").status_code == 200
    assert kompass_client.get(f"/en/{SECOND}/form/home").status_code == 404
    with two.app_context(), two.extensions["kompass"].sessions() as session:
        states = dict(session.execute(select(Response.questionnaire_id, Response.state)).all())
    assert states == {SECOND: "submitted", "kompass": "draft"}


def test_submitting_the_second_closes_only_its_own_code(two):
    client = two.test_client()
    _log_in(client, _code(two, SECOND))
    _answer_housing(client)
    with two.app_context(), two.extensions["kompass"].sessions() as session:
        [code] = session.scalars(select(LoginCode))
        assert (code.questionnaire_id, code.closed_reason) == (SECOND, "submitted")


def test_submitting_the_second_in_an_interview_leaves_the_persons_kompass_code_open(two):
    _code(two)
    state = two.extensions["kompass"]
    with two.test_request_context("/"), state.sessions() as session:
        [code] = session.scalars(select(LoginCode))
        housing = Response(subject=f"person:{code.person_id}", questionnaire_id=SECOND)
        state.plugins.hook.kompass_response_event(
            session=session, event="submitted", response=housing, actor="user:1",
            mode="interview", section=None, details={},
        )  # fmt: skip
        session.commit()
        session.refresh(code)
        assert code.closed_reason is None


def test_an_unknown_questionnaire_is_not_found_and_cannot_get_a_code(two):
    assert two.test_client().get("/en/nothing/form/").status_code == 404
    add_person(two, DUF)
    result = two.test_cli_runner().invoke(
        args=["codes", "create", "--duf", DUF, "--questionnaire", "nothing"]
    )
    assert result.exit_code != 0 and "served: kompass, housing" in result.output


def _staff(app):
    add_user(app, "veileder", ["bosetting"], "4601")
    client = app.test_client()
    staff_login(client, "veileder")
    return client


def test_a_code_made_on_the_person_page_leads_to_the_questionnaire_chosen_there(two):
    person = add_person(two, DUF)
    staff = _staff(two)
    page = staff.get(f"/admin/personer/{person}").text
    assert 'id="code-questionnaire" name="questionnaire"' in page and "Boligønsker" in page
    made = staff.post(f"/admin/personer/{person}/koder",
                      data={"csrf_token": token(staff), "questionnaire": SECOND})  # fmt: skip
    code = re.search(r'<td class="code">([A-Z0-9]{6})</td>', made.text).group(1)
    assert _log_in(two.test_client(), code).location.endswith(f"/en/{SECOND}/form/")
    refused = staff.post(f"/admin/personer/{person}/koder",
                         data={"csrf_token": token(staff), "questionnaire": "nothing"})  # fmt: skip
    assert refused.status_code == 404


def test_an_interview_opens_the_questionnaire_chosen_and_is_audited_with_it(two):
    person = add_person(two, DUF)
    staff = _staff(two)
    form = {"csrf_token": token(staff), "lang": "nb", "questionnaire": SECOND}
    opened = staff.post(f"/admin/personer/{person}/intervju", data=form)
    assert opened.location.endswith(f"/nb/{SECOND}/form/")
    page = staff.get(f"/nb/{SECOND}/form/home").text
    assert "Hvor mange bor i husholdningen din?" in page
    assert staff.get("/nb/kompass/form/personal").status_code == 404
    with two.app_context(), two.extensions["kompass"].sessions() as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "interview.open"))
        assert event.details["questionnaire"] == SECOND
