"""One export: read the responses batch by batch, write the chosen format, zip it with the
codebook, the data package and the change list between versions."""

import itertools
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pluggy
from sqlalchemy.orm import Session

from engine.app import deployment
from engine.export import layout as layouts
from engine.export import package, rows
from engine.export.formats import FORMATS
from engine.export.pseudonymise import GroupCheck, Pseudonymiser, TooFewAlike
from engine.versions import diff, frozen
from engine.versions.registry import QuestionnaireRegistry

ALREADY_COMPRESSED = frozenset({".xlsx", ".parquet"})


class ExportError(ValueError):
    """The export cannot be made as asked (unknown format, version not published)."""


class TooFewToExport(ExportError):
    """A pseudonymised export for someone who also sees identified events would single out a
    response (fewer than `min_group` alike)."""


@dataclass(frozen=True)
class Options:
    """`min_group` > 0 when the exporter also sees identified events (docs/privacy.md)."""

    criteria: rows.Criteria
    format: str
    identifiable: bool = False
    min_group: int = 0


@dataclass
class Summary:
    rows: dict[str, int]
    versions: list[int]

    @property
    def responses(self) -> int:
        return self.rows.get(layouts.RESPONSES, 0)


def export(
    session: Session,
    registry: QuestionnaireRegistry,
    hooks: pluggy.HookRelay,
    options: Options,
    out: Path | BinaryIO,
    pseudonym_key: str,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Write the export to `out` (a ZIP file's path or an open file) and say how many rows each
    table got. The files it is made of live in a temporary folder removed on any outcome."""
    if options.format not in FORMATS:
        raise ExportError(f"unknown format {options.format!r}; use one of {', '.join(FORMATS)}")
    questionnaires = [registry.get(session, i) for i in options.criteria.version_ids.values()]
    if not questionnaires or None in questionnaires:
        raise ExportError("no published version to export")
    layout = layout_of(questionnaires, hooks, options.identifiable)
    check = GroupCheck.of(linkable(layout), options.min_group)
    with tempfile.TemporaryDirectory() as folder:
        counts = _write(session, hooks, options, layout, Path(folder), pseudonym_key, progress,
                        check)  # fmt: skip
        try:
            check.verify()
        except TooFewAlike as exc:
            raise TooFewToExport(str(exc)) from exc
        package.write_changes(Path(folder), changes_between(questionnaires))
        _zip(Path(folder), out)
    return Summary(dict(counts), layout.versions)


def layout_of(questionnaires: list, hooks: pluggy.HookRelay, identifiable: bool):
    """The tables of an export of these versions, with the plugins' columns
    (`kompass_export_columns`, found in SQL through `kompass_export_joins`), labelled in the
    deployment's label languages; built once and kept in the newest version's memo."""
    extra = [c for part in hooks.kompass_export_columns(identifiable=identifiable) for c in part]
    joins = [j for part in hooks.kompass_export_joins(identifiable=identifiable) for j in part]
    languages = tuple(deployment.label_languages())
    newest = max(questionnaires, key=lambda q: q.version)
    key = ("export layout", tuple(sorted(q.version for q in questionnaires)), identifiable,
           languages, tuple(c.name for c in extra))  # fmt: skip
    return newest.memo.get(key, lambda: layouts.build(
        questionnaires, extra, languages, pseudonymised=not identifiable, joins=joins
    ))  # fmt: skip


def linkable(layout: layouts.Layout) -> list[str]:
    """The response columns an identified event log could be matched with, beyond the facts."""
    return [c.name for c in layout.tables[0].columns if c.linkable]


def shown_as(identifiable: bool, key: str, min_group: int) -> rows.Shown:
    """How an export shows persons and facts: as stored, or pseudonymised (docs/privacy.md)."""
    if identifiable:
        return rows.Identified()
    return Pseudonymiser(key, deployment.time_zone(), min_group)


def subject_values(session: Session, hooks: pluggy.HookRelay, identifiable: bool):
    """What the plugins add to each response's row (`kompass_export_values`), by subject."""

    def values(subjects: list[str]) -> dict:
        merged: dict[str, dict] = {}
        for part in hooks.kompass_export_values(
            session=session, subjects=subjects, identifiable=identifiable
        ):
            for subject, found in part.items():
                merged.setdefault(subject, {}).update(found)
        return merged

    return values


def changes_between(questionnaires: list) -> list[dict]:
    """The editors' diff between each version and the next, oldest first."""
    ordered = sorted(questionnaires, key=lambda q: q.version)
    return [
        {"from": old.version, "to": new.version,
         "changes": diff.as_json(diff.diff(frozen.freeze(old), frozen.freeze(new)))}
        for old, new in itertools.pairwise(ordered)
    ]  # fmt: skip


def _write(session, hooks, options, layout, folder: Path, key: str, progress, check) -> Counter:
    writer = FORMATS[options.format](folder, layout)
    counts: Counter = Counter()
    shown = shown_as(options.identifiable, key, options.min_group)
    values = subject_values(session, hooks, options.identifiable)
    for table, row in rows.stream(session, layout, options.criteria, values, shown):
        writer.write(table, row)
        counts[table] += 1
        if table == layouts.RESPONSES:
            check.add(row)
            if progress is not None:
                progress(1)
    files = writer.close()
    package.write_codebook(folder, layout)
    package.write_datapackage(folder, layout, files, options.format)
    return counts


def _zip(folder: Path, out: Path | BinaryIO) -> None:
    """Files that are compressed already (XLSX, Parquet) are stored; the rest is deflated at
    level 1, which is several times faster than the default and costs little in size."""
    with zipfile.ZipFile(out, "w") as archive:
        for file in sorted(folder.iterdir()):
            if file.suffix in ALREADY_COMPRESSED:
                archive.write(file, file.name, compress_type=zipfile.ZIP_STORED)
            else:
                archive.write(file, file.name, zipfile.ZIP_DEFLATED, compresslevel=1)
