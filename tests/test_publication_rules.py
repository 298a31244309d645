"""Publishing and serving versions, rule by rule: which rows count as published, which is the
newest, what publishing again does, and what the registry serves (issue 18 point 10)."""

import logging
import shutil

import pytest

from engine.app import serve
from engine.versions import audio_store, frozen, published
from engine.versions import registry as registry_module
from engine.versions.registry import QuestionnaireRegistry
from tests.conftest import publish


def add_rows(app, *rows: tuple[str, int, str | None]) -> dict[tuple[str, int], int]:
    """Rows (questionnaire, version, fingerprint or None for reserved); their ids."""
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        made = [
            published.PublishedVersion(questionnaire_id=q, version=v, fingerprint=f)
            for q, v, f in rows
        ]
        session.add_all(made)
        session.commit()
        return {(row.questionnaire_id, row.version): row.id for row in made}


def sessions(app):
    return app.extensions["kompass"].sessions()


def test_only_versions_with_a_fingerprint_are_published_in_order(unpublished_app):
    ids = add_rows(unpublished_app, ("other", 2, "f"), ("other", 1, "f"), ("kompass", 3, None),
                   ("kompass", 2, "f"), ("kompass", 1, "f"), ("another", 5, "f"))  # fmt: skip
    with sessions(unpublished_app) as session:
        listed = [(r.questionnaire_id, r.version) for r in published.published_versions(session)]
        mine = [r.version for r in published.published_versions(session, "kompass")]
        found = published.find(session, "kompass", 2)
        assert published.find(session, "kompass", 3).is_published is False
        assert published.find(session, "kompass", 4) is None
    assert listed == [("another", 5), ("kompass", 1), ("kompass", 2), ("other", 1), ("other", 2)]
    assert mine == [1, 2]
    assert found.id == ids[("kompass", 2)] and found.is_published


def test_the_newest_version_is_the_highest_published_one_of_that_questionnaire(unpublished_app):
    ids = add_rows(unpublished_app, ("kompass", 1, "f"), ("kompass", 2, "f"),
                   ("kompass", 3, None), ("other", 9, "f"))  # fmt: skip
    with sessions(unpublished_app) as session:
        assert published.newest_id(session, "kompass") == ids[("kompass", 2)]
        assert published.newest_id(session, "other") == ids[("other", 9)]
        assert published.newest_id(session, "none") is None


def test_publishing_stores_the_frozen_version_once(unpublished_app):
    first = publish(unpublished_app, "kompass", 1)
    assert first.new is True
    row = first.row
    assert row.is_published and row.published_at is not None
    assert row.content["content"] and row.json_schema["$id"].endswith(":kompass:1")
    assert row.codebook["variables"] and "questionnaire.yaml" in row.files
    assert row.fingerprint == frozen.fingerprint(row.content)
    again = publish(unpublished_app, "kompass", 1)
    assert again.new is False
    assert again.row.fingerprint == row.fingerprint
    with sessions(unpublished_app) as session:
        assert len(published.published_versions(session)) == 1
    assert clips(unpublished_app, 1) > 0


def clips(app, version: int) -> int:
    with sessions(app) as session:
        return len(session.scalars(audio_store._hashes("kompass", version)).all())


def test_a_reserved_version_is_filled_with_its_audio_when_published(unpublished_app):
    ids = add_rows(unpublished_app, ("kompass", 1, None), ("kompass", 2, None))
    publication = publish(unpublished_app, "kompass", 1)
    assert publication.new is True
    assert publication.row.id == ids[("kompass", 1)]
    with sessions(unpublished_app) as session:
        [row] = published.published_versions(session)
        assert row.content is not None and row.codebook is not None
        assert published.find(session, "kompass", 2).is_published is False  # left reserved
    assert clips(unpublished_app, 1) > 0


def test_other_content_for_a_published_version_is_refused(unpublished_app):
    add_rows(unpublished_app, ("kompass", 1, "another fingerprint"))
    with pytest.raises(published.PublishedVersionChanged) as refused:
        publish(unpublished_app, "kompass", 1)
    assert refused.value.args == ("kompass", 1)  # which version, in a log or traceback


def registry_of(app) -> QuestionnaireRegistry:
    return app.extensions["kompass"].registry


