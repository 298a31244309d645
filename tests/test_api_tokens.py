"""API tokens: a token reads only in its scope, while valid and its owner may; revoked,
expired, unknown and malformed tokens are refused with 401 and a JSON error; the rate limit
counts atomically; every use is audited by the token's public id, never its secret."""

import base64
import threading
from datetime import timedelta

import pytest
from flask import jsonify
from sqlalchemy import select, update

from api.tokens import guard, scopes, store
from api.tokens.models import ApiToken
from auth.staff.models import AuditEvent, User, UserRole
from engine.app.db import utcnow
from tests.staff_helpers import add_user, events


@pytest.fixture
def api_app(app):
    """The app with two probe routes, one per scope, that say whose token was used."""
    for scope in scopes.RULES:

        @guard.token_required(scope)
        def probe(owner):
            return jsonify(user=owner.username)

        app.add_url_rule(f"/probe/{scope}", f"probe_{scope}", probe)
    return app


def make(app, username, roles, scope, days=30, **user):
    user_id = add_user(app, username, roles, **user)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        made = store.create(session, session.get(User, user_id), "test", scope,
                            utcnow() + timedelta(days=days))  # fmt: skip
        session.commit()
        return made.text


def bearer(text):
    return {"Authorization": f"Bearer {text}"}


def test_a_token_reads_in_its_scope_and_the_use_is_audited(api_app):
    text = make(api_app, "ana", ["analytiker"], scopes.FEED)
    answer = api_app.test_client().get(f"/probe/{scopes.FEED}", headers=bearer(text))
    assert answer.status_code == 200 and answer.json == {"user": "ana"}
    (used,) = events(api_app, guard.USE)
    public_id = text.split("_", 2)[1]
    assert used.actor_username == "ana" and used.details["token"] == public_id
    assert text.split("_", 2)[2] not in str(used.details)
    assert "Set-Cookie" not in answer.headers


def test_basic_authentication_carries_the_token_as_its_password(api_app):
    text = make(api_app, "ana", ["analytiker"], scopes.FEED)
    basic = base64.b64encode(f"anything:{text}".encode()).decode()
    answer = api_app.test_client().get(f"/probe/{scopes.FEED}",
                                       headers={"Authorization": f"Basic {basic}"})  # fmt: skip
    assert answer.status_code == 200


@pytest.mark.parametrize(
    "header", [None, "Bearer nonsense", "Bearer kompass_000000000000_" + "A" * 43, "Token x"]
)
def test_missing_malformed_and_unknown_tokens_are_refused(api_app, header):
    make(api_app, "ana", ["analytiker"], scopes.FEED)
    headers = {"Authorization": header} if header else {}
    answer = api_app.test_client().get(f"/probe/{scopes.FEED}", headers=headers)
    assert answer.status_code == 401
    assert answer.json["error"]["code"] in {"token_missing", "token_invalid"}
    assert 'Bearer realm="Kompass"' in answer.headers.getlist("WWW-Authenticate")


def test_a_wrong_secret_with_a_real_public_id_is_refused(api_app):
    text = make(api_app, "ana", ["analytiker"], scopes.FEED)
    forged = text[:-1] + ("A" if text[-1] != "A" else "B")
    answer = api_app.test_client().get(f"/probe/{scopes.FEED}", headers=bearer(forged))
    assert answer.status_code == 401 and answer.json["error"]["code"] == "token_invalid"


def test_revoked_and_expired_tokens_are_refused_with_401_and_audited(api_app):
    revoked = make(api_app, "ana", ["analytiker"], scopes.FEED)
    expired = make(api_app, "ole", ["analytiker"], scopes.FEED, days=-1)
    with api_app.app_context(), api_app.extensions["kompass"].sessions() as session:
        public_id = revoked.split("_", 2)[1]
        token = session.scalar(select(ApiToken).where(ApiToken.public_id == public_id))
        assert store.revoke(session, token, session.get(User, token.user_id), utcnow())
        assert not store.revoke(session, token, session.get(User, token.user_id), utcnow())
        session.commit()
    client = api_app.test_client()
    for text, code in ((revoked, "token_revoked"), (expired, "token_expired")):
        answer = client.get(f"/probe/{scopes.FEED}", headers=bearer(text))
        assert answer.status_code == 401 and answer.json["error"]["code"] == code
    assert [e.details["reason"] for e in events(api_app, guard.REFUSED)] == [
        "token_revoked", "token_expired"]  # fmt: skip
    assert events(api_app, guard.USE) == []


