"""API-nøkler: a staff user makes a personal token (shown once, stored as a hash), in the scopes
their roles allow, valid at most a year; revokes their own; a system administrator sees and
revokes everyone's. Errors follow the staff form pattern; every post needs its CSRF token."""

import logging
import re
import threading
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from api.tokens import scopes
from api.tokens.models import ApiToken
from tests.staff_helpers import add_user, events, logged_in, staff_login, token
from tests.test_staff_form_errors import error_page

PAGE = "/admin/api-nokler"
OSLO = ZoneInfo("Europe/Oslo")
TOKEN = re.compile(r"kompass_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}")


def today() -> date:
    """The deployment's day (Europe/Oslo), which the form counts from."""
    return datetime.now(OSLO).date()


def in_days(days: int) -> str:
    return (today() + timedelta(days=days)).isoformat()


def make(client, name="Sakssystem", scope=scopes.MAPPINGS, expires=None, csrf=True):
    form = {"name": name, "scope": scope, "expires": expires or in_days(30)}
    if csrf:
        form["csrf_token"] = token(client)
    return client.post(PAGE, data=form)


def made_text(answer) -> str:
    return TOKEN.search(answer.text).group(0)


def stored(app) -> list[ApiToken]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return session.scalars(select(ApiToken).order_by(ApiToken.id)).all()


def revoke(client, token_id: int):
    return client.post(f"{PAGE}/{token_id}/trekk-tilbake", data={"csrf_token": token(client)})


def bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}"}


def test_a_token_is_shown_once_stored_as_a_hash_and_audited(app, caplog):
    client = logged_in(app, "veileder", ["bosetting"])
    caplog.set_level(logging.DEBUG)
    answer = make(client)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    text = made_text(answer)
    assert "Authorization: Bearer" in answer.text and "vises bare denne ene gangen" in answer.text
    assert "/api/v1/openapi.json" in answer.text
    public_id, secret = text.split("_")[1], text.split("_", 2)[2]
    (row,) = stored(app)
    assert row.public_id == public_id and row.scope == scopes.MAPPINGS
    last_second = datetime.combine(today() + timedelta(days=30), time(23, 59, 59), OSLO)
    assert row.expires_at == last_second  # valid all of the day chosen, in the deployment's zone
    assert secret not in (row.secret_hash, row.name) and len(row.secret_hash) == 64
    for page in (client.get(PAGE), client.get(PAGE)):
        assert page.status_code == 200 and secret not in page.text and "Sakssystem" in page.text
        assert TOKEN.search(page.text) is None and row.secret_hash not in page.text
    (created,) = events(app, "api_token.create")
    assert created.details == {"token": public_id, "scope": scopes.MAPPINGS}
    assert created.actor_username == "veileder"
    since = "2000-01-01T00:00:00Z"
    api = app.test_client().get(f"/api/v1/mappings?changed_since={since}", headers=bearer(text))
    assert api.status_code == 200 and secret not in caplog.text


def test_the_scopes_offered_are_those_the_roles_allow(app):
    choices = re.compile(r'name="scope" value="([a-z.]+)"')
    counsellor = logged_in(app, "veileder", ["bosetting"])
    assert choices.findall(counsellor.get(PAGE).text) == [scopes.MAPPINGS]
    analyst = logged_in(app, "analytiker", ["analytiker"], None)
    assert choices.findall(analyst.get(PAGE).text) == [scopes.FEED]
    both = logged_in(app, "begge", ["bosetting", "kommuneadmin"])
    assert choices.findall(both.get(PAGE).text) == [scopes.FEED, scopes.MAPPINGS]
    editor = logged_in(app, "redaktor", ["innholdsredaktor"], None)
    page = editor.get(PAGE).text
    assert choices.findall(page) == [] and "Rollene dine kan ikke ha API-nøkler" in page
    assert make(editor, scope=scopes.FEED).status_code == 403
    refused = make(analyst, scope=scopes.MAPPINGS)
    error_page(refused, {"scope": "Velg hva nøkkelen kan lese."})
    assert stored(app) == []


def test_the_menu_links_the_page_for_token_holders_and_system_administrators(app):
    link = f'href="{PAGE}"'
    assert link in logged_in(app, "veileder", ["bosetting"]).get("/admin/").text
    assert link in logged_in(app, "sysadmin", ["systemadmin"], None).get("/admin/").text
    assert link not in logged_in(app, "redaktor", ["innholdsredaktor"], None).get("/admin/").text


