"""The check-answers page from kept markup: the page rendered in full, with each respondent's own
answers, revision and token, never a page kept for other answers, languages or staff sections."""

import re

from sqlalchemy import text

from renderers.html import review_cache
from tests.conftest import csrf_token, hidden
from tests.helpers import add_person, log_in, make_code, post_section
from tests.test_audit_gaps import interview
from tests.test_page_caches import STEPS, _masked

REVIEW = "/en/form/review"


def _rendered_in_full(monkeypatch):
    """Every review page rendered through the template, nothing kept."""

    def full(questionnaire, where, answers, frame, body, filling):
        return review_cache.in_full(frame, body(), filling.revision, filling.focused)

    monkeypatch.setattr(review_cache, "page", full)


def _respondent(app, duf: str):
    client = app.test_client()
    log_in(client, make_code(app.test_cli_runner(), duf), duf)
    return client


def test_a_kept_review_page_is_the_page_rendered_in_full(logged_in, monkeypatch):
    urls = [
        f"/{lang}/form/review?beside={beside}"
        for lang, beside in (("en", ""), ("ar", "nb"), ("ti", "en"))
    ]
    kept, full = [], []
    for section, answers, *action in STEPS:
        post_section(logged_in, "en", section, answers, *(action or ["save"]))
        kept += [_masked(logged_in.get(url).text) for url in urls + urls]
        with monkeypatch.context() as patched:
            _rendered_in_full(patched)
            full += [_masked(logged_in.get(url).text) for url in urls + urls]
    assert kept == full
    assert "&lt;b&gt;&amp;" in kept[-6] and "Syria" in kept[-6]  # the last answers, in English


def test_each_respondent_sees_their_own_answers_token_and_revision(app):
    pages = {}
    for duf, country, saves in (("202000000001", "SY", 1), ("202000000002", "ER", 2)):
        client = _respondent(app, duf)
        for _ in range(saves):
            post_section(client, "en", "personal", {"q.citizenship": country}, "save")
        pages[country] = client.get(REVIEW).text
    assert "Syria" in pages["SY"] and "Eritrea" not in pages["SY"]
    assert "Eritrea" in pages["ER"] and "Syria" not in pages["ER"]
    assert csrf_token(pages["SY"]) != csrf_token(pages["ER"])
    assert (hidden(pages["SY"], "revision"), hidden(pages["ER"], "revision")) == ("2", "3")


def test_respondents_with_the_same_answers_get_their_own_token(app):
    pages = []
    for duf in ("202000000001", "202000000002"):
        client = _respondent(app, duf)
        post_section(client, "en", "personal", {"q.citizenship": "SY"}, "save")
        pages.append(client.get(REVIEW).text)
    assert _masked(pages[0]) == _masked(pages[1])  # one kept page
    tokens = [set(re.findall(r'name="csrf_token" value="([^"]+)"', page)) for page in pages]
    assert len(tokens[0]) == len(tokens[1]) == 1 and tokens[0] != tokens[1]  # both forms


def test_the_same_answers_at_a_new_revision_show_the_new_revision(logged_in):
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY"}, "save")
    first = logged_in.get(REVIEW).text
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY"}, "save")
    second = logged_in.get(REVIEW).text
    assert int(hidden(second, "revision")) == int(hidden(first, "revision")) + 1
    assert _masked(first).replace('"2"', '"3"') == _masked(second)


def test_answers_changed_without_a_new_revision_are_never_shown_from_the_old_page(app, logged_in):
    """As after a restored backup, or an id a database gives again: the answers key the page."""
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY"}, "save")
    assert "Syria" in logged_in.get(REVIEW).text
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        session.execute(text("""UPDATE responses SET answers = '{"citizenship": "ER"}'"""))
        session.commit()
    page = logged_in.get(REVIEW).text
    assert "Eritrea" in page and "Syria" not in page


def test_a_counsellor_sees_the_staff_sections_of_the_same_answers(app, client):
    person = add_person(app)
    respondent = _respondent(app, "202000000000")
    post_section(respondent, "en", "personal", {"q.citizenship": "SY"}, "save")
    assert "s assessment</span></h2>" not in respondent.get(REVIEW).text
    interview(app, client, person)
    page = client.get(REVIEW).text
    assert "s assessment</span></h2>" in page and "Syria" in page


def test_the_changed_answer_takes_the_focus_once(logged_in):
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY"}, "save")
    logged_in.get(REVIEW)
    page = logged_in.get("/en/form/change/citizenship").text
    data = {"csrf_token": csrf_token(page), "revision": hidden(page, "revision"),
            "shown": hidden(page, "shown"), "action": "next", "q.citizenship": "ER"}  # fmt: skip
    logged_in.post("/en/form/change/citizenship", data=data)
    focused = logged_in.get(REVIEW).text
    assert re.findall(r'id="([^"]+)" tabindex="-1" autofocus', focused) == ["answer-citizenship"]
    assert "autofocus" not in logged_in.get(REVIEW).text
