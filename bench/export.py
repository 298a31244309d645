"""`make bench`, part two: the analysts' export, in responses per second against a plain read.

For each database (SQLite in a temporary file; PostgreSQL in a throwaway database made through
the admin URL in KOMPASS_BENCH_DATABASE_URL, skipped with a note if unreachable) the benchmark
publishes version 1 of the Kompass questionnaire and inserts synthetic submitted responses
(answers generated from the version's frozen JSON Schema, a sample of them checked against it),
growing the database through the sizes. At each size it measures:

- the baseline: reading the export's rows from the database without converting them;
- for every format in `engine.export.formats.FORMATS` at run time: a whole `run.export` (ZIP
  with codebook and data package) in responses per second and as a ratio to the baseline, then,
  in a second run, its peak memory (tracemalloc: Python allocations only).

Targets, at the largest size: every streamed format at 0.3× the baseline or better, and its
peak memory at most 1.2× that at the smallest size (constant memory). `sav` collects its rows in
memory by design and is reported apart, without targets. A target missed prints FAIL but does
not fail the run; an export that raises does (non-zero exit), after the other results are kept.

Results: bench/results/export-full.json, or export-quick.json for `--quick` (SQLite only,
200 and 2,000 responses, run by `make test` through `python -m bench.run --quick`).
"""

import argparse
import gc
import json
import os
import random
import tempfile
import time
import traceback
import tracemalloc
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
from sqlalchemy import create_engine, insert, text
from sqlalchemy.exc import OperationalError

from engine.app import migrate, plugins
from engine.app.db import make_engine, throwaway_postgres
from engine.app.factory import create_app
from engine.export import rows
from engine.export.formats import FORMATS
from engine.export.run import Options, export
from engine.responses.entries import ENTRY_ID
from engine.responses.respondent import INTERVIEW, SELF
from engine.responses.storage import SUBMITTED, Response
from engine.versions import published, publishing

QUESTIONNAIRE, VERSION = "kompass", 1
SIZES = {"full": (10_000, 100_000), "quick": (200, 2_000)}
DATABASES = {"full": ("sqlite", "postgresql"), "quick": ("sqlite",)}
ADMIN_URL_ENV = "KOMPASS_BENCH_DATABASE_URL"
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
NOT_STREAMED = frozenset({"sav"})  # its library writes the whole file at once
BASELINE_RUNS, EXPORT_RUNS = 3, 2  # timings are the best of these runs
SPEED_TARGET, MEMORY_TARGET = 0.3, 1.2
TARGETS = {"speed_ratio_at_least": SPEED_TARGET, "memory_ratio_at_most": MEMORY_TARGET}
QUICK_TARGETS = "not judged: the quick sizes fit in two 1,000-row batches"
ANSWERED = 0.7  # the share of questions (and of rows, and of entries' questions) answered
MAX_ENTRIES = 3
CHUNK = 5_000
CHECKED_PER_CHUNK = 50
SEED = 2025
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
WORDS = (
    "snekker", "sykepleier", "lærer", "sjåfør", "kokk", "elektriker", "regnskap", "butikk",
    "Kabul", "Asmara", "Damaskus", "Kharkiv", "Mogadishu", "years", "work", "school", "helper",
    "مدرسة", "عمل", "مهندس", "школа", "работа", "ቤት", "ትምህርቲ", "kar", "xwendin", "shaqo",
)  # fmt: skip
MIB = 1024 * 1024
RESULTS = Path(__file__).parent / "results"


class AnswerGenerator:
    """Valid answers for a draft 2020-12 questionnaire schema, from a seeded `random.Random`."""

    def __init__(self, schema: dict, rng: random.Random):
        self.schema = schema
        self.rng = rng

    def answers(self) -> dict:
        return self._object(self.schema)

    def _object(self, schema: dict) -> dict:
        found = {}
        for name, part in schema["properties"].items():
            if name == ENTRY_ID:
                found[name] = f"{self.rng.getrandbits(64):016x}"
            elif self.rng.random() < ANSWERED:
                found[name] = self._value(part)
        return found

    def _value(self, schema: dict):
        if "enum" in schema:
            return self.rng.choice(schema["enum"])
        kind = schema.get("type")
        if kind == "object":
            return self._object(schema)
        if kind == "array":
            return self._array(schema)
        if kind == "integer":
            return self.rng.randint(schema.get("minimum", 0), schema.get("maximum", 100))
        if kind == "string":
            words = " ".join(self.rng.choices(WORDS, k=self.rng.randint(1, 12)))
            return words[: schema.get("maxLength", len(words))].strip() or WORDS[0]
        raise ValueError(f"the answer generator does not know this schema: {schema}")

    def _array(self, schema: dict) -> list:
        items = schema["items"]
        if "enum" in items:  # a multiple choice: unique values, at least one
            return self.rng.sample(items["enum"], self.rng.randint(1, min(3, len(items["enum"]))))
        count = self.rng.randint(0, min(MAX_ENTRIES, schema.get("maxItems", MAX_ENTRIES)))
        return [self._value(items) for _ in range(count)]


