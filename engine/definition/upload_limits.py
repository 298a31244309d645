"""Limits on a translator's file, checked before it is parsed, so a hostile file (a ZIP bomb,
a huge sheet, a device instead of a file) is refused at once with a clear reason.

The ZIP directory's sizes bound what is unpacked: Python's zipfile never returns more of a
member than its directory entry says. XML is parsed through defusedxml (openpyxl uses it when
installed), which refuses entity declarations (billion laughs) and external entities."""

import zipfile
from pathlib import Path

MAX_FILE_BYTES = 5_000_000  # an export of every string of a version is a few hundred KB
MAX_UNPACKED_BYTES = 20_000_000
MAX_MEMBERS = 100
MAX_ROWS = 5_000  # rows of the sheet read; a version has a few hundred strings (Kompass: ~350)


def file_problem(path: Path) -> str | None:
    """Why the file is not read at all, or None."""
    if not path.is_file():
        return "not a regular file"
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"{size:,} bytes; at most {MAX_FILE_BYTES:,} are read"
    return None


def zip_problem(path: Path) -> str | None:
    """Why a workbook's ZIP is not unpacked (too many parts, too large unpacked), or None."""
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        return f"{len(members)} parts in the workbook; at most {MAX_MEMBERS}"
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        return f"it unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED_BYTES:,}"
    return None
