"""Every staff route, called as every role, from the right and another municipality, anonymous
and inactive: the answer must be exactly the expected one."""

from datetime import date, timedelta

import pytest

from tests.staff_helpers import ACTORS, add_user, build_world, staff_login, token

ANONYMOUS = ("anon", "inactive")
LOGGED_IN = tuple(ACTORS)
SEARCHERS = ("bosetting", "vertskommune", "bosetting_other", "vertskommune_other")
ADMINS = ("systemadmin", "kommuneadmin", "kommuneadmin_other")
EXPORTERS = ("systemadmin", "analytiker", "kommuneadmin", "kommuneadmin_other")
ANALYSTS = ("systemadmin", "analytiker")
EDITORS = ("systemadmin", "innholdsredaktor")
NEW_USER = {
    "username": "made-by-test", "first_name": "Ny", "last_name": "Bruker", "email": "",
    "phone": "", "active": "1", "municipality": "4601",
}  # fmt: skip
EDITED_USER = {**NEW_USER, "username": "target-bergen"}
IN_A_MONTH = (date.today() + timedelta(days=30)).isoformat()
TOKEN_FORM = {"name": "Sakssystem", "scope": "mapping.read", "expires": IN_A_MONTH}


def allowed(statuses: dict, others: int = 403) -> dict:
    """Expected status per actor: `statuses` for some, `others` for the remaining logged-in."""
    return {actor: statuses.get(actor, others) for actor in LOGGED_IN}


def person_case(endpoint, method, path, ok_status, who, data=None):
    expected = allowed({actor: 404 for actor in SEARCHERS})
    expected.update({actor: ok_status for actor in who})
    return (endpoint, method, path, data or {}, expected)


def user_case(endpoint, method, path, statuses, data=None):
    expected = allowed({actor: 404 for actor in ADMINS})
    expected.update(statuses)
    return (endpoint, method, path, data or {}, expected)


