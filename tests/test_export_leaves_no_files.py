"""An export leaves nothing in the temporary folder: web or command line, made, refused,
failed, or a client gone in the middle of the download."""

import tempfile

import pytest

from engine.export.formats import csv_format
from tests.helpers import add_person
from tests.staff_helpers import add_user, staff_login, token
from tests.test_export import answered, download


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """The temporary folder every `tempfile` call uses during the test."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def analyst(app):
    for n in range(3):
        answered(app, add_person(app, f"20200000050{n}"))
    add_user(app, "analyst", ["analytiker"], None)
    client = app.test_client()
    staff_login(client, "analyst")
    return client


def left_in(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_web_export_leaves_nothing(analyst, scratch, fmt):
    response = download(analyst, format=fmt)
    assert response.status_code == 200 and response.data[:2] == b"PK"
    response.close()
    assert left_in(scratch) == []


def test_a_refused_web_export_leaves_nothing(analyst, scratch):
    assert download(analyst, format="csv", version="99").status_code == 422
    assert download(analyst, format="csv", language="zz").status_code == 200
    assert left_in(scratch) == []


def test_a_client_gone_mid_download_leaves_nothing(analyst, scratch):
    response = analyst.post(
        "/admin/eksport",
        data={"csrf_token": token(analyst), "format": "csv"},
        buffered=False,
    )
    first = next(iter(response.response))
    assert first[:2] == b"PK"
    assert left_in(scratch) == []
    response.close()
    assert left_in(scratch) == []


def test_a_web_export_that_fails_midway_leaves_nothing(analyst, scratch, monkeypatch):
    def broken(self, table, row):
        raise RuntimeError("disk full")

    monkeypatch.setattr(csv_format.CsvFormat, "write", broken)
    analyst.application.config["PROPAGATE_EXCEPTIONS"] = False
    assert download(analyst, format="csv").status_code == 500
    assert left_in(scratch) == []


def test_a_command_line_export_leaves_nothing(app, analyst, scratch, tmp_path, monkeypatch):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["export", "--format", "xlsx", "--out", str(tmp_path / "a.zip")])
    assert made.exit_code == 0, made.output
    refused = runner.invoke(
        args=["export", "--format", "csv", "--version", "99", "--out", str(tmp_path / "b.zip")]
    )
    assert refused.exit_code != 0 and "not published" in refused.output
    monkeypatch.setattr(csv_format.CsvFormat, "write", lambda *a: 1 / 0)
    failed = runner.invoke(args=["export", "--format", "csv", "--out", str(tmp_path / "c.zip")])
    assert isinstance(failed.exception, ZeroDivisionError)
    assert left_in(scratch) == []
