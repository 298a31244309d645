"""Static files leave the session cookie alone, so one answered late cannot undo a choice."""

import re

from tests.helpers import log_in, make_code


def test_a_static_file_sets_no_session_cookie_a_page_does(client, runner):
    log_in(client, make_code(runner))
    font = client.get("/static/respondent/fonts/NotoSans-Latin-Regular.subset.woff2")
    assert font.status_code == 200 and "Set-Cookie" not in font.headers
    page = client.get("/en/form/personal?beside=ar")
    assert page.status_code == 200 and "session=" in page.headers.get("Set-Cookie", "")
    client.get("/static/respondent/kompass.css")
    assert 'lang="ar"' in client.get("/en/form/personal").text


def test_a_picture_or_a_clip_sets_no_session_cookie(client, runner):
    """A picture of the page before "Translate form", answered after it, keeps the choice."""
    log_in(client, make_code(runner))
    page = client.get("/en/form/education?beside=ar").text
    picture = re.search(r'<img src="(/images/[^"]+)"', page)[1]
    clip = re.search(r'<source src="(/audio/[^"]+)"', client.get("/en/form/personal").text)[1]
    for url in (picture, clip):
        answer = client.get(url)
        assert answer.status_code == 200 and "Set-Cookie" not in answer.headers, url