class Unreachable(Exception):
    """The PostgreSQL server cannot be reached; its part of the benchmark is skipped."""


@contextmanager
def sqlite_database():
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"


def postgres_database():
    """A throwaway PostgreSQL database, dropped afterwards; Unreachable if there is no server."""
    admin_url = os.environ.get(ADMIN_URL_ENV, ADMIN_URL)
    probe = create_engine(admin_url)
    try:
        with probe.connect():
            pass
    except OperationalError as exc:
        raise Unreachable(str(exc.orig).strip().splitlines()[0]) from exc
    finally:
        probe.dispose()
    return throwaway_postgres(admin_url, "kompass_bench")


class Bench:
    """One database: the app's state, the published version and the responses inserted so far."""

    def __init__(self, url: str):
        engine = make_engine(url)
        migrate.upgrade(engine, plugins.make_plugin_manager())
        engine.dispose()
        app = create_app(
            {"DATABASE_URL": url, "SECRET_KEY": "bench", "EXPORT_PSEUDONYM_KEY": "bench"}
        )
        self.app, self.state = app, app.extensions["kompass"]
        self.engine = self.state.sessions.kw["bind"]
        with self.state.sessions() as session:
            root = Path(app.config["KOMPASS_QUESTIONNAIRES_DIR"])
            types = self.state.registry.types
            version = publishing.publish_from_files(
                session, root, QUESTIONNAIRE, VERSION, types, self.state.registry.uses
            )
            session.commit()
            self.version_id = version.row.id
            schema = published.find(session, QUESTIONNAIRE, VERSION).json_schema
            self.languages = self.state.registry.get(session, self.version_id).languages()
        self.rng = random.Random(SEED)
        self.generator = AnswerGenerator(schema, self.rng)
        self.validator = jsonschema.Draft202012Validator(schema)
        self.criteria = rows.Criteria(QUESTIONNAIRE, {VERSION: self.version_id})
        self.count = 0

    def grow(self, size: int) -> None:
        """Insert responses until there are `size`, in chunks, checking a sample of each."""
        while self.count < size:
            chunk = [self._response(n) for n in range(self.count, min(self.count + CHUNK, size))]
            for values in chunk[:CHECKED_PER_CHUNK]:
                self.validator.validate(values["answers"])
            with self.engine.begin() as connection:
                connection.execute(insert(Response.__table__), chunk)
            self.count += len(chunk)
        if self.engine.dialect.name == "postgresql":
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text(f"VACUUM ANALYZE {Response.__tablename__}"))

    def _response(self, number: int) -> dict:
        submitted = YEAR_START + timedelta(seconds=self.rng.randrange(365 * 24 * 3600))
        return {
            "subject": f"person:{number + 1}", "questionnaire_id": QUESTIONNAIRE,
            "version_id": self.version_id, "language": self.rng.choice(self.languages),
            "state": SUBMITTED, "answers": self.generator.answers(), "revision": 1,
            "mode": self.rng.choice((SELF, INTERVIEW)),
            "created_at": submitted - timedelta(minutes=self.rng.randint(10, 3 * 24 * 60)),
            "updated_at": submitted, "submitted_at": submitted,
        }  # fmt: skip

    def baseline(self) -> float:
        """Responses per second read by the export's query (best of a few), nothing converted."""
        return max(self._read_rate() for _ in range(BASELINE_RUNS))

    def _read_rate(self) -> float:
        gc.collect()
        with self.state.sessions() as session:
            start = time.perf_counter()
            result = session.execute(
                rows.query(self.criteria).execution_options(yield_per=rows.BATCH)
            )
            count = sum(1 for record in result if record.answers is not None)  # touch each row
            return count / (time.perf_counter() - start)

    def export_rate(self, fmt: str) -> dict:
        """Responses per second of a whole export (best of a few), and the ZIP's size."""
        runs = [self._export(fmt) for _ in range(EXPORT_RUNS)]
        fastest = min(seconds for seconds, _ in runs)
        return {"rows_per_s": round(self.count / fastest), "zip_mib": round(runs[0][1] / MIB, 2)}

    def export_peak(self, fmt: str) -> float:
        """The tracemalloc peak of a whole export, in MiB."""
        tracemalloc.start()
        try:
            self._export(fmt)
            return round(tracemalloc.get_traced_memory()[1] / MIB, 2)
        finally:
            tracemalloc.stop()

    def _export(self, fmt: str) -> tuple[float, int]:
        """One whole export: (seconds, bytes of the ZIP). It must hold every response."""
        gc.collect()
        with (
            tempfile.TemporaryDirectory() as folder,
            self.app.app_context(),  # the export reads the app's time zone and label languages
            self.state.sessions() as session,
        ):
            out = Path(folder) / "export.zip"
            start = time.perf_counter()
            summary = export(session, self.state.registry, self.state.plugins.hook,
                             Options(self.criteria, fmt), out, "bench")  # fmt: skip
            seconds = time.perf_counter() - start
            if summary.responses != self.count:
                raise AssertionError(f"{summary.responses} of {self.count} responses exported")
            return seconds, out.stat().st_size


