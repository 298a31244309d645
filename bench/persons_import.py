"""`kompass persons import` speed: N generated rows into a throwaway database, in rows/s.

`measure(rows)` imports a generated file twice into a fresh SQLite file (first all new persons,
then all updates) and into a throwaway PostgreSQL database, made as the export benchmark makes
its own (`KOMPASS_BENCH_DATABASE_URL`); without a server it says so and measures SQLite only.
Run alone: `python -m bench.persons_import 20000`.
"""

import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from auth.people import importer
from bench import export
from engine.app import migrate, plugins
from engine.app.db import make_engine, make_sessionmaker

HEADER = ",".join(importer.COLUMNS)


def generated_file(folder: Path, rows: int) -> Path:
    """A valid file of `rows` persons, half settled, half in one of 20 reception centres."""
    path = folder / "persons.csv"
    lines = [HEADER]
    for n in range(rows):
        duf = f"2020{n:08d}"
        if n % 2:
            lines.append(f"{duf},Navn{n},Navnesen,2000-01-01,kvinne,SY,4601,bosatt,,2025-01-01")
        else:
            lines.append(f"{duf},Navn{n},Navnesen,1990-05-17,mann,AF,0301,mottak,Mottak {n % 20},")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import_rate(url: str, path: Path, rows: int) -> dict[str, float]:
    engine = make_engine(url)
    migrate.upgrade(engine, plugins.make_plugin_manager())
    sessions = make_sessionmaker(engine)
    rates = {}
    for kind in ("new", "update"):
        started = time.perf_counter()
        with sessions() as session:
            report = importer.import_file(session, path, skip_invalid=False)
        assert not report.problems, report.problems[:3]
        rates[kind] = round(rows / (time.perf_counter() - started))
    engine.dispose()
    return rates


def measure(rows: int = 20_000) -> dict[str, dict[str, float]]:
    """Rows per second of importing `rows` new persons, then updating them, per database."""
    results = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = generated_file(folder, rows)
        for database, url in _each_database(folder):
            results[database] = _import_rate(url, path, rows)
    return results


def _each_database(folder: Path) -> Iterator[tuple[str, str]]:
    yield "sqlite", f"sqlite:///{folder / 'persons.sqlite3'}"
    try:
        database = export.postgres_database()
    except export.Unreachable as exc:
        print(f"persons import on PostgreSQL skipped: {exc}", file=sys.stderr)
        return
    with database as url:
        yield "postgresql", url


if __name__ == "__main__":
    print(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
