"""Follow-ups come after their triggers and wait for them; messages say what to do."""

import copy
import re
from datetime import date

import pytest
from flask_babel import force_locale

from engine.definition.loader import load_all
from engine.questionnaire.validation import Problem
from renderers.html.messages import describe
from tests import sample_tree
from tests.helpers import post_section
from tests.test_loader import TYPES, broken_questionnaire, errors_for


def _moved(data: dict, questions: list, index: int, to: int) -> None:
    questions.insert(to, questions.pop(index))


def test_a_follow_up_above_its_trigger_is_an_editor_error(tmp_path):
    def change(data):
        questions = data["sections"][0]["questions"]
        _moved(data, questions, 2, 1)  # job (visible_if has_job) above has_job

    [error] = errors_for(tmp_path, questionnaire=broken_questionnaire(change))
    assert error.code == "follow-up-before-trigger"
    assert error.path == "sections[0].questions[1].visible_if"
    assert error.line is not None
    assert "'job'" in error.message and "'has_job'" in error.message
    assert "move 'job' below 'has_job'" in error.hint


def test_a_follow_up_in_an_entry_above_its_trigger_is_an_editor_error(tmp_path):
    def change(data):
        children = data["sections"][0]["questions"][3]["questions"]
        _moved(data, children, 3, 1)  # end (visible_if status) above status

    [error] = errors_for(tmp_path, questionnaire=broken_questionnaire(change))
    assert error.code == "follow-up-before-trigger"
    assert error.path == "sections[0].questions[3].questions[1].visible_if"


def test_a_trigger_in_a_later_section_or_the_question_itself_is_an_editor_error(tmp_path):
    def change(data):
        data["sections"][0]["questions"][0]["visible_if"] = "answered(remarks)"
        data["sections"][0]["questions"][1]["visible_if"] = "has_job != 'no'"

    errors = errors_for(tmp_path, questionnaire=broken_questionnaire(change))
    assert [(e.code, e.path) for e in errors] == [
        ("follow-up-before-trigger", "sections[0].questions[0].visible_if"),
        ("follow-up-before-trigger", "sections[0].questions[1].visible_if"),
    ]


def test_a_trigger_in_an_earlier_section_is_fine(tmp_path):
    data = copy.deepcopy(sample_tree.QUESTIONNAIRE)
    data["sections"][1]["questions"][0]["visible_if"] = "has_job == 'yes'"
    assert ("sample", 1) in load_all(sample_tree.write(tmp_path, questionnaire=data), TYPES)


def _sample(tmp_path, **question_texts):
    english = copy.deepcopy(sample_tree.ENGLISH)
    for qid, texts in question_texts.items():
        english["questions"][qid].update(texts)
    return load_all(sample_tree.write(tmp_path, english=english), TYPES)[("sample", 1)]


def test_a_group_may_name_its_add_button_and_a_question_its_required_message(app, tmp_path):
    questionnaire = _sample(
        tmp_path, courses={"add": "Add a course"}, country={"required": "Choose your country."}
    )
    assert questionnaire.add_label(questionnaire.questions["courses"], "en").value == "Add a course"
    with app.test_request_context("/en/form/"):
        assert describe(Problem(("country",), "required"), questionnaire, "en") == (
            "Choose your country."
        )


def test_an_add_text_on_a_question_that_is_no_group_is_an_editor_error(tmp_path):
    english = copy.deepcopy(sample_tree.ENGLISH)
    english["questions"]["job"]["add"] = "Add a job"
    [error] = errors_for(tmp_path, english=english)
    assert error.code == "unknown-translation-key"


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (Problem(("has_job",), "required"), "Choose one answer."),
        (Problem(("job",), "required"), "Write your answer."),
        (Problem(("country",), "required"), "Choose one answer."),
        (
            Problem(("courses", 0, "start"), "too_small", {"limit": 1940}),
            f"Write a year from 1940 to {date.today().year}.",
        ),
        (
            Problem(("courses", 0, "end"), "not_a_year"),
            f"Write a year from 1940 to {date.today().year}.",
        ),
        (Problem(("job",), "too_long", {"limit": 100}), "Write at most 100 characters."),
        (Problem(("courses", 0, "end"), "custom", message_key="end_early"), "The end is "),
    ],
)
def test_default_messages_say_what_to_do_and_name_the_limits(app, tmp_path, problem, message):
    questionnaire = _sample(tmp_path)
    with app.test_request_context("/en/form/"), force_locale("en"):
        assert describe(problem, questionnaire, "en").startswith(message)


