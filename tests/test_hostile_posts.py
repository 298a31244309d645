"""Hostile form posts to the respondent's pages: never a 500, never lost answers."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.responses.storage import Response
from tests.conftest import csrf_token, hidden
from tests.helpers import post_section


def stored(app) -> dict:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return session.query(Response).one().answers


HOSTILE = {
    "NUL bytes": {"q.school_years": "1\x002", "q.education.count": "1",
                  "q.education.0.edu_name": "Sykepleie\x00\x00"},
    "unicode digits": {"q.school_years": "١٢", "q.education.count": "٣"},
    "counts past any column": {"q.education.count": "9" * 40},
    "negative count": {"q.education.count": "-5"},
    "an entry id past the column": {"q.education.count": "1", "q.education.0._id": "f" * 5000},
    "a huge text": {"q.education.count": "1", "q.education.0.edu_name": "x" * 200_000},
}  # fmt: skip
WISHES = {
    "NUL bytes in free text": {"q.wished_work": "Sykepleier\x00", "q.goals": "\x00\x00"},
    "terminal controls in free text": {"q.wished_work": "a\x1b[31mb\x07", "q.goals": "\x7f"},
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_posts_never_fail_and_keep_what_was_saved(app, logged_in, case):
    post_section(logged_in, "en", "personal", {"q.citizenship": "SY", "q.mother_tongue": "ar"})
    response = post_section(logged_in, "en", "education", HOSTILE[case])
    assert response.status_code in (200, 302, 400, 422)
    answers = stored(app)
    assert (answers["citizenship"], answers["mother_tongue"]) == ("SY", "ar")
    assert "\x00" not in str(answers)


@pytest.mark.parametrize("case", sorted(WISHES))
def test_control_characters_never_reach_the_database(app, logged_in, case):
    response = post_section(logged_in, "en", "wishes", WISHES[case])
    assert response.status_code in (200, 302, 400, 422)
    answers = stored(app)
    assert not any(ord(c) < 32 or ord(c) == 127 for c in "".join(map(str, answers.values())))
    if response.status_code != 400:
        assert answers["wished_work"] == "a[31mb"


@pytest.mark.parametrize(
    "action",
    ["remove:education:" + "9" * 50, "remove:education", "add:nonexistent", "add:", "remove:::"],
)
def test_odd_entry_actions_are_ignored(logged_in, action):
    response = post_section(logged_in, "en", "education", {"q.education.count": "0"}, action)
    assert response.status_code in (200, 302)


def test_a_revision_past_any_integer_is_a_stale_page_not_an_error(logged_in):
    page = logged_in.get("/en/form/personal")
    data = {"csrf_token": csrf_token(page.text), "revision": "9" * 40,
            "shown": hidden(page.text, "shown"), "q.citizenship": "SY"}  # fmt: skip
    response = logged_in.post("/en/form/personal", data=data)
    assert response.status_code == 200 and "another window" in response.text


@given(st.dictionaries(st.sampled_from(["q.school_years", "q.education.count",
                                        "q.education.0.edu_name", "q.education.0._id",
                                        "q.education.0.edu_start_year", "action"]),
                       st.text(max_size=50), max_size=6))  # fmt: skip
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_text_in_any_field_gets_an_answer_not_a_crash(logged_in, fields):
    response = post_section(logged_in, "en", "education", fields)
    assert response.status_code in (200, 302, 400, 422)


def test_a_huge_body_is_refused_before_it_is_read(logged_in):
    page = logged_in.get("/en/form/personal")
    data = {"csrf_token": csrf_token(page.text), "revision": hidden(page.text, "revision"),
            "shown": hidden(page.text, "shown"), "q.citizenship": "S" * 3_000_000}  # fmt: skip
    assert logged_in.post("/en/form/personal", data=data).status_code == 413


def test_a_nul_byte_in_any_staff_form_is_refused_not_stored(app):
    from tests.staff_helpers import add_user, staff_login, token

    add_user(app, "admin", ["kommuneadmin"], "4601")
    client = app.test_client()
    staff_login(client, "admin")
    form = {"csrf_token": token(client), "username": "ny\x00bruker", "first_name": "A\x00",
            "last_name": "B", "email": "", "phone": "", "active": "1",
            "municipality": "4601"}  # fmt: skip
    assert client.post("/admin/brukere/ny", data=form).status_code == 400
    assert client.get("/admin/brukere").status_code == 200


def test_ids_past_the_column_are_not_found_not_errors(app):
    from tests.staff_helpers import add_user, staff_login, token

    add_user(app, "admin", ["kommuneadmin", "bosetting"], "4601")
    client = app.test_client()
    staff_login(client, "admin")
    huge = "9" * 30
    for path in (f"/admin/personer/{huge}", f"/admin/brukere/{huge}", f"/admin/personer/{2**31}"):
        assert client.get(path).status_code == 404, path
    data = {"csrf_token": token(client), "person_id": huge}
    assert client.post("/admin/kommuner/kompass/bekreft", data=data).status_code == 404
