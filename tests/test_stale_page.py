"""A page posted from an out-of-date tab: the newest answers stay, and what it typed is shown."""

import re

from tests.conftest import csrf_token, hidden
from tests.helpers import entry_ids, post_section, stored_answers

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def post_from(client, old_page: str, lang: str, section: str, answers: dict):
    """Post `old_page` (a page fetched earlier) as the browser would."""
    data = {
        "csrf_token": csrf_token(old_page),
        "revision": hidden(old_page, "revision"),
        "shown": hidden(old_page, "shown"),
        "action": "next",
        **entry_ids(old_page),
        **answers,
    }
    return client.post(f"/{lang}/form/{section}", data=data)


def not_saved_box(html: str) -> str:
    found = re.search(r'<section class="not-saved".*?</section>', html, re.S)
    assert found, "no box with what was typed"
    return found[0]


def textarea(html: str, name: str) -> str:
    pattern = rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>'
    return re.search(pattern, html, re.S)[1]


def test_what_a_stale_tab_typed_is_shown_and_the_newest_answers_are_kept(app, logged_in):
    old_tab = logged_in.get("/en/form/wishes").text
    post_section(logged_in, "en", "wishes", {"q.wished_work": "Carpenter", "q.goals": "Same"})
    typed = {"q.wished_work": "Nurse " + HOSTILE, "q.goals": "Same", "q.courses": "Welding"}
    response = post_from(logged_in, old_tab, "en", "wishes", typed)
    assert response.status_code == 200
    box = not_saved_box(response.text)
    assert "It was not saved" in box
    assert "Nurse &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x" in box
    assert "Welding" in box
    assert "Same" not in box  # the same as the newest answer: nothing to copy
    assert "<script>" not in response.text and "<img src=x" not in response.text
    assert textarea(response.text, "q.wished_work") == "Carpenter"  # the form shows the newest
    assert stored_answers(app) == {"wished_work": "Carpenter", "goals": "Same"}
    assert re.search(r'name="revision" value="2"', response.text)


def test_a_number_that_is_no_number_and_a_choice_are_shown_as_typed(app, logged_in):
    old_tab = logged_in.get("/en/form/personal").text
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    response = post_from(
        logged_in, old_tab, "en", "personal", {"q.citizenship": "ER", "q.mother_tongue": "ti"}
    )
    box = not_saved_box(response.text)
    assert "Eritrea" in box and "Tigrinya" in box and "Syria" not in box
    assert '<option value="SY" selected>' in response.text
    assert stored_answers(app) == {"citizenship": "SY", "mother_tongue": "ar"}

    old_tab = logged_in.get("/en/form/education").text
    post_section(logged_in, "en", "education", {"q.school_years": "12"})
    response = post_from(logged_in, old_tab, "en", "education", {"q.school_years": "twelve"})
    assert "twelve" in not_saved_box(response.text)
    assert stored_answers(app)["school_years"] == 12


def test_an_entry_typed_in_a_stale_tab_is_shown_with_its_question(app, logged_in):
    post_section(logged_in, "en", "education", {"q.education.count": "0"}, "add:education")
    old_tab = logged_in.get("/en/form/education").text
    post_section(logged_in, "en", "education", {"q.school_years": "9", "q.education.count": "1"})
    typed = {"q.education.count": "1", "q.education.0.edu_name": "Damascus " + HOSTILE}
    response = post_from(logged_in, old_tab, "en", "education", typed)
    box = not_saved_box(response.text)
    assert "Damascus &lt;script&gt;" in box and "<script>" not in response.text
    assert "edu_name" not in stored_answers(app)["education"][0]


def test_a_page_that_is_not_stale_shows_no_such_box(logged_in):
    response = post_section(logged_in, "en", "wishes", {"q.wished_work": "x" * 3000})
    assert 'class="not-saved"' not in response.text


def test_side_by_side_the_stale_box_names_each_question_in_both_languages(logged_in):
    logged_in.get("/ar/form/wishes?beside=nb")
    old_tab = logged_in.get("/ar/form/wishes").text
    post_section(logged_in, "ar", "wishes", {"q.wished_work": "Snekker"})
    response = post_from(logged_in, old_tab, "ar", "wishes", {"q.wished_work": "Sykepleier"})
    box = not_saved_box(response.text)
    assert re.search(r'<span class="t beside" lang="nb" dir="ltr">Dette skrev du', box)
    assert re.search(r'<span class="t" lang="ar" dir="rtl">', box)
    assert "Sykepleier" in box
    notice = re.search(r'<div class="notice".*?</div>\s*</div>', response.text, re.S)[0]
    assert 'lang="nb"' in notice and 'lang="ar"' in notice
