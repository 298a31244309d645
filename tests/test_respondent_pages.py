"""What the respondent's pages say and mark: errors, optional questions, languages, times."""

import re
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time

from renderers.html.bilingual import LRI, PDI, isolate_ltr
from tests.conftest import csrf_token, hidden
from tests.helpers import post_section


def test_an_unknown_page_under_a_language_answers_in_that_language(client):
    response = client.get("/ar/no-such-page")
    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in response.text
    assert "We could not find this page." not in response.text
    assert client.get("/nb/no/such/page").text.count("Vi fant ikke denne siden") == 1


def test_optional_questions_say_so_in_words_and_required_ones_have_no_asterisk(logged_in):
    personal = logged_in.get("/en/form/personal").text
    education = logged_in.get("/en/form/education").text
    assert "*" not in re.sub(r"<(script|style)[^>]*>.*?</\1>", "", personal + education, flags=re.S)
    citizenship = re.search(r'<label for="q-citizenship-input">(.*?)</label>', personal, re.S)
    assert "(optional)" not in citizenship[1]
    school_years = re.search(r'<label for="q-school_years-input">(.*?)</label>', education, re.S)
    assert "(optional)" in school_years[1]
    beside = logged_in.get("/en/form/education?beside=nb").text
    assert "(valgfritt)" in beside


def test_a_page_with_errors_says_so_in_its_title_and_focuses_the_summary(logged_in):
    response = post_section(logged_in, "ar", "personal", {})
    title = re.search(r"<title>(.*?)</title>", response.text)[1]
    assert title.startswith("خطأ:")
    summary = re.search(r'<div class="error-summary"[^>]*>', response.text)[0]
    assert "autofocus" in summary and 'tabindex="-1"' in summary
    links = re.findall(r'<li><a href="#([^"]+)">', response.text)
    assert links == ["q-citizenship-input", "q-mother_tongue-input"]
    assert not logged_in.get("/ar/form/personal").text.count("<title>خطأ:")


def test_each_input_of_a_group_carries_the_error(logged_in):
    post_section(logged_in, "en", "education", {"q.education.count": "0"}, "add:education")
    page = post_section(
        logged_in,
        "en",
        "education",
        {"q.education.count": "1", "q.education.0.edu_status": "bogus"},
    ).text
    anchor = "q-education-0-edu_status"
    radios = re.findall(rf'<input type="radio" id="{anchor}-\d+"[^>]*>', page)
    assert len(radios) == 3
    assert all(f'aria-describedby="{anchor}-error"' in radio for radio in radios)
    assert f'<li><a href="#{anchor}-1">' in page


def test_entry_headings_are_level_two_and_named_after_the_section(logged_in):
    page = post_section(logged_in, "nb", "education", {"q.education.count": "0"}, "add:education")
    heading = r'<h2 class="entry-title"[^>]*><span [^>]*>Utdanning nr\. 1</span></h2>'
    assert re.search(heading, page.text)
    assert "<h3" not in page.text and "Legg til en utdanning" in page.text


def test_an_empty_entry_is_called_empty_on_the_review_page(logged_in):
    post_section(logged_in, "fr", "education", {"q.education.count": "0"}, "add:education")
    review = logged_in.get("/fr/form/review").text
    empty = r'<li[^>]*><span class="empty"><span [^>]*>Rien n(&#39;|\')a été rempli</span></span>'
    assert re.search(empty, review)


def test_machine_translation_is_told_only_where_it_is_so(client):
    assert 'class="machine-notice"' in client.get("/ar/login").text
    assert 'class="machine-notice"' not in client.get("/nb/login").text


def test_side_by_side_the_notice_is_in_each_machine_made_language(logged_in):
    notice = re.compile(r'<div class="machine-notice[^"]*">(.*?)</div>', re.S)
    languages = re.compile(r'lang="([^"]+)"')
    for page, expected in (
        ("/nb/form/personal?beside=ar", ["ar"]),
        ("/ar/form/personal?beside=nb", ["ar"]),
        ("/ru/form/personal?beside=ti", ["ru", "ti"]),
        ("/nb/form/personal?beside=en", []),
    ):
        found = notice.search(logged_in.get(page).text)
        assert (languages.findall(found.group(1)) if found else []) == expected, page


def test_the_receipt_shows_norwegian_time_as_the_language_writes_dates(app, logged_in):
    from engine.responses.storage import Response

    post_section(logged_in, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    review = logged_in.get("/en/form/review").text
    logged_in.post(
        "/en/form/submit",
        data={"csrf_token": csrf_token(review), "revision": hidden(review, "revision")},
    )
    receipt = logged_in.get("/en/form/receipt").text
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        sent = session.query(Response).one().submitted_at
    day = format_date(sent.astimezone(ZoneInfo("Europe/Oslo")), "medium", locale="en")
    time = format_time(sent, "short", tzinfo=ZoneInfo("Europe/Oslo"), locale="en")
    assert f'<bdi dir="auto">{day}, {time}</bdi> (Norwegian time)' in receipt
    assert "UTC" not in receipt


def test_the_receipt_is_in_both_languages_when_a_second_is_shown(logged_in):
    post_section(logged_in, "ar", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    review = logged_in.get("/ar/form/review?beside=nb").text
    logged_in.post(
        "/ar/form/submit",
        data={"csrf_token": csrf_token(review), "revision": hidden(review, "revision")},
    )
    receipt = logged_in.get("/ar/form/receipt").text
    for norwegian in ("Takk", "Kvitteringsnummer", "Sendt"):
        assert re.search(rf'class="t beside" lang="nb" dir="ltr">[^<]*{norwegian}', receipt)
    assert receipt.count('<bdi dir="ltr">K-') == 2 and "</bdi> (norsk tid)</p>" in receipt


def test_the_duf_example_in_the_login_error_is_isolated_left_to_right(client):
    page = client.get("/ar/login").text
    response = client.post("/ar/login", data={"csrf_token": csrf_token(page), "duf": "12"})
    assert '<bdi dir="ltr">2020 0000 0000</bdi>' in response.text
    assert response.text.count("2020 0000 0000") == 2  # in the summary and at the field


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("حتى 125 cc)", f"حتى {LRI}125 cc{PDI})"),
        ("ISCED 6 أو", f"{LRI}ISCED 6{PDI} أو"),
        (
            '<a href="https://x.no/a b">رابط</a> 35 kW',
            f'<a href="https://x.no/a b">رابط</a> {LRI}35 kW{PDI}',
        ),
        ("A1 – دراجة", "A1 – دراجة"),
    ],
)
def test_latin_runs_in_right_to_left_text_are_isolated(text, expected):
    assert isolate_ltr(text, "rtl") == expected
    assert isolate_ltr(text, "ltr") == text