def test_a_token_is_refused_outside_its_scope(api_app):
    text = make(api_app, "ana", ["analytiker", "bosetting"], scopes.FEED)
    answer = api_app.test_client().get(f"/probe/{scopes.MAPPINGS}", headers=bearer(text))
    assert answer.status_code == 403 and answer.json["error"]["code"] == "wrong_scope"


def test_an_owner_who_lost_the_role_or_was_deactivated_cannot_use_the_token(api_app):
    text = make(api_app, "ana", ["analytiker"], scopes.FEED)
    client = api_app.test_client()
    with api_app.app_context(), api_app.extensions["kompass"].sessions() as session:
        session.execute(UserRole.__table__.delete())
        session.commit()
    assert client.get(f"/probe/{scopes.FEED}", headers=bearer(text)).status_code == 403
    with api_app.app_context(), api_app.extensions["kompass"].sessions() as session:
        session.execute(update(User).values(active=False))
        session.commit()
    assert client.get(f"/probe/{scopes.FEED}", headers=bearer(text)).status_code == 401


def test_the_secret_is_stored_only_as_its_hash(api_app):
    text = make(api_app, "ana", ["analytiker"], scopes.FEED)
    with api_app.app_context(), api_app.extensions["kompass"].sessions() as session:
        stored = session.scalar(select(ApiToken))
        assert text.split("_", 2)[2] not in {stored.secret_hash, stored.public_id, stored.name}
        assert stored.secret_hash == store.secrets.digest(text.split("_", 2)[2])


def test_the_rate_limit_holds_under_concurrent_requests(api_app):
    api_app.config["KOMPASS_API_REQUESTS_PER_MINUTE"] = 5
    text = make(api_app, "ana", ["analytiker"], scopes.FEED)
    statuses = []
    barrier = threading.Barrier(12)

    def request():
        client = api_app.test_client()
        barrier.wait()
        statuses.append(client.get(f"/probe/{scopes.FEED}", headers=bearer(text)).status_code)

    threads = [threading.Thread(target=request) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 5 + [429] * 7
    answer = api_app.test_client().get(f"/probe/{scopes.FEED}", headers=bearer(text))
    assert answer.status_code == 429 and 1 <= int(answer.headers["Retry-After"]) <= 61
    assert len(events(api_app, guard.USE)) == 5


def test_a_new_window_starts_after_a_minute(api_app):
    api_app.config["KOMPASS_API_REQUESTS_PER_MINUTE"] = 1
    text = make(api_app, "ana", ["analytiker"], scopes.FEED)
    client = api_app.test_client()
    assert client.get(f"/probe/{scopes.FEED}", headers=bearer(text)).status_code == 200
    assert client.get(f"/probe/{scopes.FEED}", headers=bearer(text)).status_code == 429
    with api_app.app_context(), api_app.extensions["kompass"].sessions() as session:
        session.execute(update(ApiToken).values(window_start=utcnow() - timedelta(seconds=61)))
        session.commit()
    assert client.get(f"/probe/{scopes.FEED}", headers=bearer(text)).status_code == 200


def test_no_event_names_a_secret(api_app):
    text = make(api_app, "ana", ["analytiker"], scopes.FEED)
    client = api_app.test_client()
    client.get(f"/probe/{scopes.FEED}", headers=bearer(text))
    with api_app.app_context(), api_app.extensions["kompass"].sessions() as session:
        logged = " ".join(str(e.details) for e in session.scalars(select(AuditEvent)))
    assert text.split("_", 2)[2] not in logged
