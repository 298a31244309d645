"""Changing one answer from the check-answers page, and coming back to it."""

import re

from tests.conftest import csrf_token, hidden
from tests.helpers import entry_ids, post_section, stored_answers


def change(client, question: str, answers: dict, entry: str | None = None, lang: str = "en"):
    """Post the one-question page as the browser would."""
    url = f"/{lang}/form/change/{question}" + (f"?entry={entry}" if entry else "")
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_token(page.text),
        "revision": hidden(page.text, "revision"),
        "shown": hidden(page.text, "shown"),
        "action": "next",
        **entry_ids(page.text),
        **answers,
    }
    return page, client.post(url, data=data)


def test_each_answer_has_its_own_change_link(logged_in):
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    review = logged_in.get("/en/form/review").text
    assert 'href="/en/kompass/form/change/citizenship"' in review
    assert 'href="/en/kompass/form/change/mother_tongue"' in review
    assert 'id="answer-citizenship"' in review


def test_the_change_page_shows_only_that_question_and_saving_returns_to_it(app, logged_in):
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    page, response = change(logged_in, "citizenship", {"q.citizenship": "ER"})
    assert 'name="q.citizenship"' in page.text and 'name="q.mother_tongue"' not in page.text
    assert "Save and go back to your answers" in page.text
    assert response.status_code == 302
    assert response.location.endswith("/en/kompass/form/review#answer-citizenship")
    assert stored_answers(app) == {"citizenship": "ER", "mother_tongue": "ar"}
    review = logged_in.get("/en/form/review").text
    assert re.search(r'id="answer-citizenship" tabindex="-1" autofocus', review)
    assert "autofocus" not in logged_in.get("/en/form/review").text  # once


def test_a_wrong_answer_stays_on_the_change_page_with_its_error(app, logged_in):
    post_section(logged_in, "en", "education", {"q.school_years": "9"})
    _, response = change(logged_in, "school_years", {"q.school_years": "forty"})
    assert response.status_code == 422
    assert "Write a number from 0 to 30." in response.text
    assert stored_answers(app)["school_years"] == 9


def test_a_change_that_reveals_follow_ups_asks_them_before_going_back(app, logged_in):
    post_section(logged_in, "en", "licence", {"q.has_licence": "no"})
    page, response = change(logged_in, "has_licence", {"q.has_licence": "yes"})
    assert 'name="q.driving_years"' in page.text  # hidden until revealed
    assert response.status_code == 200
    assert "More questions appeared" in response.text
    assert 'name="q.driving_years"' in response.text
    assert stored_answers(app)["has_licence"] == "yes"
    _, done = change(logged_in, "has_licence", {"q.has_licence": "yes", "q.driving_years": "3"})
    assert done.location.endswith("/form/review#answer-has_licence")
    assert stored_answers(app)["driving_years"] == 3


def test_one_entry_of_a_group_is_changed_from_its_own_link(app, logged_in):
    post_section(logged_in, "en", "education", {"q.education.count": "0"}, "add:education")
    post_section(logged_in, "en", "education", {"q.education.count": "1"}, "add:education")
    names = {"q.education.count": "2", "q.education.0.edu_name": "A"}
    post_section(logged_in, "en", "education", {**names, "q.education.1.edu_name": "B"})
    second = stored_answers(app)["education"][1]["_id"]
    review = logged_in.get("/en/form/review").text
    assert f'href="/en/kompass/form/change/education?entry={second}"' in review
    page, response = change(
        logged_in, "education", {**names, "q.education.1.edu_name": "C"}, entry=second
    )
    assert re.search(r'id="q-education-1-title"[^>]*autofocus', page.text)
    assert response.location.endswith(f"/form/review#answer-education-{second}")
    assert [e["edu_name"] for e in stored_answers(app)["education"]] == ["A", "C"]


def test_unknown_or_staff_only_questions_are_404(logged_in):
    assert logged_in.get("/en/form/change/nothing_like_this").status_code == 404
    assert logged_in.get("/en/form/change/counsellor_remarks").status_code == 404
    assert logged_in.get("/en/form/change/edu_name").status_code == 404  # inside a group