CASES = [
    ("adminui.static", "GET", "/admin/static/admin.css", {}, allowed({}, others=200)),
    ("adminui.login", "GET", "/admin/login", {}, allowed({}, others=200)),
    ("adminui.home", "GET", "/admin/", {}, allowed({}, others=200)),
    ("adminui.password", "GET", "/admin/password", {}, allowed({}, others=200)),
    ("adminui.municipality", "GET", "/admin/kommuner", {}, allowed(dict.fromkeys(SEARCHERS, 200))),
    ("adminui.kompass_search", "GET", "/admin/kommuner/kompass", {},
     allowed(dict.fromkeys(SEARCHERS, 200))),
    ("adminui.overview_page", "GET", "/admin/kommuner/kompass/oversikt?state=no_code", {},
     allowed(dict.fromkeys(SEARCHERS, 200))),
    ("adminui.overview_download", "GET", "/admin/kommuner/kompass/oversikt.csv?residence=bosatt",
     {}, allowed(dict.fromkeys(SEARCHERS, 200))),
    ("adminui.overview_download", "GET", "/admin/kommuner/kompass/oversikt.xlsx?state=no_code",
     {}, allowed(dict.fromkeys(SEARCHERS, 200))),
    ("adminui.overview_page", "GET", "/admin/kommuner/kompass/oversikt?questionnaire=kompass", {},
     allowed(dict.fromkeys(SEARCHERS, 200))),
    ("adminui.overview_download", "GET",
     "/admin/kommuner/kompass/oversikt.csv?questionnaire=nope", {},
     allowed(dict.fromkeys(SEARCHERS, 404))),
    person_case("adminui.kompass_search_post", "POST", "/admin/kommuner/kompass/sok", 200,
                ["bosetting"], {"duf": "2020 0000 0000"}),
    person_case("adminui.kompass_search_post", "POST", "/admin/kommuner/kompass/sok", 200,
                ["vertskommune"], {"duf": "202100000017"}),
    person_case("adminui.kompass_confirm", "POST", "/admin/kommuner/kompass/bekreft", 302,
                ["bosetting"], {"person_id": "{settled_bergen}"}),
    person_case("adminui.person_page", "GET", "/admin/personer/{settled_bergen}", 200,
                ["bosetting"]),
    person_case("adminui.person_page", "GET", "/admin/personer/{mottak_bergen}", 200,
                ["vertskommune"]),
    person_case("adminui.person_page", "GET", "/admin/personer/{settled_oslo}", 200,
                ["bosetting_other"]),
    person_case("adminui.mapping", "GET", "/admin/personer/{settled_bergen}/kartlegging", 200,
                ["bosetting"]),
    person_case("adminui.mapping_pdf", "GET", "/admin/personer/{settled_bergen}/kartlegging.pdf",
                200, ["bosetting"]),
    person_case("adminui.mapping", "GET",
                "/admin/personer/{settled_bergen}/kartlegging?questionnaire=nope", 404, []),
    person_case("adminui.mapping_pdf", "GET",
                "/admin/personer/{settled_bergen}/kartlegging.pdf?questionnaire=nope", 404, []),
    person_case("adminui.mapping_cv", "GET",
                "/admin/personer/{settled_bergen}/cv.pdf?questionnaire=nope", 404, []),
    # No mapping is started in this world, so there is no CV to print (tests/test_pdf.py has one).
    person_case("adminui.mapping_cv", "GET", "/admin/personer/{settled_bergen}/cv.pdf", 404,
                ["bosetting"]),
    person_case("adminui.make_code", "POST", "/admin/personer/{settled_bergen}/koder", 200,
                ["bosetting"]),
    person_case("adminui.print_slip", "POST", "/admin/personer/{settled_bergen}/skriv-ut", 409,
                ["bosetting"], {"code": "AAAAAA", "slip_lang": "ar"}),
    person_case("adminui.start_interview", "POST", "/admin/personer/{settled_bergen}/intervju",
                302, ["bosetting"], {"lang": "en", "beside": "nb"}),
    person_case("adminui.reopen_mapping", "POST", "/admin/personer/{settled_bergen}/gjenapne",
                409, ["bosetting"], {"reason": "Feil i utdanning", "revision": "1"}),
    person_case("adminui.verify_section", "POST",
                "/admin/personer/{settled_bergen}/kartlegging/verifiser", 409, ["bosetting"],
                {"section": "personal", "state": "gone_through"}),
    ("adminui.users", "GET", "/admin/brukere", {}, allowed(dict.fromkeys(ADMINS, 200))),
    ("adminui.new_user", "GET", "/admin/brukere/ny", {}, allowed(dict.fromkeys(ADMINS, 200))),
    ("adminui.new_user", "POST", "/admin/brukere/ny", NEW_USER,
     allowed(dict.fromkeys(ADMINS, 200))),
    user_case("adminui.edit_user", "GET", "/admin/brukere/{user_bergen}",
              {"systemadmin": 200, "kommuneadmin": 200}),
    user_case("adminui.edit_user", "GET", "/admin/brukere/{user_oslo}",
              {"systemadmin": 200, "kommuneadmin_other": 200}),
    user_case("adminui.edit_user", "GET", "/admin/brukere/{national_user}", {"systemadmin": 200}),
    user_case("adminui.edit_user", "POST", "/admin/brukere/{user_bergen}",
              {"systemadmin": 302, "kommuneadmin": 302}, EDITED_USER),
    user_case("adminui.add_role", "POST", "/admin/brukere/{user_bergen}/roller",
              {"systemadmin": 302, "kommuneadmin": 302}, {"role": "vertskommune"}),
    user_case("adminui.add_role", "POST", "/admin/brukere/{user_bergen}/roller",
              {"systemadmin": 302, "kommuneadmin": 403}, {"role": "systemadmin"}),
    user_case("adminui.remove_role", "POST", "/admin/brukere/{user_bergen}/roller/fjern",
              {"systemadmin": 302, "kommuneadmin": 302}, {"role": "bosetting"}),
    user_case("adminui.reset_password", "POST", "/admin/brukere/{user_bergen}/nytt-passord",
              {"systemadmin": 200, "kommuneadmin": 200}),
    user_case("adminui.reset_second_factor", "POST",
              "/admin/brukere/{user_bergen}/tofaktor/nullstill",
              {"systemadmin": 302, "kommuneadmin": 403}, {"confirm": "yes"}),
    user_case("adminui.reset_second_factor", "POST",
              "/admin/brukere/{national_user}/tofaktor/nullstill", {"systemadmin": 302},
              {"confirm": "yes"}),
    # Nobody here is between password and code, so the code page sends everyone to log in.
    ("adminui.login_code", "GET", "/admin/login/kode", {}, allowed({}, others=302)),
    ("adminui.login_code", "POST", "/admin/login/kode", {"code": "000000"},
     allowed({}, others=302)),
    ("adminui.second_factor", "GET", "/admin/tofaktor", {}, allowed({}, others=200)),
    # A wrong code is refused for the not enrolled; the enrolled see their page.
    ("adminui.second_factor", "POST", "/admin/tofaktor", {"code": "000000"},
     allowed(dict.fromkeys(ADMINS, 200), others=422)),
    ("adminui.new_recovery_codes", "POST", "/admin/tofaktor/gjenopprettingskoder",
     {"code": "000000"}, allowed(dict.fromkeys(ADMINS, 422), others=302)),
    ("adminui.disable_second_factor", "POST", "/admin/tofaktor/av", {"code": "000000"},
     allowed(dict.fromkeys(ADMINS, 403), others=302)),
    ("adminui.audit_log", "GET", "/admin/logg", {}, allowed(dict.fromkeys(ADMINS, 200))),
    ("adminui.audit_log", "POST", "/admin/logg", {"action": "person.view"},
     allowed(dict.fromkeys(ADMINS, 200))),
    ("adminui.audit_download", "POST", "/admin/logg.csv", {"action": "person.view"},
     allowed(dict.fromkeys(ADMINS, 200))),
    ("adminui.audit_download", "POST", "/admin/logg.xlsx", {"since": "2025-01-01"},
     allowed(dict.fromkeys(ADMINS, 200))),
    ("adminui.export_form", "GET", "/admin/eksport", {}, allowed(dict.fromkeys(EXPORTERS, 200))),
    ("adminui.export_download", "POST", "/admin/eksport", {"format": "csv"},
     allowed(dict.fromkeys(EXPORTERS, 200))),
    ("adminui.export_download", "POST", "/admin/eksport", {"format": "csv", "identifiable": "1"},
     allowed({"systemadmin": 200, "analytiker": 403, "kommuneadmin": 403,
              "kommuneadmin_other": 403})),
    ("adminui.export_form", "GET", "/admin/eksport?questionnaire=nope", {},
     allowed(dict.fromkeys(EXPORTERS, 404))),
    ("adminui.export_download", "POST", "/admin/eksport",
     {"format": "csv", "questionnaire": "nope"}, allowed(dict.fromkeys(EXPORTERS, 404))),
    ("adminui.statistics_page", "GET", "/admin/statistikk?municipality=4601&year=2025", {},
     allowed(dict.fromkeys(ANALYSTS, 200))),
    ("adminui.statistics_download", "GET", "/admin/statistikk/education_level.csv", {},
     allowed(dict.fromkeys(ANALYSTS, 200))),
    ("adminui.statistics_download", "GET", "/admin/statistikk/state.xlsx?year=2025", {},
     allowed(dict.fromkeys(ANALYSTS, 200))),
    ("adminui.statistics_page", "GET", "/admin/statistikk?questionnaire=nope", {},
     allowed(dict.fromkeys(ANALYSTS, 404))),
    ("adminui.statistics_download", "GET", "/admin/statistikk/state.csv?questionnaire=nope", {},
     allowed(dict.fromkeys(ANALYSTS, 404))),
    ("adminui.content_page", "GET", "/admin/innhold", {}, allowed(dict.fromkeys(EDITORS, 200))),
    ("adminui.content_page", "GET", "/admin/innhold?questionnaire=nope", {},
     allowed(dict.fromkeys(EDITORS, 404))),
    ("adminui.content_version", "GET", "/admin/innhold/kompass/1", {},
     allowed(dict.fromkeys(EDITORS, 200))),
    ("adminui.content_preview", "GET", "/admin/innhold/kompass/1/forhandsvisning?lang=nb&beside=ar",
     {}, allowed(dict.fromkeys(EDITORS, 200))),
    ("adminui.content_diff", "GET", "/admin/innhold/kompass/endringer?fra=1&til=1", {},
     allowed(dict.fromkeys(EDITORS, 200))),
    # Version 1 is published in this world: an editor is told so, everyone else refused.
    ("adminui.content_publish", "POST", "/admin/innhold/kompass/1/publiser", {"confirm": "yes"},
     allowed(dict.fromkeys(EDITORS, 409))),
    ("adminui.content_audio_upload", "POST", "/admin/innhold/kompass/1/lyd",
     {"lang": "nb", "text": "title"}, allowed(dict.fromkeys(EDITORS, 409))),
    ("adminui.erasure_form", "GET", "/admin/sletting", {}, allowed({"systemadmin": 200})),
    ("adminui.erasure_check", "POST", "/admin/sletting", {"duf": "201900000123"},
     allowed({"systemadmin": 200})),
    # Erases the Oslo person for real, so it comes after every case that uses them.
    ("adminui.erasure_confirm", "POST", "/admin/sletting/slett", {"person_id": "{settled_oslo}"},
     allowed({"systemadmin": 200})),
    ("api_tokens.tokens_page", "GET", "/admin/api-nokler", {}, allowed({}, others=200)),
    # A scope the role does not give is a form error; no scope at all for a content editor.
    ("api_tokens.make_token", "POST", "/admin/api-nokler", TOKEN_FORM,
     allowed({**dict.fromkeys(SEARCHERS, 200), "innholdsredaktor": 403}, others=422)),
    ("api_tokens.make_token", "POST", "/admin/api-nokler", {**TOKEN_FORM, "scope": "feed.read"},
     allowed({**dict.fromkeys(EXPORTERS, 200), "innholdsredaktor": 403}, others=422)),
    # Nobody's token: the same answer as another user's (tests/test_api_tokens_ui.py).
    ("api_tokens.revoke_token", "POST", "/admin/api-nokler/999999/trekk-tilbake", {},
     allowed({}, others=404)),
    ("adminui.language", "POST", "/admin/language", {"locale": "en"}, allowed({}, others=302)),
    ("adminui.logout", "POST", "/admin/logout", {}, allowed({}, others=302)),
]  # fmt: skip
OPEN_TO_ANONYMOUS = {"adminui.static": 200, "adminui.login": 200, "adminui.language": 302,
                     "adminui.logout": 302, "adminui.login_code": 302}  # fmt: skip


