"""The respondent's pages through Flask's test client: every Next saves, nothing is lost."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_token, hidden
from tests.helpers import error_messages, log_in, make_code, post_section, stored_answers


def test_start_page_names_each_language_in_itself(client):
    page = client.get("/").text
    for name in ("Norsk bokmål", "العربية", "ትግርኛ", "English", "Türkçe", "Soomaali"):
        assert name in page
    assert 'lang="ar" dir="rtl"' in page and 'lang="ti" dir="ltr"' in page


def test_the_form_needs_a_login(client):
    response = client.get("/ar/form/personal")
    assert response.status_code == 302 and response.location.endswith("/ar/login")


def test_login_page_uses_the_seed_wording_in_norwegian(client):
    page = client.get("/nb/login").text
    for text in ("Logg deg inn", "DUF-nummer", "Koden din", "Logg inn i skjemaet", "Tilbake"):
        assert text in page
    assert "asylsøkerbeviset" in page


def test_right_to_left_pages(logged_in):
    page = logged_in.get("/ar/form/personal").text
    assert '<html lang="ar" dir="rtl">' in page


def test_next_saves_a_draft_and_moves_on(app, logged_in):
    response = post_section(
        logged_in, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"}
    )
    assert response.status_code == 302 and response.location.endswith("/en/kompass/form/education")
    assert stored_answers(app) == {"citizenship": "SY", "mother_tongue": "ar"}


def test_errors_are_listed_at_the_top_and_at_the_field_and_valid_answers_kept(app, logged_in):
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    response = post_section(logged_in, "en", "education", {"q.school_years": "twelve"})
    assert response.status_code == 422
    assert "error-summary" in response.text
    assert error_messages(response.text) == ["Write a number from 0 to 30."]
    assert 'value="twelve"' in response.text
    assert stored_answers(app)["citizenship"] == "SY"


def test_required_answers_block_next(logged_in):
    response = post_section(logged_in, "en", "personal", {"q.citizenship": "SY"})
    assert response.status_code == 422
    assert "Choose one answer." in error_messages(response.text)


def test_back_saves_and_goes_back(app, logged_in):
    response = post_section(logged_in, "en", "education", {"q.school_years": "9"}, action="back")
    assert response.location.endswith("/en/kompass/form/personal")
    assert stored_answers(app) == {"school_years": 9}


def test_entries_can_be_added_and_removed_and_keep_their_ids(app, logged_in):
    page = post_section(logged_in, "en", "education", {"q.education.count": "0"}, "add:education")
    assert "Education 1</span></h2>" in page.text and 'name="q.education.0.edu_name"' in page.text
    post_section(
        logged_in,
        "en",
        "education",
        {"q.education.count": "1", "q.education.0.edu_name": "Nursing"},
        "add:education",
    )
    first, second = stored_answers(app)["education"]
    assert first["edu_name"] == "Nursing" and "edu_name" not in second
    assert first["_id"] != second["_id"]
    post_section(
        logged_in,
        "en",
        "education",
        {"q.education.count": "2", "q.education.1.edu_name": "Welding"},
        f"remove:education:{first['_id']}",
    )
    assert stored_answers(app)["education"] == [{"_id": second["_id"], "edu_name": "Welding"}]


def test_posted_entries_are_matched_by_id_not_position(app, logged_in):
    post_section(logged_in, "en", "education", {"q.education.count": "0"}, "add:education")
    post_section(logged_in, "en", "education", {"q.education.count": "1"}, "add:education")
    first, second = stored_answers(app)["education"]
    page = logged_in.get("/en/form/education")
    swapped = {
        "csrf_token": csrf_token(page.text), "revision": hidden(page.text, "revision"),
        "shown": hidden(page.text, "shown"), "action": "next", "q.education.count": "2",
        "q.education.0._id": second["_id"], "q.education.0.edu_name": "Second",
        "q.education.1._id": first["_id"], "q.education.1.edu_name": "First",
    }  # fmt: skip
    logged_in.post("/en/form/education", data=swapped)
    by_id = {e["_id"]: e.get("edu_name") for e in stored_answers(app)["education"]}
    assert by_id == {first["_id"]: "First", second["_id"]: "Second"}


def test_cross_field_rule_message_comes_from_the_questionnaire(logged_in):
    post_section(logged_in, "en", "education", {"q.education.count": "0"}, "add:education")
    finished = {"q.education.count": "1", "q.education.0.edu_status": "completed"}
    post_section(logged_in, "en", "education", finished)  # shows the year it ended
    response = post_section(
        logged_in,
        "en",
        "education",
        {
            "q.education.count": "1",
            "q.education.0.edu_status": "completed",
            "q.education.0.edu_start_year": "2015",
            "q.education.0.edu_end_year": "2010",
        },
    )
    assert response.status_code == 422
    expected = "The year you stopped cannot be before the year you started."
    assert expected in error_messages(response.text)


def test_a_question_revealed_by_an_answer_is_shown_before_moving_on(logged_in):
    hidden_now = post_section(logged_in, "en", "licence", {"q.has_licence": "no"})
    assert hidden_now.status_code == 302
    assert is_hidden("q-licence_categories", logged_in.get("/en/form/licence").text)
    response = post_section(logged_in, "en", "licence", {"q.has_licence": "yes"})
    assert response.status_code == 200
    assert 'name="q.licence_categories"' in response.text
    assert not is_hidden("q-licence_categories", response.text)
    assert "More questions appeared" in response.text


def is_hidden(anchor: str, html: str) -> bool:
    """Whether the question `anchor` is in the page only hidden (a follow-up not shown yet)."""
    found = re.search(rf'<div class="field[^"]*" id="{anchor}"[^>]*>', html)
    assert found, anchor
    return re.search(r"\shidden>$", found[0]) is not None


def test_a_stale_tab_cannot_overwrite_newer_answers(app, logged_in):
    old_tab = logged_in.get("/en/form/personal").text
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    response = logged_in.post(
        "/en/form/personal",
        data={
            "csrf_token": csrf_token(old_tab),
            "revision": hidden(old_tab, "revision"),
            "shown": hidden(old_tab, "shown"),
            "q.citizenship": "ER",
            "q.mother_tongue": "ti",
            "action": "next",
        },
    )
    assert "changed in another window" in response.text
    assert stored_answers(app) == {"citizenship": "SY", "mother_tongue": "ar"}


def test_switching_language_keeps_the_answers(logged_in):
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    page = logged_in.get("/ti/form/personal").text
    assert '<option value="SY" selected>' in page
    assert '<html lang="ti" dir="ltr">' in page


def test_translate_form_shows_a_second_language_with_its_own_lang_and_dir(logged_in):
    page = logged_in.get("/ar/form/personal?beside=nb").text
    assert re.search(r'<span class="t" lang="ar" dir="rtl">[^<]+</span>', page)
    assert re.search(r'<span class="t beside" lang="nb" dir="ltr">[^<]+</span>', page)
    assert 'class="t beside"' in logged_in.get("/ar/form/education").text
    assert 'class="t beside"' not in logged_in.get("/ar/form/education?beside=").text


def test_staff_only_section_is_never_shown(logged_in):
    assert logged_in.get("/en/form/assessment").status_code == 404
    page = logged_in.get("/en/form/wishes").text
    assert "assessment" not in page
    response = post_section(
        logged_in, "en", "wishes", {"q.counsellor_remarks": "x", "q.goals": "Work"}
    )
    assert response.status_code == 302


def test_review_submit_and_receipt(app, logged_in):
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    review = logged_in.get("/en/form/review")
    assert "Syria" in review.text and 'href="/en/kompass/form/education"' in review.text
    response = logged_in.post(
        "/en/form/submit",
        data={"csrf_token": csrf_token(review.text), "revision": hidden(review.text, "revision")},
    )
    assert response.location.endswith("/en/kompass/form/receipt")
    receipt = logged_in.get("/en/form/receipt").text
    assert "Your answers have been sent" in receipt and re.search(r"K-\d{6}", receipt)
    assert logged_in.get("/en/form/personal").status_code == 302


def test_submitting_with_missing_answers_points_to_the_sections(logged_in):
    review = logged_in.get("/en/form/review")
    response = logged_in.post(
        "/en/form/submit",
        data={"csrf_token": csrf_token(review.text), "revision": hidden(review.text, "revision")},
    )
    assert response.status_code == 422
    assert "Some answers are missing" in response.text


def test_the_code_cannot_be_used_after_submission(client, runner):
    code = make_code(runner)
    log_in(client, code)
    post_section(client, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    review = client.get("/en/form/review").text
    client.post(
        "/en/form/submit",
        data={"csrf_token": csrf_token(review), "revision": hidden(review, "revision")},
    )
    again = log_in(client, code)
    assert again.status_code == 200 and "already been sent" in again.text


def test_posts_without_csrf_token_are_refused_kindly(logged_in):
    response = logged_in.post("/en/form/personal", data={"q.citizenship": "SY"})
    assert response.status_code == 400
    assert "saved answers are kept" in response.text


def test_ui_strings_are_translated(logged_in):
    assert "Neste" in logged_in.get("/nb/form/personal").text


def test_unknown_language_and_section_are_404(logged_in):
    assert logged_in.get("/xx/form/personal").status_code == 404
    assert logged_in.get("/en/form/nothing").status_code == 404


@given(
    st.dictionaries(
        st.sampled_from(
            [
                "q.citizenship",
                "q.school_years",
                "q.education.count",
                "q.education.0.edu_start_year",
                "q.scripts",
                "q.norwegian_level.read",
                "revision",
                "action",
                "shown",
                "q.x",
            ]
        ),
        st.text(max_size=12),
    ),
    st.sampled_from(["personal", "education", "language"]),
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_junk_posts_never_cause_a_server_error(logged_in, junk, section):
    page = logged_in.get(f"/en/form/{section}").text
    data = {"csrf_token": csrf_token(page), **junk}
    assert logged_in.post(f"/en/form/{section}", data=data).status_code < 500
