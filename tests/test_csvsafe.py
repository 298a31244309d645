"""Every CSV the project writes opens in a spreadsheet as data, never as a formula."""

import csv
import io
import re

from adminui import downloads, statistics, views_statistics
from auth.staff import audit
from engine.app.config import PROJECT_ROOT
from engine.export import package
from engine.export.csvsafe import SafeWriter, neutralise
from engine.export.layout import Layout
from tests.conftest import csrf_token
from tests.staff_helpers import excel_rows


def test_formula_starts_are_neutralised_and_other_values_kept():
    out = io.StringIO()
    SafeWriter(out).writerow(["=1+1", "+47 999", "-x", "@SUM(A1)", "\tx", "Oslo", -5, 3.5, None])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [
        "'=1+1", "'+47 999", "'-x", "'@SUM(A1)", "'\tx", "Oslo", "-5", "3.5", ""
    ]  # fmt: skip
    assert neutralise("نص") == "نص"


def test_the_audit_export_neutralises_what_a_user_typed(app):
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        audit.record(session, "staff.login_failed", None, username='=HYPERLINK("http://x")')
        out = io.StringIO()
        audit.export_csv(session, audit.Filter(), out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["actor_username"] == '\'=HYPERLINK("http://x")'


HOSTILE = ['=HYPERLINK("http://evil.example")', "+47 cmd", "-2+3", "@SUM(A1)"]


def test_failed_logins_with_formula_names_reach_kompass_audit_export_only_as_hashes(app, tmp_path):
    """Names that are no account are kept as keyed hashes (issue 18), so no formula is left."""
    client = app.test_client()
    for username in HOSTILE:
        page = client.get("/admin/login").text
        client.post("/admin/login", data={"csrf_token": csrf_token(page), "username": username,
                                          "password": "wrong"})  # fmt: skip
    output = tmp_path / "audit.csv"
    result = app.test_cli_runner().invoke(args=["audit", "export", "--output", str(output)])
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8", newline="") as handle:
        names = [row["actor_username"] for row in csv.DictReader(handle)]
    assert len(names) == len(HOSTILE) and all(name.startswith("unknown:") for name in names)
    assert not any(name.lower() in output.read_text("utf-8").lower() for name in HOSTILE)


def test_the_statistics_csv_neutralises_labels(app):
    row = statistics.Row(HOSTILE[0], HOSTILE[1], "12")
    group = statistics.Group(HOSTILE[2], HOSTILE[3], [row], statistics.Row("", "Sum", "12"))
    table = views_statistics._download_table(statistics.Table("t", "T", "", [group]), "t")
    [_, line, _] = excel_rows(b"".join(downloads.csv_chunks(table)))
    assert line == ["'" + HOSTILE[2], "'" + HOSTILE[3], "'" + HOSTILE[0], "'" + HOSTILE[1], "12"]


def test_the_codebook_csvs_neutralise_labels(tmp_path, monkeypatch):
    monkeypatch.setattr(package, "codebook_rows", lambda layout: [HOSTILE])
    monkeypatch.setattr(package, "value_rows", lambda layout: [HOSTILE])
    for name in package.write_codebook(tmp_path, Layout("q", [1], [], ("en",))):
        rows = list(csv.reader((tmp_path / name).open(encoding="utf-8", newline="")))
        assert rows[1] == ["'" + value for value in HOSTILE]


def test_every_csv_writer_is_the_safe_one():
    """csv.writer and csv.DictWriter appear only inside engine/export/csvsafe.py."""
    writers = re.compile(r"csv\.(writer|DictWriter)\(")
    found = [
        path.relative_to(PROJECT_ROOT)
        for folder in ("adminui", "auth", "engine", "renderers", "api", "bench")
        for path in (PROJECT_ROOT / folder).rglob("*.py")
        if writers.search(path.read_text("utf-8"))
    ]
    assert [str(path) for path in found] == ["engine/export/csvsafe.py"]
