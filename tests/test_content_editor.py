"""Content editors in the staff UI: versions and their state, check, translation status,
preview without a response, diff, and publishing a draft (confirmed, checked, audited, once)."""

import re
import threading

import pytest
import yaml
from sqlalchemy import func, select

from adminui import content
from auth.staff.models import AuditEvent, User
from engine.responses.storage import Response
from engine.versions import published, publishing
from tests.conftest import hidden
from tests.staff_helpers import add_user, staff_login, token
from tests.translation_helpers import app_on_copy

EN_LABEL = "questions.school_years.label"


@pytest.fixture
def app(published_database_url, tree):
    application = app_on_copy(published_database_url, tree)
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


@pytest.fixture
def editor(app):
    add_user(app, "editor", ["innholdsredaktor"], None)
    client = app.test_client()
    staff_login(client, "editor")
    return client


def edit(file, change) -> None:
    data = yaml.safe_load(file.read_text("utf-8"))
    change(data)
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def set_text(file, dotted: str, value: str) -> None:
    def change(data):
        *parents, last = dotted.split(".")
        node = data
        for key in parents:
            node = node[key]
        node[last] = value

    edit(file, change)


def draft(tree, english_label: str = "How many years of school in all?"):
    """Version 2 as a copy of version 1 with one changed English label."""
    folder = publishing.new_version(tree, "kompass")
    set_text(folder / "translations" / "en.yaml", EN_LABEL, english_label)
    return folder


def rows(app, version: int) -> int:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        query = select(func.count()).select_from(published.PublishedVersion)
        return session.scalar(
            query.where(
                published.PublishedVersion.questionnaire_id == "kompass",
                published.PublishedVersion.version == version,
                published.PublishedVersion.fingerprint.is_not(None),
            )
        )


def publish_events(app) -> list[AuditEvent]:
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == "questionnaire.publish")
        return list(session.scalars(query))


def post_publish(client, version: int, **form):
    page = client.get(f"/admin/innhold/kompass/{version}")
    data = {"csrf_token": token(client), "fingerprint": hidden(page.text, "fingerprint"), **form}
    return client.post(f"/admin/innhold/kompass/{version}/publiser", data=data)


def test_the_list_shows_published_drafts_and_changed_files(app, editor, tree):
    draft(tree)
    page = editor.get("/admin/innhold").text
    assert re.search(r'<tr class="state-published">\s*<td>kompass</td>', page)
    assert re.search(
        r'<tr class="state-draft">\s*<td>kompass</td>\s*<td><a href="/admin/innhold/kompass/2"',
        page,
    )
    set_text(tree / "kompass" / "1" / "translations" / "en.yaml", EN_LABEL, "Changed after")
    page = editor.get("/admin/innhold").text
    assert 'class="state-changed"' in page and "Publisert, men filene er endret siden" in page
    version_page = editor.get("/admin/innhold/kompass/1").text
    assert "translations/en.yaml" in version_page


def test_the_innholdsredaktor_has_the_link_and_others_do_not(app, editor):
    assert 'href="/admin/innhold"' in editor.get("/admin/").text
    add_user(app, "counsellor", ["bosetting"], "4601")
    other = app.test_client()
    staff_login(other, "counsellor")
    assert 'href="/admin/innhold"' not in other.get("/admin/").text


def test_a_draft_shows_its_check_translations_and_diff_and_is_published_once(app, editor, tree):
    draft(tree)
    page = editor.get("/admin/innhold/kompass/2").text
    assert "Ingen feil." in page
    assert "How many years of school in all?" in page and "question school_years" not in page
    assert "Endringer fra versjon 1" in page
    assert re.search(r"\(nb\)</th>\s*<td[^>]*>0</td>\s*<td[^>]*>\d+</td>", page)  # nb: reviewed
    refused = post_publish(editor, 2)
    assert refused.status_code == 422 and rows(app, 2) == 0
    done = post_publish(editor, 2, confirm="yes")
    assert done.status_code == 303 and rows(app, 2) == 1
    [event] = publish_events(app)
    assert event.actor_username == "editor"
    assert event.details["version"] == 2 and event.details["questionnaire"] == "kompass"
    listed = editor.get("/admin/innhold").text
    assert re.search(
        r"Versjon 2</a></td>\s*<td>Publisert</td>\s*<td>[^<]+</td>\s*<td>editor</td>", listed
    )
    again = editor.post(
        "/admin/innhold/kompass/2/publiser",
        data={"csrf_token": token(editor), "confirm": "yes", "fingerprint": "x"},
    )
    assert again.status_code == 409 and "allerede publisert" in again.text
    assert rows(app, 2) == 1 and len(publish_events(app)) == 1


def test_new_respondents_get_the_version_published_from_the_ui(app, editor, tree):
    draft(tree)
    post_publish(editor, 2, confirm="yes")
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        assert app.extensions["kompass"].registry.active(session).version == 2
        assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_draft_that_fails_the_check_is_refused_with_its_errors(app, editor, tree):
    folder = draft(tree)
    edit(folder / "questionnaire.yaml", lambda data: data["sections"][0].update(requird=True))
    page = editor.get("/admin/innhold/kompass/2")
    assert page.status_code == 200 and "schema-extra_forbidden" in page.text
    assert 'name="fingerprint"' not in page.text
    refused = editor.post(
        "/admin/innhold/kompass/2/publiser",
        data={"csrf_token": token(editor), "confirm": "yes", "fingerprint": ""},
    )
    assert refused.status_code == 422 and "schema-extra_forbidden" in refused.text
    assert rows(app, 2) == 0 and publish_events(app) == []


