"""Each test's database (tests/conftest.py, tests/postgres_reset.py) starts from exactly the
template's rows, or none, whatever the test before it wrote; ids start again as they did."""

import hashlib
from pathlib import Path

from sqlalchemy import delete, select, update

from engine.app.db import Base
from engine.versions.audio_store import StoredClip
from tests.conftest import fresh_database, published_copy, serving
from tests.helpers import add_person


def _contents(url: str) -> dict[str, list[str]]:
    """Every table's rows, each as a digest, in a stable order."""
    for app in serving(url):
        with app.extensions["kompass"].sessions() as session:
            return {
                table.name: sorted(
                    hashlib.sha256(repr(tuple(row)).encode()).hexdigest()
                    for row in session.execute(select(table))
                )
                for table in Base.metadata.sorted_tables
            }


def _scribble(url: str) -> int:
    """A new person, and the template's audio clips changed and cut: the new person's id."""
    for app in serving(url):
        person = add_person(app)
        with app.extensions["kompass"].sessions() as session:
            first, second = session.scalars(select(StoredClip.hash).limit(2)).all()
            session.execute(update(StoredClip).where(StoredClip.hash == first).values(data=b"x"))
            session.execute(delete(StoredClip).where(StoredClip.hash == second))
            session.commit()
        return person


def _folder(parent: Path, name: str) -> Path:
    (parent / name).mkdir()
    return parent / name


def test_a_published_copy_has_the_templates_rows_and_none_of_the_test_before(
    published_template, tmp_path
):
    first = published_copy(published_template, _folder(tmp_path, "first"))
    template_rows = _contents(first)
    person = _scribble(first)
    second = published_copy(published_template, _folder(tmp_path, "next"))
    assert _contents(second) == template_rows
    assert template_rows["questionnaire_audio"] and template_rows["questionnaire_versions"]
    assert _scribble(second) == person


def test_a_fresh_database_has_no_rows_of_the_test_before(
    migrated_database, published_template, tmp_path
):
    person = _scribble(published_copy(published_template, tmp_path))
    fresh = fresh_database(migrated_database, _folder(tmp_path, "fresh"))
    assert not any(_contents(fresh).values())
    for app in serving(fresh):
        assert add_person(app) == person == 1
