"""The CSV export neutralises formulas per column (engine/export/formats/csv_format.py): every
text column a person can have typed is checked, every cell of it; numbers, times and columns
coded by values that cannot start a formula are left as they are."""

from dataclasses import replace

from engine.export import layout as layouts
from engine.export.formats.csv_format import CsvFormat, may_start_like_formula
from tests.test_export_criteria import LANGUAGES

VALUES = (("a", {"en": "A"}), ("b", {"en": "B"}))
TEXT = layouts.Column("text", layouts.STRING, "text")
CODED = layouts.Column("coded", layouts.STRING, "coded", values=VALUES)


def test_only_text_that_can_start_like_a_formula_is_checked():
    assert may_start_like_formula(TEXT)
    assert may_start_like_formula(layouts.Column("person", layouts.STRING))
    assert not may_start_like_formula(CODED)
    assert not may_start_like_formula(replace(CODED, summary=True))  # values joined by ";"
    assert may_start_like_formula(replace(CODED, partly_coded=True))  # text in some versions
    assert may_start_like_formula(replace(CODED, values=(*VALUES, ("-1", {"en": "None"}))))
    for kind in (layouts.INTEGER, layouts.BINARY, layouts.DATETIME):
        assert not may_start_like_formula(layouts.Column("n", kind, "n"))


def test_every_text_column_of_every_table_is_neutralised(tmp_path):
    minus = replace(CODED, name="minus", values=(("-1", {"en": "None"}),))
    main = layouts.Table("r", ("id",), [layouts.Column("id", layouts.INTEGER), CODED, TEXT, minus])
    entries = layouts.Table("e", ("id",), [TEXT, replace(TEXT, name="other")], parent="r")
    writer = CsvFormat(tmp_path, layouts.Layout("q", [1], [main, entries], LANGUAGES))
    writer.write("r", {"id": -5, "coded": "a", "text": "=1+1", "minus": "-1"})
    writer.write("e", {"text": "+47", "other": "@SUM(A1)"})
    writer.close()
    assert (tmp_path / "r.csv").read_text("utf-8").splitlines() == [
        "id,coded,text,minus", "-5,a,'=1+1,'-1",
    ]  # fmt: skip
    assert (tmp_path / "e.csv").read_text("utf-8").splitlines() == ["text,other", "'+47,'@SUM(A1)"]
