"""Single sign-on for staff against a real OpenID Connect provider on loopback: the code flow with
PKCE, the second factor from acr/amr or Kompass's own code, sign-out at both ends, and every
refusal (wrong issuer, replayed code, wrong nonce, expired token, unknown user) with a clear
message and an audit row."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from auth.oidc import flow, id_token
from auth.oidc.settings import DEFAULTS, OidcSettings, SettingsError
from auth.staff.models import AuditEvent, User
from tests.conftest import csrf_token, serving
from tests.oidc_helpers import (
    CALLBACK,
    LOGIN_PAGE,
    Browser,
    link_user,
    path_of,
    register_client,
    settings,
)
from tests.staff_helpers import CODE_PAGE, add_user, current_code, send_code, staff_login

EMAIL = "kari.nordmann@kommune.no"


@pytest.fixture(scope="session")
def oidc_client(oidc_provider):
    return register_client(oidc_provider, [CALLBACK], [LOGIN_PAGE])


@pytest.fixture
def sso_app(published_database_url, oidc_provider, oidc_client):
    yield from serving(published_database_url, settings(oidc_provider, oidc_client))


@pytest.fixture
def sso(sso_app):
    """The test client of an app with single sign-on, and a counsellor who may use it."""
    add_user(sso_app, "kari", roles=["bosetting"])
    link_user(sso_app, "kari", EMAIL)
    return sso_app.test_client()


def _start(client) -> str:
    answer = client.get("/admin/login/sso")
    assert answer.status_code == 302
    return answer.location


def _sign_in(client, browser=None, account=EMAIL, **asserted):
    """Kompass's answer to the provider's callback after signing in there."""
    callback = (browser or Browser()).sign_in(_start(client), account, **asserted)
    return client.get(path_of(callback))


def _events(app, action: str) -> list[AuditEvent]:
    with app.extensions["kompass"].sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list(session.scalars(query))


def _refused(answer, status: int, words: str) -> None:
    assert answer.status_code == status
    assert words in answer.text
    assert 'name="password"' in answer.text  # the log-in page, with the password form


def test_the_log_in_page_offers_the_provider_beside_the_password(sso, app):
    page = sso.get("/admin/login").text
    assert "Logg inn med kommunens innlogging" in page
    assert 'href="/admin/login/sso"' in page
    assert "/admin/login/sso" not in app.test_client().get("/admin/login").text


def test_the_authorization_request_uses_pkce_state_and_nonce(sso, oidc_client):
    query = parse_qs(urlsplit(_start(sso)).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [oidc_client["client_id"]]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["code_challenge_method"] == ["S256"]
    with sso.session_transaction() as session:
        pending = session[flow.PENDING_KEY]
    assert query["state"] == [pending["state"]] and query["nonce"] == [pending["nonce"]]
    assert pending["verifier"] not in query["code_challenge"][0]


def test_a_known_user_signs_in_and_is_audited_without_tokens(sso, sso_app, caplog):
    caplog.set_level("DEBUG")
    callback = Browser().sign_in(_start(sso), EMAIL)
    answer = sso.get(path_of(callback))
    assert answer.status_code == 302 and answer.location == "/admin/"
    assert sso.get("/admin/").status_code == 200
    [event] = _events(sso_app, "staff.login")
    assert event.actor_username == "kari" and event.details == {"via": "oidc"}
    with sso.session_transaction() as session:
        token = session["staff"]["via"]["id_token"]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    assert code not in caplog.text and token not in caplog.text and EMAIL not in caplog.text


def test_start_up_refuses_settings_that_cannot_work():
    base = {f"KOMPASS_{key}": value for key, value in DEFAULTS.items()}
    good = {**base, "KOMPASS_OIDC_ISSUER": "https://login.example.no",
            "KOMPASS_OIDC_CLIENT_ID": "kompass", "KOMPASS_OIDC_CLIENT_SECRET": "s"}  # fmt: skip
    assert OidcSettings.from_config(base) is None
    assert OidcSettings.from_config(good).issuer == "https://login.example.no"
    wrongs = [{"KOMPASS_OIDC_ISSUER": "http://login.example.no"},
              {"KOMPASS_OIDC_CLIENT_SECRET": ""}, {"KOMPASS_OIDC_SCOPES": "email"}]  # fmt: skip
    for wrong in wrongs:
        with pytest.raises(SettingsError):
            OidcSettings.from_config({**good, **wrong})


def test_a_second_factor_the_provider_asserts_skips_kompass_code(sso_app):
    add_user(sso_app, "admin", roles=["kommuneadmin"], enrolled=False)
    link_user(sso_app, "admin", "admin@kommune.no")
    for asserted in ({"acr": "idporten-loa-high"}, {"amr": "pwd,mfa"}):
        client = sso_app.test_client()
        answer = _sign_in(client, account="admin@kommune.no", **asserted)
        assert answer.location == "/admin/"
        assert client.get("/admin/brukere").status_code == 200  # no enrolment asked for
    logins = _events(sso_app, "staff.login")
    assert [e.details["second_factor"] for e in logins] == ["identity_provider"] * 2


def test_without_an_asserted_second_factor_kompass_asks_for_its_code(sso_app):
    add_user(sso_app, "admin", roles=["kommuneadmin"])
    link_user(sso_app, "admin", "admin@kommune.no")
    client = sso_app.test_client()
    answer = _sign_in(client, account="admin@kommune.no", acr="idporten-loa-substantial")
    assert answer.location == CODE_PAGE
    assert client.get("/admin/brukere").status_code == 302  # not signed in yet
    assert send_code(client, current_code(sso_app, "admin")).location == "/admin/"
    assert client.get("/admin/brukere").status_code == 200
    [event] = _events(sso_app, "staff.login")
    assert event.details == {"second_factor": "totp", "via": "oidc"}


def test_an_unknown_user_is_refused_and_audited_without_their_name(sso, sso_app):
    answer = _sign_in(sso, account="ukjent@kommune.no")
    _refused(answer, 403, "du er ikke bruker av Kompass")
    [event] = _events(sso_app, "staff.login_failed")
    assert event.details == {"via": "oidc", "reason": "unknown_user"}
    assert event.actor_username.startswith("unknown:") and "ukjent" not in event.actor_username
    assert sso.get("/admin/").status_code == 302


def test_a_deactivated_user_is_refused(sso_app):
    add_user(sso_app, "gone", roles=["bosetting"], active=False)
    link_user(sso_app, "gone", "gone@kommune.no")
    client = sso_app.test_client()
    _refused(_sign_in(client, account="gone@kommune.no"), 403, "deaktivert")
    [event] = _events(sso_app, "staff.login_failed")
    assert event.actor_username == "gone" and event.details["reason"] == "inactive"


def test_an_account_locked_by_wrong_passwords_is_refused_through_the_provider_too(sso, sso_app):
    guesser = sso_app.test_client()
    for _ in range(6):  # the attempt after the fifth failure locks the account
        assert staff_login(guesser, "kari", "wrong password!").status_code == 422
    _refused(_sign_in(sso), 403, "sperret en stund")
    assert _events(sso_app, "staff.login_failed")[-1].details == {"via": "oidc", "reason": "locked"}


def test_a_replayed_code_is_refused_by_the_provider(sso, sso_app):
    callback = Browser().sign_in(_start(sso), EMAIL)
    with sso.session_transaction() as session:
        pending = dict(session[flow.PENDING_KEY])
    assert sso.get(path_of(callback)).location == "/admin/"
    with sso.session_transaction() as session:  # the same browser state, the same code
        session[flow.PENDING_KEY] = pending
    _refused(sso.get(path_of(callback)), 400, "koden var allerede brukt")
    assert _events(sso_app, "staff.login_failed")[0].details["reason"] == "code"


def test_a_wrong_nonce_is_refused(sso, sso_app):
    callback = Browser().sign_in(_start(sso), EMAIL)
    with sso.session_transaction() as session:
        session[flow.PENDING_KEY] = {**session[flow.PENDING_KEY], "nonce": "another"}
    _refused(sso.get(path_of(callback)), 400, "hørte ikke til denne innloggingen")
    assert _events(sso_app, "staff.login_failed")[0].details["reason"] == "nonce"
    assert sso.get("/admin/").status_code == 302


def test_an_expired_id_token_is_refused(sso, sso_app, monkeypatch):
    callback = Browser().sign_in(_start(sso), EMAIL)
    later = id_token.now() + 2 * 3600  # the provider's tokens live 10 minutes
    monkeypatch.setattr(id_token, "now", lambda: later)
    _refused(sso.get(path_of(callback)), 400, "er utløpt")
    assert _events(sso_app, "staff.login_failed")[0].details["reason"] == "expired"


def test_an_answer_from_another_issuer_is_refused(sso, sso_app):
    callback = Browser().sign_in(_start(sso), EMAIL)
    forged = callback.replace("iss=http", "iss=https")
    assert forged != callback
    _refused(sso.get(path_of(forged)), 400, "en annen utsteder")
    assert _events(sso_app, "staff.login_failed")[0].details["reason"] == "issuer"


def test_a_provider_that_names_another_issuer_is_refused(
    published_database_url, oidc_provider, oidc_client
):
    other_name = oidc_provider.replace("127.0.0.1", "localhost")
    for app in serving(published_database_url, settings(other_name, oidc_client)):
        _refused(app.test_client().get("/admin/login/sso"), 400, "en annen utsteder")


def test_an_answer_this_browser_did_not_ask_for_is_refused(sso, sso_app):
    callback = Browser().sign_in(_start(sso_app.test_client()), EMAIL)  # another browser's
    _refused(sso.get(path_of(callback)), 400, "hørte ikke til en innlogging startet her")
    assert _events(sso_app, "staff.login_failed")[0].details["reason"] == "state"


def test_a_provider_that_does_not_answer_gives_a_message(published_database_url, oidc_client):
    closed = settings("http://127.0.0.1:9", oidc_client)
    for app in serving(published_database_url, closed):
        _refused(app.test_client().get("/admin/login/sso"), 400, "svarer ikke")


def test_signing_out_ends_both_sessions(sso, sso_app):
    browser = Browser()
    assert _sign_in(sso, browser).location == "/admin/"
    assert not browser.asks_to_sign_in(_start(sso))  # the provider remembers the browser
    answer = sso.post("/admin/logout", data={"csrf_token": _token(sso)})
    end_session = html.unescape(re.search(r'id="provider-logout" href="([^"]+)"', answer.text)[1])
    assert f'content="0; url={html.escape(end_session)}"' in answer.text  # goes on at once
    query = parse_qs(urlsplit(end_session).query)
    assert end_session.startswith(sso_app.config["KOMPASS_OIDC_ISSUER"])
    assert query["post_logout_redirect_uri"] == [LOGIN_PAGE] and query["id_token_hint"]
    assert sso.get("/admin/").status_code == 302  # Kompass's session ended
    assert browser.sign_out(end_session) == LOGIN_PAGE
    assert browser.asks_to_sign_in(_start(sso))  # and the provider's
    [event] = _events(sso_app, "staff.logout")
    assert event.details == {"identity_provider": True}


def _token(client) -> str:
    return csrf_token(client.get("/admin/").text)


def test_an_administrator_sets_the_sign_in_name_in_the_user_form(app):
    admin = app.test_client()
    add_user(app, "sysadmin", roles=["systemadmin"], municipality=None)
    target = add_user(app, "kari", roles=["bosetting"])
    add_user(app, "ola", roles=["bosetting"])
    link_user(app, "ola", "ola@kommune.no")
    staff_login(admin, "sysadmin")
    form = {"username": "kari", "first_name": "Kari", "last_name": "Test", "municipality": "4601",
            "active": "1", "email": "", "phone": ""}  # fmt: skip

    def save(name: str):
        page = admin.get(f"/admin/brukere/{target}").text
        data = {**form, "external_name": name, "csrf_token": csrf_token(page)}
        return admin.post(f"/admin/brukere/{target}", data=data)

    taken = save("OLA@kommune.no")
    assert taken.status_code == 422 and "En annen bruker har dette innloggingsnavnet" in taken.text
    assert save(" Kari.Nordmann@Kommune.no ").status_code == 302
    with app.extensions["kompass"].sessions() as session:
        assert session.get(User, target).external_name == "kari.nordmann@kommune.no"
    [update] = [e for e in _events(app, "user.update") if e.target_user_id == target]
    assert update.details == {"changed": "external_name"}  # never the name itself
