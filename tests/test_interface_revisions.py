"""What a respondent reads is reproducible (issue 20 point 7): every interface catalogue text a
page was given is a recorded revision (whole, numbered per language, never changed or deleted),
a file that cannot be read is none, an editor's import is audited, serving an unchanged
catalogue asks nothing of the database, and `kompass interface history|show` give them back."""

import logging
from datetime import timedelta

import pytest
from babel.messages.pofile import read_po, write_po
from sqlalchemy import event, select, text
from sqlalchemy.exc import DBAPIError

from auth.staff.models import AuditEvent
from engine.app.cli import main
from engine.translation import interface_revisions
from engine.translation.catalogues import PoCatalogues
from engine.translation.interface_revisions import InterfaceRevision
from tests.translation_helpers import app_on_copy, copy_tree, kompass

CHANGED = "Ouvrir une session"
FRENCH, SHOWN = ">Se connecter<", f">{CHANGED}<"  # the log-in page's heading


@pytest.fixture
def root(tmp_path):
    return copy_tree(tmp_path)


@pytest.fixture
def app(published_database_url, root):
    """Version 1 published (the run's template) and served from `root`, a copy of the
    questionnaires whose catalogues a test may change: revisions are of the catalogue files,
    never of the published version, so publishing it again per test would add nothing."""
    application = app_on_copy(published_database_url, root)
    yield application
    application.extensions["kompass"].sessions.kw["bind"].dispose()


@pytest.fixture
def every_time(monkeypatch):
    """Look at the catalogue files at every request, not once a second."""
    monkeypatch.setattr(PoCatalogues, "RECHECK_SECONDS", 0)


def revisions(app, lang: str = "fr") -> list[tuple[int, str, str]]:
    with app.extensions["kompass"].sessions() as session:
        return [(r.number, r.origin, r.text) for r in interface_revisions.history(session, lang)]


def file_text(root, lang: str = "fr") -> str:
    return (root / "interface" / f"{lang}.po").read_text("utf-8")


def set_msgstr(root, msgid: str, value: str, lang: str = "fr") -> None:
    path = root / "interface" / f"{lang}.po"
    with path.open("rb") as stream:
        catalog = read_po(stream)
    catalog[msgid].string = value
    with path.open("wb") as stream:
        write_po(stream, catalog, width=76)


def login_page(app) -> str:
    return app.test_client().get("/fr/login").text


def test_a_page_records_the_catalogue_it_shows_and_each_change_is_a_revision(app, root, every_time):
    first = file_text(root)
    assert FRENCH in login_page(app)
    assert revisions(app) == [(1, "files", first)]
    set_msgstr(root, "Log in", CHANGED)
    page = login_page(app)
    assert SHOWN in page and FRENCH not in page
    login_page(app)
    assert revisions(app) == [(1, "files", first), (2, "files", file_text(root))]
    (root / "interface" / "fr.po").write_text(first, "utf-8")
    assert FRENCH in login_page(app)
    assert [(n, t == first) for n, _, t in revisions(app)] == [(1, True), (2, False), (3, True)]


def test_two_processes_serving_one_file_record_it_once(app, root, published_database_url):
    other = app_on_copy(published_database_url, root)
    assert FRENCH in login_page(app) and FRENCH in login_page(other)
    assert [number for number, _, _ in revisions(app)] == [1]
    other.extensions["kompass"].sessions.kw["bind"].dispose()


def test_an_unreadable_catalogue_is_no_revision_and_the_recorded_one_is_served(
    app, root, published_database_url, every_time, caplog
):
    assert FRENCH in login_page(app)
    (root / "interface" / "fr.po").write_text('Log in = Nope\nmsgid "Log in"\n', "utf-8")
    with caplog.at_level(logging.ERROR, logger="engine.translation.recorded_catalogues"):
        assert FRENCH in login_page(app)
    assert any("fr.po cannot be read" in r.getMessage() for r in caplog.records)
    restarted = app_on_copy(published_database_url, root)  # only the database has the catalogue
    assert FRENCH in login_page(restarted)
    assert [number for number, _, _ in revisions(app)] == [1]
    restarted.extensions["kompass"].sessions.kw["bind"].dispose()


def test_a_removed_catalogue_is_a_revision_too_and_the_page_shows_english(app, root, every_time):
    assert FRENCH in login_page(app)
    (root / "interface" / "fr.po").unlink()
    assert ">Log in<" in login_page(app)
    assert [(n, t) for n, _, t in revisions(app)][1:] == [(2, "")]


