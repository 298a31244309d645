"""Deployment settings: secrets outside development, trusted proxies, HSTS, the public URL, and
the 413 page for bodies and forms that are too large."""

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from engine.app import config
from engine.app.factory import create_app
from tests.conftest import TEST_SETTINGS, csrf_token, publish
from tests.helpers import add_person, log_in, make_code
from tests.staff_helpers import add_user, new_code_from, staff_login, token
from tests.test_lockout_races import at_once

pytestmark = pytest.mark.database_incidental

FORGED = "203.0.113.7"


def test_production_without_a_secret_key_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.setenv("KOMPASS_ENV", "production")
    with pytest.raises(config.MissingSecret, match="KOMPASS_SECRET_KEY is not set"):
        config.load(tmp_path)
    with pytest.raises(config.MissingSecret, match="KOMPASS_EXPORT_PSEUDONYM_KEY is not set"):
        config.load(tmp_path, {"SECRET_KEY": "set"})
    assert not (tmp_path / "secret_key").exists()


def test_production_is_the_default(monkeypatch, tmp_path):
    monkeypatch.delenv("KOMPASS_ENV")
    with pytest.raises(config.MissingSecret):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})


def test_production_with_its_secrets_starts(monkeypatch, tmp_path):
    monkeypatch.setenv("KOMPASS_ENV", "production")
    settings = config.load(tmp_path, {"SECRET_KEY": "a", "EXPORT_PSEUDONYM_KEY": "b"})
    assert (settings["SECRET_KEY"], settings["EXPORT_PSEUDONYM_KEY"]) == ("a", "b")


def test_racing_threads_all_get_the_first_instance_secret(monkeypatch, tmp_path):
    made = iter(range(100))

    def slow_token(_size):
        number = next(made)
        time.sleep(0.02 * number)  # the writers finish one after another
        return f"secret-{number}"

    monkeypatch.setattr(config.secrets, "token_hex", slow_token)
    keys = at_once(8, lambda: config._instance_secret(tmp_path, "secret_key"))
    assert len(set(keys)) == 1 and keys[0].startswith("secret-")
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]


def _secret_in_process(folder: str, start, queue) -> None:
    start.wait()
    queue.put(config._instance_secret(Path(folder), "secret_key"))


def test_racing_processes_all_get_the_same_instance_secret(tmp_path):
    context = multiprocessing.get_context("fork")
    start, queue = context.Event(), context.Queue()
    workers = [
        context.Process(target=_secret_in_process, args=(str(tmp_path / "instance"), start, queue))
        for _ in range(6)
    ]
    for worker in workers:
        worker.start()
    start.set()
    keys = {queue.get(timeout=30) for _ in workers}
    for worker in workers:
        worker.join()
    assert len(keys) == 1 and len(keys.pop()) == 64


def _app_behind(database_url, proxies: str, **settings):
    settings = {**TEST_SETTINGS, "DATABASE_URL": database_url, "TRUSTED_PROXIES": proxies,
                **settings}  # fmt: skip
    application = create_app(settings)
    publish(application, "kompass", 1)
    return application


@pytest.fixture
def proxied_app(database_url):
    """The app behind one trusted reverse proxy (the test client's own address), with a public
    URL of its own."""
    application = _app_behind(database_url, "127.0.0.1", PUBLIC_URL="https://kompass.example.no/")
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


@pytest.fixture
def reachable_app(database_url):
    """The app trusting the proxies of 10.0.0.0/24 and also reachable directly (127.0.0.1)."""
    application = _app_behind(database_url, "10.0.0.1, 10.0.0.0/24")
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


def _fail_from_many_forwarded_addresses(app, runner, peer: str = "127.0.0.1") -> int:
    """Three failures from `peer`, each claiming another address; then the right code from a
    fourth."""
    app.config["KOMPASS_CLIENT_MAX_FAILURES"] = 3
    code = make_code(runner, "202100000017")
    for number in range(3):
        client = app.test_client()
        client.environ_base |= {"REMOTE_ADDR": peer,
                                "HTTP_X_FORWARDED_FOR": f"198.51.100.{number}"}  # fmt: skip
        assert log_in(client, "AAAAAA", duf=f"20200000000{number}").status_code == 422
    client = app.test_client()
    client.environ_base |= {"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": FORGED}
    return log_in(client, code, duf="202100000017").status_code


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(app, runner):
    assert _fail_from_many_forwarded_addresses(app, runner) == 422


