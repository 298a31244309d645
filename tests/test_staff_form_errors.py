"""Staff forms follow the respondent pages' error pattern: no browser bubbles (`novalidate`),
server-side messages in the staff language, a focused summary linking each field, «Feil:» in
the title, and a skip link."""

import re

from sqlalchemy import func, select

from auth.staff.models import AuditEvent, User
from engine.app.config import PROJECT_ROOT
from tests.conftest import csrf_token
from tests.staff_helpers import PASSWORD, add_user, staff_login, token

TEMPLATES = PROJECT_ROOT / "adminui" / "templates" / "admin"
PLUGIN_TEMPLATES = PROJECT_ROOT / "api" / "ui" / "templates" / "api"  # staff pages of plugins
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
CONTROL = re.compile(r'<(select|textarea)\b|<input\b(?![^>]*type="hidden")|{% include')


def error_page(answer, messages: dict[str, str]) -> str:
    """The page answers 422 with «Feil:» in its title and a focused summary whose links are
    `messages` (field id → message), each field marked invalid and described by its message."""
    page = answer.text
    assert answer.status_code == 422
    assert re.search(r"<title>Feil: ", page)
    summary = re.search(r'<div class="error-summary" role="alert" tabindex="-1" autofocus'
                        r'.*?</div>', page, re.S).group(0)  # fmt: skip
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == list(messages.items())
    for field in messages:
        assert re.search(rf'id="{field}"[^>]* aria-invalid="true"', page)
        assert f'id="{field}-error"' in page or 'aria-describedby="confirm-code-text' in page
    return page


def count(app, model, *where) -> int:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_every_staff_form_with_a_field_has_novalidate():
    checked = 0
    for path in sorted([*TEMPLATES.glob("*.html"), *PLUGIN_TEMPLATES.glob("*.html")]):
        for form in FORM.findall(path.read_text("utf-8")):
            start = form[: form.index(">") + 1]
            if CONTROL.search(form):
                checked += 1
                assert "novalidate" in start, f"{path.name}: {start}"
    assert checked >= 25


def test_the_empty_log_in_form_is_answered_by_the_server_in_norwegian(app):
    client = app.test_client()
    page = client.get("/admin/login").text
    assert re.search(r'<body>\s*<a class="skip-link" href="#main">Hopp til hovedinnhold</a>', page)
    assert '<main id="main"' in page and "<title>Feil" not in page
    answer = client.post("/admin/login", data={"csrf_token": csrf_token(page)})
    error_page(answer, {"username": "Skriv inn brukernavnet ditt.",
                        "password": "Skriv inn passordet ditt."})  # fmt: skip
    assert count(app, AuditEvent, AuditEvent.action == "staff.login_failed") == 0


def test_a_wrong_log_in_links_the_user_name_and_english_says_error(app):
    client = app.test_client()
    client.post("/admin/language", data={"csrf_token": token(client), "locale": "en"})
    answer = client.post("/admin/login", data={"csrf_token": token(client), "username": "x",
                                               "password": "wrong"})  # fmt: skip
    assert answer.status_code == 422 and "<title>Error: Log in" in answer.text
    assert '<a href="#username">Wrong user name or password' in answer.text


def test_the_password_form_names_each_wrong_field_and_changes_nothing(app):
    add_user(app, "veileder", ["bosetting"])
    client = app.test_client()
    staff_login(client, "veileder")
    before = count(app, AuditEvent, AuditEvent.action == "staff.password_changed")
    empty = client.post("/admin/password", data={"csrf_token": token(client)})
    error_page(empty, {"current": "Skriv inn det nåværende passordet ditt.",
                       "new": "Det nye passordet må ha minst 12 tegn."})  # fmt: skip
    different = {"csrf_token": token(client), "current": PASSWORD, "new": "a" * 12,
                 "repeat": "b" * 12}  # fmt: skip
    error_page(client.post("/admin/password", data=different),
               {"repeat": "Skriv det nye passordet en gang til, helt likt."})  # fmt: skip
    assert count(app, AuditEvent, AuditEvent.action == "staff.password_changed") == before


def test_an_empty_second_factor_code_is_asked_for_again_without_counting(app):
    add_user(app, "admin", ["kommuneadmin"])
    client = app.test_client()
    page = client.get("/admin/login").text
    client.post("/admin/login", data={"csrf_token": csrf_token(page), "username": "admin",
                                      "password": PASSWORD})  # fmt: skip
    answer = client.post("/admin/login/kode", data={"csrf_token": token(client), "code": " "})
    error_page(answer, {"code": "Skriv inn koden fra appen, eller en gjenopprettingskode."})
    assert count(app, AuditEvent, AuditEvent.action == "staff.totp_failed") == 0


def test_a_new_user_with_empty_fields_gets_every_message_and_is_not_made(app):
    add_user(app, "admin", ["kommuneadmin"])
    client = app.test_client()
    staff_login(client, "admin")
    users = count(app, User)
    answer = client.post("/admin/brukere/ny", data={"csrf_token": token(client), "email": "x"})
    page = error_page(answer, {
        "username": "Bruk 3–60 små bokstaver, sifre, &#39;.&#39;, &#39;_&#39; eller &#39;-&#39;.",
        "first_name": "Skriv fornavnet.", "last_name": "Skriv etternavnet.",
        "email": "Skriv en e-postadresse som navn@kommune.no.",
    })  # fmt: skip
    assert "<title>Feil: Opprett bruker" in page and count(app, User) == users


def test_the_duf_searches_answer_an_empty_number_with_the_pattern(app):
    add_user(app, "veileder", ["bosetting"])
    add_user(app, "sysadmin", ["systemadmin"], None)
    counsellor, admin = app.test_client(), app.test_client()
    staff_login(counsellor, "veileder")
    staff_login(admin, "sysadmin")
    message = {"duf": "Et DUF-nummer har 12 siffer, for eksempel 2020 0000 0000."}
    for client, path in ((counsellor, "/admin/kommuner/kompass/sok"), (admin, "/admin/sletting")):
        error_page(client.post(path, data={"csrf_token": token(client), "duf": ""}), message)


def test_a_wrong_export_format_links_the_format_field(app):
    add_user(app, "analytiker", ["analytiker"], None)
    client = app.test_client()
    staff_login(client, "analytiker")
    answer = client.post("/admin/eksport", data={"csrf_token": token(client), "format": "x"})
    error_page(answer, {"export-format": "Velg et av formatene i listen."})