def test_name_and_expiry_errors_follow_the_staff_pattern(app):
    client = logged_in(app, "veileder", ["bosetting"])
    error_page(make(client, name=""), {"name": "Gi nøkkelen et navn."})
    error_page(make(client, name="x" * 101), {"name": "Navnet kan ha høyst 100 tegn."})
    past = make(client, expires=in_days(-1))
    error_page(past, {"expires": "Utløpsdatoen kan ikke være tilbake i tid."})
    too_far = make(client, expires=in_days(366))
    last = (today() + timedelta(days=365)).strftime("%d.%m.%Y")
    error_page(too_far, {"expires": f"En nøkkel kan gjelde i høyst 365 dager, til {last}."})
    error_page(make(client, expires="snart"),
               {"expires": "Skriv utløpsdatoen som en dato, for eksempel 31.12.2027."})  # fmt: skip
    assert stored(app) == []
    assert make(client, expires=in_days(365)).status_code == 200
    norwegian = make(client, expires=(today() + timedelta(days=10)).strftime("%d.%m.%Y"))
    assert norwegian.status_code == 200 and len(stored(app)) == 2


def test_every_post_needs_its_csrf_token(app):
    client = logged_in(app, "veileder", ["bosetting"])
    assert make(client, csrf=False).status_code == 400
    make(client)
    (row,) = stored(app)
    answer = client.post(f"{PAGE}/{row.id}/trekk-tilbake")
    assert answer.status_code == 400 and stored(app)[0].revoked_at is None


def test_an_owner_revokes_their_token_and_it_is_refused_at_once(app):
    client = logged_in(app, "veileder", ["bosetting"])
    text = made_text(make(client))
    (row,) = stored(app)
    assert revoke(client, row.id).status_code == 302
    assert stored(app)[0].revoked_at is not None
    (revoked,) = events(app, "api_token.revoke")
    assert revoked.details == {"token": row.public_id, "scope": scopes.MAPPINGS}
    answer = app.test_client().get("/api/v1/mappings?changed_since=2000-01-01T00:00:00Z",
                                   headers=bearer(text))  # fmt: skip
    assert answer.status_code == 401 and answer.json["error"]["code"] == "token_revoked"
    assert "Trukket tilbake" in client.get(PAGE).text


def test_a_user_cannot_revoke_or_see_another_users_token(app):
    owner = logged_in(app, "veileder", ["bosetting"])
    make(owner, name="Eierens nøkkel")
    other = logged_in(app, "kollega", ["bosetting", "kommuneadmin"])
    assert "Eierens nøkkel" not in other.get(PAGE).text
    (row,) = stored(app)
    assert revoke(other, row.id).status_code == 404
    assert revoke(other, row.id + 1000).status_code == 404
    assert stored(app)[0].revoked_at is None and events(app, "api_token.revoke") == []


def test_a_system_administrator_lists_and_revokes_every_token(app):
    make(logged_in(app, "veileder", ["bosetting"]), name="Sakssystem Bergen")
    make(logged_in(app, "analytiker", ["analytiker"], None), "Power BI", scopes.FEED)
    admin = logged_in(app, "sysadmin", ["systemadmin"], None)
    page = admin.get(PAGE).text
    assert "Sakssystem Bergen" in page and "Power BI" in page
    assert "Veileder Test (veileder)" in page and "Bergen" in page
    first, second = stored(app)
    assert [revoke(admin, row.id).status_code for row in (first, second)] == [302, 302]
    assert all(row.revoked_at is not None for row in stored(app))
    revoked = events(app, "api_token.revoke")
    assert [event.target_user_id for event in revoked] == [first.user_id, second.user_id]


def form_of(client) -> dict:
    """The form as the page gives it: its CSRF token and its own id."""
    page = client.get(PAGE).text
    form_id = re.search(r'name="form_id" value="([A-Za-z0-9_-]+)"', page).group(1)
    return {"csrf_token": token(client), "form_id": form_id, "name": "Sakssystem",
            "scope": scopes.MAPPINGS, "expires": in_days(30)}  # fmt: skip


def test_sending_the_same_form_again_makes_no_second_token(app):
    """A reload of the "shown once" page sends its form again: it is told so, shown no token,
    and the one token is in the list; a new form (or one corrected after an error) makes one."""
    client = logged_in(app, "veileder", ["bosetting"])
    form = form_of(client)
    assert client.post(PAGE, data={**form, "name": ""}).status_code == 422
    first = client.post(PAGE, data=form)
    again = client.post(PAGE, data=form)
    assert first.status_code == 200 and again.status_code == 409
    assert TOKEN.search(again.text) is None and "Dette skjemaet er sendt før" in again.text
    assert "Sakssystem" in again.text and len(stored(app)) == 1
    assert client.post(PAGE, data=form_of(client)).status_code == 200
    assert len(stored(app)) == 2 and len(events(app, "api_token.create")) == 2


def test_the_same_form_sent_at_once_from_many_tabs_makes_one_token(app):
    add_user(app, "veileder", ["bosetting"], "4601")
    clients = [app.test_client() for _ in range(6)]
    for client in clients:
        staff_login(client, "veileder")
    form = form_of(clients[0])
    barrier, statuses = threading.Barrier(len(clients)), []

    def send(client):
        data = {**form, "csrf_token": token(client)}
        barrier.wait()
        statuses.append(client.post(PAGE, data=data).status_code)

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * (len(clients) - 1)
    assert len(stored(app)) == 1 and len(events(app, "api_token.create")) == 1