def test_behind_a_trusted_proxy_each_forwarded_client_is_counted_alone(proxied_app):
    assert _fail_from_many_forwarded_addresses(proxied_app, proxied_app.test_cli_runner()) == 302


def test_a_forged_forwarded_for_from_an_untrusted_address_is_ignored(reachable_app):
    """The bypass of the outside test: the app reachable directly, a count of trusted proxies."""
    runner = reachable_app.test_cli_runner()
    assert _fail_from_many_forwarded_addresses(reachable_app, runner, "127.0.0.1") == 422


def test_from_a_listed_proxy_the_forwarded_client_is_used(reachable_app):
    runner = reachable_app.test_cli_runner()
    assert _fail_from_many_forwarded_addresses(reachable_app, runner, "10.0.0.77") == 302


def test_the_old_count_form_of_trusted_proxies_is_refused(database_url):
    settings = {**TEST_SETTINGS, "DATABASE_URL": database_url, "TRUSTED_PROXIES": "1"}
    with pytest.raises(ValueError, match="addresses or networks"):
        create_app(settings)
    with pytest.raises(ValueError, match="not an IP address"):
        create_app({**settings, "TRUSTED_PROXIES": "10.0.0.1, proxy.local"})


def test_hsts_is_sent_when_cookies_are_secure(database_url):
    secure = _app_behind(database_url, "", SECURE_COOKIES=True)
    header = secure.test_client().get("/").headers["Strict-Transport-Security"]
    assert int(header.split(";")[0].removeprefix("max-age=")) >= 365 * 24 * 3600
    secure.extensions["kompass"].sessions.kw["bind"].dispose()


def test_no_hsts_without_secure_cookies(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def _slip(app, headers=None) -> str:
    add_user(app, "veileder", ["bosetting"])
    person_id = add_person(app)
    client = app.test_client()
    staff_login(client, "veileder")
    made = client.post(f"/admin/personer/{person_id}/koder", data={"csrf_token": token(client)})
    form = {"csrf_token": token(client), "code": new_code_from(made.text), "slip_lang": "ar"}
    return client.post(f"/admin/personer/{person_id}/skriv-ut", data=form, headers=headers).text


def test_the_slip_shows_the_public_url(proxied_app):
    slip = _slip(proxied_app, {"X-Forwarded-Host": "internal:8000"})
    assert slip.count("https://kompass.example.no/") == 2 and "internal" not in slip


def test_without_a_public_url_the_slip_shows_the_requests_own_address(app):
    slip = _slip(app, {"X-Forwarded-Host": "evil.example"})
    assert "http://localhost/" in slip and "evil.example" not in slip


def test_too_many_form_fields_get_a_translated_413_page(client):
    page = client.get("/ar/login")
    fields = {"csrf_token": csrf_token(page.text), **{f"f{i}": "1" for i in range(100_000)}}
    response = client.post("/ar/login", data=fields)
    assert response.status_code == 413
    assert 'lang="ar"' in response.text and "كبير" in response.text


def test_a_huge_body_gets_a_translated_413_page(client):
    response = client.post(
        "/fa/login", data="duf=" + "1" * 2_000_000,
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 413 and 'lang="fa"' in response.text and "بزرگ" in response.text


def test_staff_get_a_norwegian_413_page(client):
    fields = {f"f{i}": "1" for i in range(100_000)}
    response = client.post("/admin/login", data=fields)
    assert response.status_code == 413 and "for stort" in response.text
    multipart = client.post("/admin/login", data=fields, content_type="multipart/form-data")
    assert multipart.status_code == 413


def test_the_development_server_command_runs_as_development(monkeypatch):
    from engine.app.cli import main

    monkeypatch.delenv("KOMPASS_ENV")
    with pytest.raises(SystemExit):
        main.main(["run", "--help"])
    assert os.environ["KOMPASS_ENV"] == "development"
