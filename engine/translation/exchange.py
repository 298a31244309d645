"""The translator's round trip: export every string of a language to XLSX or PO, read it back,
check it, and turn it into changes (`translation_strings.Change`), reported string by string."""

import itertools
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from defusedxml import DefusedXmlException

from engine.definition import format_check, upload_limits
from engine.definition.error_catalogue import closest, editor_error
from engine.definition.errors import EditorError
from engine.questionnaire import richtext
from engine.translation.state import MACHINE, MISSING, OUTDATED, REVIEWED, SOURCE
from engine.translation.strings import INTERFACE, TranslatableString

COLUMNS = ("key", "where", "source", "translation", "state")
STATES = (MISSING, MACHINE, REVIEWED, OUTDATED, SOURCE)
ABOUT_KEYS = ("questionnaire", "version", "language")
PO_ABOUT = re.compile(r"kompass-translations: questionnaire=(\S+) version=(\d+) language=(\S+)")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
MAX_CELL = 5000


@dataclass(frozen=True)
class About:
    questionnaire: str
    version: int
    language: str


@dataclass(frozen=True)
class Row:
    """One string as the translator's file says it; `line` is its row or line in that file."""

    key: str
    translation: str
    state: str
    line: int


@dataclass(frozen=True)
class Edit:
    """A string the import changes: the text before and after, the state before and after."""

    key: str
    old: str
    new: str
    old_state: str
    new_state: str

    def __str__(self) -> str:
        text = f"{self.old!r} -> {self.new!r}" if self.old != self.new else f"{self.new!r}"
        return f"{self.key}: {text} ({self.old_state} -> {self.new_state})"


def export_xlsx(path: Path, about: About, strings: list[TranslatableString]) -> None:
    import xlsxwriter  # here, not at import: only this command needs it

    with xlsxwriter.Workbook(str(path), {"strings_to_formulas": False}) as workbook:
        sheet = workbook.add_worksheet("translations")
        bold = workbook.add_format({"bold": True})
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        sheet.write_row(0, 0, COLUMNS, bold)
        for row, string in enumerate(strings, start=1):
            values = (string.key, string.where, string.source, string.translation, string.state)
            sheet.write_row(row, 0, values, wrap)
        sheet.set_column(0, 1, 30)
        sheet.set_column(2, 3, 60)
        sheet.data_validation(1, 4, max(len(strings), 1), 4, _state_choices())
        sheet.freeze_panes(1, 0)
        about_sheet = workbook.add_worksheet("about")
        for row, key in enumerate(ABOUT_KEYS):
            about_sheet.write_row(row, 0, (key, str(getattr(about, key))))


def _state_choices() -> dict:
    return {"validate": "list", "source": [MACHINE, REVIEWED, OUTDATED, MISSING]}


def export_po(path: Path, about: About, strings: list[TranslatableString]) -> None:
    catalog = Catalog(
        header_comment=(
            f"# kompass-translations: questionnaire={about.questionnaire} "
            f"version={about.version} language={about.language}\n"
            "# Translate msgstr; remove the flag 'machine' or 'fuzzy' from a string you checked."
        ),
        fuzzy=False,
    )
    for string in strings:
        flags = {MACHINE: ["machine"], OUTDATED: ["fuzzy"]}.get(string.state, [])
        catalog.add(
            string.source,
            string.translation,
            context=string.key,
            auto_comments=[string.where, f"state: {string.state}"],
            flags=flags,
        )
    with path.open("wb") as stream:
        write_po(stream, catalog, width=76, omit_header=False)


def read_file(path: Path) -> tuple[About | None, list[Row], list[EditorError]]:
    """What a translator's file says, or the errors that make it unreadable (or too large to
    read: engine/definition/upload_limits.py)."""
    if path.suffix.lower() in (".po", ".xlsx") and (problem := upload_limits.file_problem(path)):
        return None, [], [editor_error("import-too-large", path, problem=problem)]
    if path.suffix.lower() == ".po":
        return _read_po(path)
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    return None, [], [editor_error("import-unreadable", path, problem="not .xlsx or .po")]


def _read_xlsx(path: Path) -> tuple[About | None, list[Row], list[EditorError]]:
    try:
        if problem := upload_limits.zip_problem(path):
            return None, [], [editor_error("import-too-large", path, problem=problem)]
        sheets = _sheets(path)
    except TooManyRows as exc:
        return None, [], [editor_error("import-too-large", path, problem=str(exc))]
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError) as exc:
        return None, [], [editor_error("import-unreadable", path, problem=_unreadable(exc))]
    if "translations" not in sheets or "about" not in sheets:
        return None, [], [editor_error("import-unreadable", path, problem="a sheet is missing")]
    table = sheets["translations"]
    header = tuple(str(cell or "").strip() for cell in (table[0] if table else ()))
    if header[: len(COLUMNS)] != COLUMNS:
        columns = ", ".join(COLUMNS)
        return None, [], [editor_error("import-bad-header", path, line=1, columns=columns)]
    rows = [
        Row(str(r[0] or "").strip(), _cell(r[3]), _cell(r[4]).lower() or MISSING, number)
        for number, r in enumerate(table[1:], start=2)
        if r and r[0]
    ]
    return _about(path, dict((str(r[0]), r[1]) for r in sheets["about"] if r and r[0])), rows, []