def expected_status(case, actor: str) -> int:
    endpoint, method, _path, _data, by_actor = case
    if actor in ANONYMOUS:
        return OPEN_TO_ANONYMOUS.get(endpoint, 302 if method == "GET" else 401)
    return by_actor[actor]


def test_every_staff_route_is_in_the_matrix(app):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")
    }
    assert endpoints == {case[0] for case in CASES}


@pytest.mark.parametrize("actor", LOGGED_IN + ANONYMOUS)
def test_permission_matrix(app, actor):
    world = build_world(app)
    client = app.test_client()
    if actor != "anon":
        staff_login(client, world.actors[actor])
    ids = vars(world)
    answers = {}
    for case in CASES:
        endpoint, method, path, data, _ = case
        url = path.format(**ids)
        form = {key: value.format(**ids) for key, value in data.items()}
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token(client), **form})
        answers[(endpoint, url, str(form))] = (response.status_code, expected_status(case, actor))
    wrong = {key: got for key, got in answers.items() if got[0] != got[1]}
    assert not wrong, f"(got, expected) for {actor}: {wrong}"


# What an administrator without a second factor still reaches; everything else sends them to
# the enrolment page.
BEFORE_ENROLMENT = {
    ("adminui.static", "GET"): 200, ("adminui.login", "GET"): 200,
    ("adminui.login_code", "GET"): 302, ("adminui.login_code", "POST"): 302,
    ("adminui.password", "GET"): 200, ("adminui.second_factor", "GET"): 200,
    ("adminui.second_factor", "POST"): 422, ("adminui.language", "POST"): 302,
    ("adminui.logout", "POST"): 302,
}  # fmt: skip


