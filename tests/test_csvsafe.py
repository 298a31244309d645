"""Every CSV the project writes opens in a spreadsheet as data, never as a formula."""

import csv
import io

from auth.staff import audit
from engine.csvsafe import SafeWriter, neutralise


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