def _hidden(anchor: str, html: str) -> bool:
    found = re.search(rf'<div class="field[^"]*" id="{anchor}"[^>]*>', html)
    assert found, anchor
    return found[0].endswith(" hidden>")


def test_a_kept_page_hides_and_shows_follow_ups_by_the_answers(logged_in):
    """The section page is made once; whether a follow-up is hidden is filled per request."""
    page = logged_in.get("/en/form/licence").text
    assert _hidden("q-licence_categories", page)
    assert 'data-reveal-name="q.has_licence"' in page
    assert 'data-reveal-values="[&#34;yes&#34;]"' in page
    assert "licence_categories" not in re.search(r'name="shown" value="([^"]*)"', page)[1]
    post_section(logged_in, "en", "licence", {"q.has_licence": "yes"})
    page = logged_in.get("/en/form/licence").text
    assert not _hidden("q-licence_categories", page)
    assert "licence_categories" in re.search(r'name="shown" value="([^"]*)"', page)[1]
    post_section(logged_in, "en", "licence", {"q.has_licence": "no"})
    assert _hidden("q-licence_categories", logged_in.get("/en/form/licence").text)


def test_without_javascript_the_first_new_question_takes_the_focus(logged_in):
    response = post_section(logged_in, "en", "licence", {"q.has_licence": "yes"})
    assert "More questions appeared" in response.text
    assert re.findall(r"<input [^>]*autofocus[^>]*>", response.text) == [
        re.search(r'<input [^>]*id="q-licence_categories-1"[^>]*>', response.text)[0]
    ]


def test_removing_an_entry_says_which_one_and_focuses_the_group(logged_in):
    post_section(logged_in, "nb", "education", {"q.education.count": "0"}, "add:education")
    page = post_section(logged_in, "nb", "education", {"q.education.count": "1"}, "add:education")
    second = re.search(r'name="q\.education\.1\._id" value="([^"]+)"', page.text)[1]
    response = post_section(
        logged_in, "nb", "education", {"q.education.count": "2"}, f"remove:education:{second}"
    )
    assert 'role="status" data-announce' in response.text
    assert "Utdanning nr. 2 er fjernet" in response.text
    assert re.search(r'<legend id="q-education-title" tabindex="-1" autofocus>', response.text)
    assert "er fjernet" not in logged_in.get("/nb/form/education").text  # said once


@pytest.mark.parametrize("action", ["add:school_years", "remove:school_years:x", "add:", "remove"])
def test_an_add_or_remove_of_no_group_changes_nothing(logged_in, action):
    post_section(logged_in, "en", "education", {"q.school_years": "9"})
    response = post_section(logged_in, "en", "education", {"q.school_years": "9"}, action)
    assert response.status_code == 200
    assert 'value="9"' in response.text and "removed" not in response.text


def _pending_links(page: str) -> list[tuple[str, str]]:
    box = re.search(r'<div class="pending-summary".*?</div>', page, re.S)
    return re.findall(r'<a href="([^"]+)"><span[^>]*>([^<:]+)', box[0]) if box else []


def test_the_review_page_lists_each_question_still_to_answer_with_a_link_to_it(logged_in):
    page = logged_in.get("/en/form/review").text
    assert _pending_links(page) == [
        (
            "/en/kompass/form/personal#q-citizenship-input",
            "Which country are you a citizen of now?",
        ),
        ("/en/kompass/form/personal#q-mother_tongue-input", "What is your mother tongue?"),
    ]
    assert "<title>Error:" not in page and 'role="alert"' not in page
    post_section(logged_in, "en", "personal", {"q.mother_tongue": "ar"})
    assert [href for href, _ in _pending_links(logged_in.get("/en/form/review").text)] == [
        "/en/kompass/form/personal#q-citizenship-input"
    ]