ADMIN_ROLES = [("systemadmin", None), ("kommuneadmin", "4601")]


@pytest.mark.parametrize(("role", "municipality"), ADMIN_ROLES)
def test_an_administrator_without_a_second_factor_can_only_enrol(app, role, municipality):
    world = build_world(app)
    add_user(app, "bare-admin", [role], municipality, enrolled=False)
    client = app.test_client()
    staff_login(client, "bare-admin")
    wrong = {}
    for endpoint, method, path, data, _ in CASES:
        url = path.format(**vars(world))
        if method == "GET":
            response = client.get(url)
        else:
            form = {key: value.format(**vars(world)) for key, value in data.items()}
            response = client.post(url, data={"csrf_token": token(client), **form})
        expected = BEFORE_ENROLMENT.get((endpoint, method))
        if expected is None and not (
            response.status_code == 302 and response.location.endswith("/admin/tofaktor")
        ):
            wrong[(endpoint, url)] = (response.status_code, response.location)
        elif expected is not None and response.status_code != expected:
            wrong[(endpoint, url)] = (response.status_code, expected)
    assert not wrong, wrong


@pytest.mark.parametrize("actor", ["systemadmin", "bosetting"])
def test_csrf_is_enforced_on_every_staff_form(app, actor):
    world = build_world(app)
    client = app.test_client()
    staff_login(client, world.actors[actor])
    for endpoint, method, path, data, _ in CASES:
        if method == "POST":
            response = client.post(path.format(**vars(world)), data=data)
            assert response.status_code == 400, endpoint
