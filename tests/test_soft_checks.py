"""Soft consistency checks: checked by `questionnaire check`, raised by answers, shown on the
review page as "Check this" (never blocking submit) and flagged in the counsellor's profile."""

import copy
import re

import pytest
from sqlalchemy import select

from engine.definition import expressions
from engine.definition.errors import QuestionnaireError
from engine.definition.loader import load_all
from engine.questionnaire import soft_checks
from engine.responses.entries import ENTRY_ID
from engine.responses.lifecycle import Lifecycle
from engine.responses.respondent import Respondent
from engine.responses.storage import Response
from tests import sample_tree
from tests.conftest import csrf_token, hidden
from tests.helpers import post_section
from tests.staff_helpers import add_user, staff_login
from tests.test_loader import TYPES

WARNING = {
    "id": "late_course",
    "when": "has_job == 'no' and any(courses, start > 2030)",
    "message": "check_late_course",
    "questions": ["start", "has_job"],
}
UNIVERSITY = {"school_years": 0, "education": [{ENTRY_ID: "e1e1e1e1", "edu_level": "7"}]}


def with_warning(tmp_path, warning=None, message=True, where="top"):
    data = copy.deepcopy(sample_tree.QUESTIONNAIRE)
    if where == "top":
        data["warnings"] = [warning or WARNING]
    else:
        data["sections"][0]["warnings"] = [warning or WARNING]
    english = copy.deepcopy(sample_tree.ENGLISH)
    if message:
        english["messages"]["check_late_course"] = "Check the start year."
    sample_tree.write(tmp_path, questionnaire=data, english=english)
    return load_all(tmp_path, TYPES)[("sample", 1)]


def errors_of(tmp_path, **changes) -> list:
    with pytest.raises(QuestionnaireError) as caught:
        with_warning(tmp_path, **changes)
    return caught.value.errors


@pytest.mark.parametrize("where", ["top", "section"])
def test_a_warning_is_raised_only_when_definitely_true(tmp_path, where):
    questionnaire = with_warning(tmp_path, where=where)
    late = {"has_job": "no", "courses": [{"start": 2031}, {"start": 2001}]}
    assert [r.id for r in soft_checks.raised(questionnaire, late)] == ["late_course"]
    assert soft_checks.raised(questionnaire, {**late, "has_job": "yes"}) == []
    assert soft_checks.raised(questionnaire, {"courses": [{"start": 2031}]}) == []  # unknown
    assert soft_checks.raised(questionnaire, {"has_job": "no", "courses": []}) == []


def test_check_reports_unknown_questions_bad_expressions_groups_and_messages(tmp_path):
    [unknown] = errors_of(tmp_path, warning={**WARNING, "questions": ["strat"]})
    assert unknown.code == "unknown-question-in-warning"
    assert unknown.path == "warnings[0].questions[0]"
    assert unknown.suggestion == "start"
    [bad] = errors_of(tmp_path, warning={**WARNING, "when": "__import__('os')"})
    assert bad.code == "bad-expression" and bad.path == "warnings[0].when"
    [not_group] = errors_of(tmp_path, warning={**WARNING, "when": "any(has_job, start > 1)"})
    assert not_group.code == "not-a-group"
    [outside] = errors_of(tmp_path, warning={**WARNING, "when": "start > 2030"})
    assert outside.code == "unknown-question-in-expression"
    [missing] = errors_of(tmp_path, message=False)
    assert missing.code == "missing-source-text" and "check_late_course" in missing.path


def test_any_is_three_valued_and_reads_the_entry_first():
    expression = expressions.parse("any(jobs, year < start + 8)")
    assert expression.groups == {"jobs"}
    answers = {"start": 2000, "jobs": [{"year": 2020}, {"year": 2005}]}
    assert expression.evaluate(answers.get) is True
    assert expression.evaluate({"start": 2000, "jobs": [{"year": 2020}]}.get) is False
    assert expression.evaluate({"jobs": [{"year": 2020}]}.get) is None
    assert expression.evaluate({"start": 2000}.get) is False
    assert expressions.parse("a - 'x' > 1").evaluate({"a": 3}.get) is None
    with pytest.raises(expressions.ExpressionError):
        expressions.parse("any(jobs, year < start * 8)")


def test_the_kompass_warnings_are_raised_by_their_answers(app):
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        questionnaire = state.registry.active(session)
    raised = [r.id for r in soft_checks.raised(questionnaire, UNIVERSITY)]
    assert raised == ["university_without_schooling"]
    child_labour = {
        "education": [{ENTRY_ID: "e1", "edu_level": "1", "edu_start_year": 2000}],
        "jobs": [{ENTRY_ID: "j1", "job_from_year": 2005}],
    }
    assert [r.id for r in soft_checks.raised(questionnaire, child_labour)] == [
        "job_before_school_age"
    ]
    child_labour["jobs"][0]["job_from_year"] = 2012
    assert soft_checks.raised(questionnaire, child_labour) == []


def store(app, lang: str, **sections) -> str:
    """Save answers of the one response, section by section, as the person; its subject."""
    state = app.extensions["kompass"]
    with app.app_context(), state.sessions() as session:
        subject = session.scalars(select(Response.subject)).one()
        service = Lifecycle(session, state.registry)
        opened = service.open(subject, lang)
        for section, answers in sections.items():
            revision = opened.response.revision
            saved = service.save_section(opened, section, answers, revision, lang,
                                         Respondent(subject))  # fmt: skip
            assert not saved.problems
    return subject


def test_the_review_page_asks_to_check_and_still_submits(app, logged_in):
    post_section(logged_in, "nb", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    review = logged_in.get("/nb/form/review").text
    assert "Sjekk dette" not in review
    store(app, "nb", education=UNIVERSITY)
    review = logged_in.get("/nb/form/review").text
    block = re.search(r'<div class="check-this".*?</div>\n', review, re.S).group(0)
    assert "Sjekk dette" in block and "ført opp utdanning fra universitet" in block
    assert 'href="/nb/kompass/form/education#q-school_years"' in block
    assert "Some answers are missing" not in review and 'class="error-summary"' not in review
    response = logged_in.post(
        "/nb/form/submit",
        data={"csrf_token": csrf_token(review), "revision": hidden(review, "revision")},
    )
    assert response.status_code == 302 and response.location.endswith("/nb/kompass/form/receipt")


def test_the_counsellor_sees_the_warning_flagged_in_the_profile(app, logged_in):
    logged_in.get("/en/form/personal")  # starts the response
    subject = store(app, "en", personal={"citizenship": "SY", "mother_tongue": "ar"},
                    education=UNIVERSITY)  # fmt: skip
    add_user(app, "veileder", ["bosetting"], "4601")
    staff = app.test_client()
    staff_login(staff, "veileder")
    person_id = subject.split(":")[1]
    page = staff.get(f"/admin/personer/{person_id}/kartlegging").text
    education = re.search(r'<section class="mapping-section" id="section-education">.*?</section>',
                          page, re.S).group(0)  # fmt: skip
    assert "Sjekk dette" in education
    assert "Du skrev at du ikke har gått på skole" in education
    assert "Spørsmål: Hvor mange år har du gått på skole til sammen?" in education
