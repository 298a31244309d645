"""Hostile workbooks and PO files given to `kompass translations import` are refused with a
clear error, quickly and in little memory (bounds measured loosely: CPU time and the peak of
Python's allocations)."""

import os
import resource
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl.xml
import pytest
import xlsxwriter

from engine.definition import upload_limits
from engine.translation.exchange import COLUMNS, read_file
from tests.test_translations import export_xlsx
from tests.translation_helpers import copy_tree, kompass

CPU_SECONDS, PEAK_BYTES = 10, 200_000_000
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 or "")) * 10}">' for n in range(1, 10))
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)


def xxe(secret: Path) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&xxe;</t></si></sst>'
    )


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    """A genuine export, to be made hostile part by part."""
    folder = tmp_path_factory.mktemp("export")
    return export_xlsx(copy_tree(folder), folder, "so")


def replaced(workbook: Path, out: Path, name: str, write) -> Path:
    """The workbook with the part `name` written by `write(stream)`."""
    with (
        zipfile.ZipFile(workbook) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member))
        with target.open(name, "w", force_zip64=True) as stream:
            write(stream)
    return out


def bounded(path: Path):
    """`read_file(path)`, asserting its CPU time and peak allocation stay within the bounds."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    tracemalloc.start()
    try:
        found = read_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < CPU_SECONDS and peak < PEAK_BYTES, (cpu, peak)
    return found


def codes(found) -> list[str]:
    return [error.code for error in found[2]]


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_a_sheet_that_unpacks_to_far_more_than_any_export_is_not_unpacked(workbook, tmp_path):
    def bomb(stream):
        stream.write(b'<?xml version="1.0"?>\n')
        for _ in range(60):
            stream.write(b" " * 1_000_000)
        stream.write(b"<worksheet/>")

    path = replaced(workbook, tmp_path / "bomb.xlsx", SHEET, bomb)
    assert path.stat().st_size < 1_000_000
    found = bounded(path)
    assert codes(found) == ["import-too-large"]
    assert "unpacks to 60,0" in found[2][0].message
    root = copy_tree(tmp_path)
    result = kompass(root, "translations", "import", str(path), "--write")
    assert result.exit_code == 1 and "[import-too-large]" in result.output
    assert "Traceback" not in result.output


def test_a_sheet_with_more_rows_than_any_version_is_refused(tmp_path):
    path = tmp_path / "rows.xlsx"
    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:
        sheet = book.add_worksheet("translations")
        sheet.write_row(0, 0, COLUMNS)
        for row in range(1, upload_limits.MAX_ROWS + 50):
            sheet.write_row(row, 0, (f"k{row}", "", "", "x", "machine"))
        book.add_worksheet("about").write_row(0, 0, ("language", "so"))
    found = bounded(path)
    limit = f"more than {upload_limits.MAX_ROWS} rows"
    assert codes(found) == ["import-too-large"] and limit in found[2][0].message


def test_billion_laughs_are_refused_as_unreadable(workbook, tmp_path):
    path = replaced(workbook, tmp_path / "laughs.xlsx", STRINGS, lambda s: s.write(LAUGHS.encode()))
    found = bounded(path)
    assert codes(found) == ["import-unreadable"] and "entities" in found[2][0].message


def test_an_external_entity_is_never_read(workbook, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    path = replaced(
        workbook, tmp_path / "xxe.xlsx", STRINGS, lambda s: s.write(xxe(secret).encode())
    )
    found = bounded(path)
    assert codes(found) == ["import-unreadable"] and "entities" in found[2][0].message
    assert "TOP-SECRET-VALUE" not in repr(found)


@pytest.mark.parametrize("suffix", [".po", ".xlsx"])
def test_a_file_larger_than_any_export_is_not_read(tmp_path, suffix):
    path = tmp_path / f"big{suffix}"
    path.write_bytes(b'msgid "x"\nmsgstr "y"\n' * (upload_limits.MAX_FILE_BYTES // 20 + 1))
    found = bounded(path)
    assert codes(found) == ["import-too-large"] and "at most 5,000,000" in found[2][0].message


def test_a_pipe_named_like_a_po_file_is_not_opened(tmp_path):
    pipe = tmp_path / "so.po"
    os.mkfifo(pipe)
    found = bounded(pipe)
    assert codes(found) == ["import-too-large"] and "not a regular file" in found[2][0].message