def test_serving_an_unchanged_catalogue_asks_nothing_of_the_database(app, every_time):
    login_page(app)
    statements = []
    engine = app.extensions["kompass"].sessions.kw["bind"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        for _ in range(3):
            assert FRENCH in login_page(app)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert [s for s in statements if "interface_revisions" in s] == []


def test_revisions_are_never_changed_or_deleted(app):
    login_page(app)
    with app.extensions["kompass"].sessions() as session:
        for statement in (
            "UPDATE interface_revisions SET text = 'other'",
            "DELETE FROM interface_revisions",
        ):
            with pytest.raises(DBAPIError):
                session.execute(text(statement))
            session.rollback()
        assert session.scalars(select(InterfaceRevision.text)).all() == [revisions(app)[0][2]]


def test_an_import_records_a_revision_and_the_audit_log_names_it(
    app, root, published_database_url, tmp_path
):
    out = tmp_path / "fr.po"
    target = ["--questionnaire", "kompass", "--version", "1", "--lang", "fr"]
    kompass(root, "translations", "export", *target, "--format", "po", "--out", str(out))
    with out.open("rb") as stream:
        catalog = read_po(stream)
    next(m for m in catalog if m.context == "interface:Log in").string = CHANGED
    with out.open("wb") as stream:
        write_po(stream, catalog)
    dry_run = kompass(root, "translations", "import", str(out), database_url=published_database_url)
    assert dry_run.exit_code == 0 and revisions(app) == []
    result = kompass(
        root, "translations", "import", str(out), "--write", database_url=published_database_url
    )
    assert result.exit_code == 0 and "Interface catalogue fr: revision 1." in result.output
    assert revisions(app) == [(1, "import", file_text(root))]
    with app.extensions["kompass"].sessions() as session:
        [audited] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "interface.import")
        ).all()
    assert audited.actor_username == "(command line)"
    assert audited.details == {"language": "fr", "revision": 1, "strings": 1}
    assert SHOWN in login_page(app) and len(revisions(app)) == 1


def test_a_review_records_a_revision_and_is_audited(app, root, published_database_url):
    args = ["translations", "review", "--questionnaire", "kompass", "--version", "1"]
    result = kompass(root, *args, "--lang", "fr", "--key", "interface:Log in",
                     database_url=published_database_url)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert revisions(app) == [(1, "review", file_text(root))]
    with app.extensions["kompass"].sessions() as session:
        actions = session.scalars(select(AuditEvent.action)).all()
    assert "interface.review" in actions


def test_db_upgrade_records_every_catalogue_once(app, root):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["db", "upgrade"])
    languages = sorted(path.stem for path in (root / "interface").glob("*.po"))
    for lang in languages:
        assert f"Interface catalogue {lang}: recorded as revision 1." in first.output
        assert revisions(app, lang) == [(1, "files", file_text(root, lang))]
    again = runner.invoke(args=["db", "upgrade"])
    assert again.exit_code == 0 and "Interface catalogue" not in again.output


def cli(app, *args):
    return app.test_cli_runner().invoke(main, list(args))


def test_history_and_show_give_back_each_revision_and_the_one_in_force(
    app, root, every_time, monkeypatch
):
    login_page(app)
    set_msgstr(root, "Log in", CHANGED)
    login_page(app)
    history = cli(app, "interface", "history", "fr")
    assert history.exit_code == 0
    assert [line.split()[:2] for line in history.output.splitlines()] == [
        ["revision", "1"],
        ["revision", "2"],
    ]
    (_, _, old), (_, _, new) = revisions(app)
    shown = cli(app, "interface", "show", "fr", "--revision", "1")
    assert shown.stdout == old and "revision 1" in shown.stderr
    with app.extensions["kompass"].sessions() as session:
        second = interface_revisions.find(session, "fr", 2).recorded_at
    later = (second + timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%S")
    assert cli(app, "interface", "show", "fr", "--at", later).stdout == new
    before = (second - timedelta(days=1)).strftime("%Y-%m-%d")
    assert cli(app, "interface", "show", "fr", "--at", before).exit_code != 0
    assert "no revision" in cli(app, "interface", "history", "xx").output


def test_show_says_when_the_previous_revision_may_still_have_been_shown(app, root):
    with app.extensions["kompass"].sessions() as session:
        interface_revisions.record(session, "fr", b"", "files")
        second = interface_revisions.record(session, "fr", file_text(root).encode(), "files")
    moment = second.revision.recorded_at + timedelta(seconds=1)
    shown = cli(app, "interface", "show", "fr", "--at", moment.strftime("%Y-%m-%dT%H:%M:%S"))
    assert "revision 2" in shown.stderr and "may still have shown revision 1" in shown.stderr
    assert "--revision N or --at" in cli(app, "interface", "show", "fr").output


def test_a_text_that_is_no_utf8_catalogue_is_refused(app):
    with app.extensions["kompass"].sessions() as session:
        for broken in (b'msgid "x\n', 'msgid ""\nmsgstr "\u00e9"\n'.encode("latin-1")):
            with pytest.raises(interface_revisions.RevisionRefused):
                interface_revisions.record(session, "fr", broken, "files")
    assert revisions(app) == []