def test_the_registry_serves_a_published_version_thawed_once(app):
    registry = registry_of(app)
    with sessions(app) as session:
        version_id = published.find(session, "kompass", 1).id
        served = registry.get(session, version_id)
        assert (served.id, served.version) == ("kompass", 1)
        assert registry.get(session, version_id) is served
        assert registry.active(session) is served
        assert registry.newest_id(session) == version_id
        assert registry.newest_id(session, "kompass") == version_id
        assert registry.newest_id(session, "other") is None


def test_the_registry_serves_nothing_unpublished_unknown_or_broken(unpublished_app, caplog):
    registry = registry_of(unpublished_app)
    ids = add_rows(unpublished_app, ("kompass", 1, None), ("kompass", 2, "f"))
    with sessions(unpublished_app) as session:
        assert registry.active(session) is None  # version 2 cannot be thawed
        session.get(published.PublishedVersion, ids[("kompass", 2)]).content = {"format": 0}
        session.commit()
        with caplog.at_level(logging.ERROR):
            assert registry.get(session, ids[("kompass", 2)]) is None
        assert registry.get(session, ids[("kompass", 1)]) is None
        assert registry.get(session, 999) is None
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors[-1] == (
        "questionnaire kompass version 2 cannot be served: "
        "stored questionnaire cannot be read: KeyError"
    )


def test_the_registry_reads_the_newest_version_of_its_own_questionnaire(unpublished_app):
    ids = add_rows(unpublished_app, ("kompass", 1, "f"), ("other", 2, "f"))
    with sessions(unpublished_app) as session:
        assert registry_of(unpublished_app).newest_id(session) == ids[("kompass", 1)]


def test_unchanged_files_give_no_warning(app, caplog):
    registry = registry_of(app)
    fresh = QuestionnaireRegistry(registry.types, registry.active_id, registry.files_root)
    with sessions(app) as session, caplog.at_level(logging.WARNING):
        assert fresh.active(session) is not None
        assert fresh.changed_files_warnings(session) == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert serve.version_warnings(app) == []


def test_a_thaw_reads_no_file_of_the_questionnaires_folder(app, monkeypatch):
    """A new worker's first page thaws from the database alone: the folder's files are compared
    with what was published when `make serve` starts, not per thaw."""
    registry = registry_of(app)
    fresh = QuestionnaireRegistry(registry.types, registry.active_id, registry.files_root)
    monkeypatch.setattr(frozen, "file_hashes", _refused)
    monkeypatch.setattr(registry_module.THAWED, "get", lambda _key, make: make())
    with sessions(app) as session:
        assert fresh.active(session).version == 1


def _refused(*_):
    raise AssertionError("a thaw read the version's files")


def test_changed_files_are_named_at_start_and_the_frozen_version_served(app, tmp_path):
    registry = registry_of(app)
    folder = tmp_path / "kompass" / "1"
    shutil.copytree(registry.files_root / "kompass" / "1", folder)
    for name in ("translations/en.yaml", "translations/nb.yaml"):
        (folder / name).write_text("changed: true\n", "utf-8")
    moved = QuestionnaireRegistry(registry.types, registry.active_id, tmp_path)
    with sessions(app) as session:
        served = moved.active(session)
        warnings = moved.changed_files_warnings(session)
    assert served is not None and served.version == 1
    assert warnings == [
        "questionnaire kompass version 1: files differ from the published version "
        "(translations/en.yaml, translations/nb.yaml); serving the published content. "
        "Start a new version for changes: kompass questionnaire new-version kompass"
    ]
    app.extensions["kompass"].registry = moved
    assert serve.version_warnings(app) == [f"kompass serve: {warnings[0]}"]


@pytest.mark.parametrize("reserved", [False, True])
def test_a_publisher_that_lost_the_race_gets_the_other_ones_row(unpublished_app, monkeypatch,
                                                                reserved):  # fmt: skip
    """Another process inserts the row between our look-up and our insert: published already
    (then unchanged) or only reserved (then we fill it, with its audio)."""
    if reserved:
        add_rows(unpublished_app, ("kompass", 1, None))
    else:
        publish(unpublished_app, "kompass", 1)
    real_find, looked = published.find, []

    def find_after_the_other(session, questionnaire_id, version):
        looked.append(version)
        return None if len(looked) == 1 else real_find(session, questionnaire_id, version)

    monkeypatch.setattr(published, "find", find_after_the_other)
    publication = publish(unpublished_app, "kompass", 1)
    assert len(looked) == 2
    assert publication.new is reserved
    assert publication.row.is_published
    with sessions(unpublished_app) as session:
        assert len(published.published_versions(session)) == 1
    assert clips(unpublished_app, 1) > 0