def _unreadable(exc: BaseException) -> str:
    """Why openpyxl could not read it (it wraps defusedxml's refusal in a ValueError)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return f"the workbook's XML declares entities or a DTD ({type(cause).__name__})"
        cause = cause.__cause__ or cause.__context__
    return type(exc).__name__


class TooManyRows(ValueError):
    """A sheet has more rows than any version's strings."""


def _sheets(path: Path) -> dict[str, list[tuple]]:
    """The first columns of each sheet's rows, stopping past `MAX_ROWS`."""
    import openpyxl  # here, not at import: only this command needs it

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {sheet.title: _rows(sheet) for sheet in workbook}
    finally:
        workbook.close()


def _rows(sheet) -> list[tuple]:
    rows = list(
        itertools.islice(
            sheet.iter_rows(max_col=len(COLUMNS), values_only=True), upload_limits.MAX_ROWS + 1
        )
    )
    if len(rows) > upload_limits.MAX_ROWS:
        raise TooManyRows(f"the sheet {sheet.title!r} has more than {upload_limits.MAX_ROWS} rows")
    return rows


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _read_po(path: Path) -> tuple[About | None, list[Row], list[EditorError]]:
    try:
        with path.open("rb") as stream:
            catalog = read_po(stream, abort_invalid=True)
    except Exception as exc:  # Babel's PoFileError and decoding errors alike
        return None, [], [editor_error("import-unreadable", path, problem=str(exc)[:200])]
    match = PO_ABOUT.search(catalog.header_comment or "")
    about = match and {k: v for k, v in zip(ABOUT_KEYS, match.groups(), strict=True)}
    rows = [
        Row(message.context or "", message.string or "", _po_state(message), message.lineno)
        for message in catalog
        if message.id
    ]
    return _about(path, about or {}), rows, []


def _po_state(message) -> str:
    if not message.string:
        return MISSING
    if message.fuzzy:
        return OUTDATED
    return MACHINE if "machine" in message.flags else REVIEWED


def _about(path: Path, values: dict) -> About | None:
    try:
        return About(str(values["questionnaire"]), int(values["version"]), str(values["language"]))
    except (KeyError, TypeError, ValueError):
        return None


def check(
    path: Path, about: About, target: About, rows: list[Row], known: list[TranslatableString]
) -> list[EditorError]:
    """Everything that stops an import: wrong file, unknown keys, placeholders, markup."""
    if about != target:
        return [editor_error("import-wrong-target", path, found=_name(about), wanted=_name(target))]
    by_key = {string.key: string for string in known}
    errors, seen = [], set()
    for row in rows:
        string = by_key.get(row.key)
        if string is None:
            near = closest(row.key, by_key)
            errors.append(editor_error("import-unknown-key", path, row.key, row.line, near))
            continue
        if row.key in seen:
            errors.append(editor_error("import-duplicate-key", path, row.key, row.line))
        seen.add(row.key)
        errors += _row_errors(path, row, string)
    return errors


def _name(about: About) -> str:
    return f"{about.questionnaire} version {about.version}, language {about.language}"


def _row_errors(path: Path, row: Row, string: TranslatableString) -> list[EditorError]:
    errors = []
    if row.state not in STATES:
        allowed = ", ".join(STATES[:4])
        errors.append(
            editor_error(
                "import-bad-state", path, row.key, row.line, state=row.state, allowed=allowed
            )
        )
    if not row.translation:
        return errors
    if len(row.translation) > MAX_CELL:
        errors.append(editor_error("import-too-long", path, row.key, row.line, limit=MAX_CELL))
    wanted, found = (
        sorted(PLACEHOLDER.findall(string.source)),
        sorted(PLACEHOLDER.findall(row.translation)),
    )
    if wanted != found:
        errors.append(
            editor_error(
                "import-placeholders",
                path,
                row.key,
                row.line,
                wanted=" ".join(wanted) or "none",
                found=" ".join(found) or "none",
            )
        )
    elif reason := format_check.problem(string.source, row.translation, _formatted(string)):
        errors.append(editor_error("import-format", path, row.key, row.line, problem=reason))
    bad = richtext.problems(row.translation)
    if bad:
        errors.append(editor_error("import-markup", path, row.key, row.line, markup=", ".join(bad)))
    return errors


def _formatted(string: TranslatableString) -> bool:
    """Interface strings are %-formatted when shown; questionnaire texts never are."""
    return string.key.startswith(f"{INTERFACE}:")


def edits(rows: list[Row], known: list[TranslatableString]) -> list[Edit]:
    """The strings the file changes: a new text, or a string newly marked reviewed."""
    by_key = {string.key: string for string in known}
    found = []
    for row in rows:
        string = by_key[row.key]
        new_state = REVIEWED if row.state == REVIEWED else MACHINE
        if not row.translation or string.state == SOURCE:
            continue
        text_changed = row.translation != string.translation
        if text_changed or (new_state == REVIEWED and string.state != REVIEWED):
            found.append(
                Edit(row.key, string.translation, row.translation, string.state, new_state)
            )
    return found