def measure(bench: Bench, size: int, failures: list[str]) -> dict:
    """The baseline and every format at one size."""
    bench.grow(size)
    baseline = bench.baseline()
    found = {"baseline_rows_per_s": round(baseline), "formats": {}}
    for fmt in FORMATS:
        try:
            result = bench.export_rate(fmt) | {"peak_mib": bench.export_peak(fmt)}
        except Exception as exc:
            traceback.print_exc()
            failures.append(f"{fmt} at {size} responses")
            result = {"error": f"{type(exc).__name__}: {exc}"}
        if "rows_per_s" in result:
            result["ratio"] = round(result["rows_per_s"] / baseline, 3)
        found["formats"][fmt] = result | {"streamed": fmt not in NOT_STREAMED}
    return found


def verdicts(by_size: dict, sizes: tuple[int, ...], judged: bool) -> dict:
    """Per format: peak memory at the largest size ÷ at the smallest, and (judged) the targets."""
    small, large = by_size[sizes[0]]["formats"], by_size[sizes[-1]]["formats"]
    found = {}
    for fmt, result in large.items():
        if "error" in result or "error" in small[fmt]:
            continue
        memory = round(result["peak_mib"] / small[fmt]["peak_mib"], 2)
        found[fmt] = {"memory_ratio": memory}
        if result["streamed"] and judged:
            found[fmt]["speed"] = _pass(result["ratio"] >= SPEED_TARGET)
            found[fmt]["memory"] = _pass(memory <= MEMORY_TARGET)
    return found


def _pass(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def run_database(name: str, sizes: tuple[int, ...], failures: list[str], judged: bool) -> dict:
    try:
        with sqlite_database() if name == "sqlite" else postgres_database() as url:
            bench = Bench(url)
            try:
                by_size = {size: measure(bench, size, failures) for size in sizes}
            finally:
                bench.engine.dispose()
    except Unreachable as exc:
        note = f"skipped, PostgreSQL unreachable: {exc}"
        print(f"{name}: {note}")
        return {"skipped": note}
    sizes_found = {str(size): found for size, found in by_size.items()}
    return {"sizes": sizes_found, "verdicts": verdicts(by_size, sizes, judged)}


def table(name: str, report: dict, sizes: tuple[int, ...]) -> str:
    """One database's results as text: a column group per size, then the targets."""
    if "skipped" in report:
        return f"{name}: {report['skipped']}"
    head = "".join(f"{f'{s:,} responses':>30}" for s in sizes)
    sub = "".join(f"{'rows/s':>10}{'ratio':>8}{'peak MiB':>12}" for _ in sizes)
    lines = [f"{name:<22}{head}", f"{'format':<22}{sub}{'memory ×':>10}  targets"]
    by_size = [report["sizes"][str(s)] for s in sizes]
    cells = "".join(f"{r['baseline_rows_per_s']:>10,}{'1':>8}{'–':>12}" for r in by_size)
    lines.append(f"{'baseline (plain read)':<22}{cells}")
    for streamed in (True, False):
        formats = [f for f in FORMATS if (f not in NOT_STREAMED) == streamed]
        if formats and not streamed:
            lines.append("not streamed (collects its rows in memory by design):")
        lines += [_format_line(fmt, by_size, report["verdicts"].get(fmt, {})) for fmt in formats]
    return "\n".join(lines)


def _format_line(fmt: str, by_size: list[dict], verdict: dict) -> str:
    cells = ""
    for result in (r["formats"][fmt] for r in by_size):
        if "error" in result:
            cells += f"{'ERROR':>30}"
        else:
            cells += (
                f"{result['rows_per_s']:>10,}{result['ratio']:>8.2f}{result['peak_mib']:>12.2f}"
            )
    memory = f"{verdict['memory_ratio']:>10.2f}" if verdict else f"{'–':>10}"
    targets = ""
    if "speed" in verdict:
        targets = (f"  speed ≥{SPEED_TARGET}× {verdict['speed']}, "
                   f"memory ≤{MEMORY_TARGET}× {verdict['memory']}")  # fmt: skip
    return f"{fmt:<22}{cells}{memory}{targets}"


def run(mode: str) -> None:
    """Run the export benchmark; exit non-zero if any export raised."""
    sizes, failures, judged = SIZES[mode], [], mode == "full"
    report = {
        "mode": mode,
        "responses": list(sizes),
        "targets": TARGETS if judged else QUICK_TARGETS,
        "not_streamed": sorted(NOT_STREAMED & set(FORMATS)),
        "databases": {
            name: run_database(name, sizes, failures, judged) for name in DATABASES[mode]
        },
    }
    report["failures"] = failures
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"export-{mode}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Export benchmark ({mode}): responses per second; ratio = export ÷ baseline;")
    print(f"memory × = peak at {sizes[-1]:,} ÷ peak at {sizes[0]:,}. Targets: {report['targets']}")
    for name, found in report["databases"].items():
        print(f"\n{table(name, found, sizes)}")
    if failures:
        raise SystemExit(f"export benchmark: these exports raised: {', '.join(failures)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="SQLite, 200 and 2,000 responses")
    run("quick" if parser.parse_args().quick else "full")


if __name__ == "__main__":
    main()
