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
    extra = [c for part in hooks.kompass_export_columns(identifiable=options.identifiable)
             for c in part]  # fmt: skip
    joins = [j for part in hooks.kompass_export_joins(identifiable=options.identifiable)
             for j in part]  # fmt: skip
    layout = layouts.build(questionnaires, extra, deployment.label_languages(),
                           pseudonymised=not options.identifiable, joins=joins)  # fmt: skip
    check = GroupCheck.of([c.name for c in extra if c.linkable], options.min_group)
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
    shown = (
        rows.Identified()
        if options.identifiable
        else Pseudonymiser(key, deployment.time_zone(), options.min_group)
    )

    def subject_values(subjects: list[str]) -> dict:
        merged: dict[str, dict] = {}
        for part in hooks.kompass_export_values(
            session=session, subjects=subjects, identifiable=options.identifiable
        ):
            for subject, values in part.items():
                merged.setdefault(subject, {}).update(values)
        return merged

    for table, row in rows.stream(session, layout, options.criteria, subject_values, shown):
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