def test_files_changed_after_the_page_was_shown_are_not_published(app, editor, tree):
    folder = draft(tree)
    page = editor.get("/admin/innhold/kompass/2")
    set_text(folder / "translations" / "en.yaml", EN_LABEL, "Changed while looking")
    refused = editor.post(
        "/admin/innhold/kompass/2/publiser",
        data={
            "csrf_token": token(editor),
            "confirm": "yes",
            "fingerprint": hidden(page.text, "fingerprint"),
        },
    )
    assert refused.status_code == 409 and rows(app, 2) == 0
    assert "Changed while looking" in refused.text


def test_a_publish_that_loses_the_race_says_so_and_makes_no_second_row(
    app, editor, tree, monkeypatch
):
    draft(tree)
    real_load = content.load

    def load_then_someone_else_publishes(session, registry, version):
        loaded = real_load(session, registry, version)
        if loaded.questionnaire is not None and version.state == content.DRAFT:
            with app.extensions["kompass"].sessions() as other:
                published.publish(other, loaded.questionnaire, tree / "kompass" / "2")
        return loaded

    page = editor.get("/admin/innhold/kompass/2")
    monkeypatch.setattr(content, "load", load_then_someone_else_publishes)
    refused = editor.post(
        "/admin/innhold/kompass/2/publiser",
        data={
            "csrf_token": token(editor),
            "confirm": "yes",
            "fingerprint": hidden(page.text, "fingerprint"),
        },
    )
    assert refused.status_code == 409 and "samtidig" in refused.text
    assert rows(app, 2) == 1 and publish_events(app) == []


def test_concurrent_publishes_of_one_version_publish_it_once(app, tree):
    """Two editors at once (each loads and freezes the draft, about a second): the race of a
    third or fourth is the same race, and the database's unique version is what decides it
    (test_publication_rules.py has the publisher that loses at its insert)."""
    draft(tree)
    state = app.extensions["kompass"]
    add_user(app, "editor", ["innholdsredaktor"], None)
    with app.app_context(), state.sessions() as session:
        version = content.find(session, tree, "kompass", "2")
        seen = content.load(session, state.registry, version).fingerprint
    count = 2
    barrier, outcomes = threading.Barrier(count), []

    def run():
        with app.app_context(), state.sessions() as session:
            user = session.scalars(select(User).where(User.username == "editor")).one()
            barrier.wait()
            try:
                content.publish(session, state.registry, version, seen, user)
                outcomes.append("ok")
            except content.PublishRefused:
                outcomes.append("refused")

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] + ["refused"] * (count - 1)
    assert rows(app, 2) == 1 and len(publish_events(app)) == 1


def test_the_preview_shows_two_languages_with_states_and_makes_no_response(app, editor, tree):
    folder = draft(tree)
    set_text(folder / "translations" / "nb.yaml", "questions.school_years.hint", "")
    edit(folder / "translations" / "nb.yaml", lambda d: d["questions"]["school_years"].pop("hint"))
    page = editor.get(
        "/admin/innhold/kompass/2/forhandsvisning?section=education&lang=nb&beside=ar"
    )
    assert page.status_code == 200
    html = page.text
    assert 'class="legend"' in html
    hint_row = re.search(r"<code>questions\.school_years\.hint</code></th>(.*?)</tr>", html, re.S)
    nb_cell, ar_cell = re.findall(
        r"<td class=\"text state-(\w+)\"><span lang=\"(\w+)\"", hint_row.group(1)
    )
    assert nb_cell == ("missing", "en") and ar_cell == ("machine", "ar")
    assert "Mangler</span>" in hint_row.group(1) and "Maskinoversatt</span>" in hint_row.group(1)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_the_diff_page_compares_any_two_versions(app, editor, tree):
    draft(tree, "A new label")
    page = editor.get("/admin/innhold/kompass/endringer?fra=1&til=2").text
    assert "A new label" in page and "text en" in page
    same = editor.get("/admin/innhold/kompass/endringer?fra=2&til=2").text
    assert "Ingen forskjeller." in same


HOSTILE_PATHS = [
    "/admin/innhold/kompass/3",
    "/admin/innhold/kompass/0",
    "/admin/innhold/kompass/-1",
    "/admin/innhold/kompass/01",
    "/admin/innhold/kompass/99999999999999999999999",
    "/admin/innhold/kompass/%D9%A1",
    "/admin/innhold/..%2F..%2Fetc/1",
    "/admin/innhold/../1",
    "/admin/innhold/Kompass/1",
    "/admin/innhold/codelists/1",
    "/admin/innhold/kompass/1/forhandsvisning?section=nope",
    "/admin/innhold/kompass/1/forhandsvisning?lang=xx",
    "/admin/innhold/kompass/1/forhandsvisning?beside=..%2F",
    "/admin/innhold/kompass/endringer?fra=1&til=99999999999999999999",
    "/admin/innhold/nope/endringer",
]


def test_hostile_ids_and_versions_are_not_found(editor):
    """Every path on one app and log-in: a GET changes nothing the next one reads, and an app
    per path cost about half a second each."""
    for path in HOSTILE_PATHS:
        assert editor.get(path).status_code == 404, path


def test_hostile_versions_cannot_be_published(app, editor):
    for version in ("99999999999999999999", "..", "1e3", "%2e%2e"):
        response = editor.post(
            f"/admin/innhold/kompass/{version}/publiser",
            data={"csrf_token": token(editor), "confirm": "yes"},
        )
        assert response.status_code == 404, version
