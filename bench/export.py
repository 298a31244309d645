"""`make bench`, part two: the analysts' export against the database's own dump of its rows.

For each database (SQLite in a temporary file; PostgreSQL in a throwaway database made through
the admin URL in KOMPASS_BENCH_DATABASE_URL, skipped with a note if unreachable) the benchmark
publishes version 1 of the Kompass questionnaire and inserts synthetic submitted responses
(answers generated from the version's frozen JSON Schema, a sample of them checked against it),
each by a person of a registry like a real one (`export_data.py`), growing the database through
the sizes. At each size it measures:

- the baselines: the export's rows (responses joined to their persons) dumped by the database's
  own tool (`psql` COPY to CSV; the `sqlite3` shell on SQLite), and read through SQLAlchemy with
  `yield_per`, nothing converted;
- for every format in `engine.export.formats.FORMATS` at run time: a whole `kompass export` as
  its own process (start to exit, and its peak resident memory), and a whole `run.export` in
  this process (ZIP with codebook and data package), then its tracemalloc peak in another run.

Targets, at the largest size: `kompass export` at 0.3× the dump's speed or better for CSV, JSON
Lines and Parquet, 0.2× for XLSX and SPSS, and every format's peak memory (resident and
tracemalloc) at most 1.2× that at the smallest size. A target missed prints FAIL but does not
fail the run; an export that raises does (non-zero exit), after the other results are kept.

Results: bench/results/export-full.json, or export-quick.json for `--quick` (SQLite only,
100 and 500 responses, `kompass export` as a process for CSV at 500 only; run by
`make test` through `python -m bench.run --quick`).
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
from sqlalchemy import Integer, cast, create_engine, func, insert, text
from sqlalchemy.exc import OperationalError

from auth.people.models import Person
from bench import export_data, export_processes
from engine.app import migrate, plugins
from engine.app.db import make_engine, throwaway_postgres
from engine.app.factory import create_app
from engine.export import rows
from engine.export.formats import FORMATS
from engine.export.run import Options, export
from engine.responses.respondent import INTERVIEW, SELF
from engine.responses.storage import SUBMITTED, Response
from engine.versions import published, publishing

QUESTIONNAIRE, VERSION, KEY = "kompass", 1, "bench"
SIZES = {"full": (10_000, 100_000), "quick": (100, 500)}  # quick: proves it runs
DATABASES = {"full": ("sqlite", "postgresql"), "quick": ("sqlite",)}
ADMIN_URL_ENV = "KOMPASS_BENCH_DATABASE_URL"
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BASELINE_RUNS = 3  # baselines are the best of these runs; exports of --runs (default 1)
SPEED_TARGETS = {"csv": 0.3, "jsonl": 0.3, "parquet": 0.3, "xlsx": 0.2, "sav": 0.2}
MEMORY_TARGET = 1.2
TARGETS = {"speed_ratio_to_dump_at_least": SPEED_TARGETS, "memory_ratio_at_most": MEMORY_TARGET}
QUICK_TARGETS = "not judged: the quick sizes fit in one 1,000-row batch"
CHUNK = 5_000
CHECKED_PER_CHUNK = 50
SEED = 2025
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
MIB = 1024 * 1024
RESULTS = Path(__file__).parent / "results"


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
        self.url = url
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": KEY, "EXPORT_PSEUDONYM_KEY": KEY})
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
        self.generator = export_data.AnswerGenerator(schema, self.rng)
        self.validator = jsonschema.Draft202012Validator(schema)
        with self.engine.begin() as connection:
            self.registry = export_data.Registry(connection, self.rng)
        self.criteria = rows.Criteria(QUESTIONNAIRE, {VERSION: self.version_id})
        self.count = 0

    def grow(self, size: int) -> None:
        """Insert persons and their responses until there are `size`, in chunks, checking a
        sample of each."""
        while self.count < size:
            last = min(self.count + CHUNK, size)
            chunk = [self._response(n) for n in range(self.count + 1, last + 1)]
            for values in chunk[:CHECKED_PER_CHUNK]:
                self.validator.validate(values["answers"])
            with self.engine.begin() as connection:
                export_data.insert_persons(connection, self.registry.persons(self.count + 1, last))
                connection.execute(insert(Response.__table__), chunk)
            self.count = last
        if self.engine.dialect.name == "postgresql":
            self._vacuum()

    def _vacuum(self) -> None:
        """VACUUM ANALYZE the tables, outside a transaction: on a connection of its own (the
        app's pool hands out connections whose ping already began one)."""
        own = create_engine(self.engine.url, isolation_level="AUTOCOMMIT")
        with own.connect() as connection:
            for table in (Response.__tablename__, Person.__tablename__):
                connection.execute(text(f"VACUUM ANALYZE {table}"))
        own.dispose()

    def _response(self, number: int) -> dict:
        submitted = YEAR_START + timedelta(seconds=self.rng.randrange(365 * 24 * 3600))
        return {
            "subject": export_data.subject(number), "questionnaire_id": QUESTIONNAIRE,
            "version_id": self.version_id, "language": self.rng.choice(self.languages),
            "state": SUBMITTED, "answers": self.generator.answers(), "revision": 1,
            "mode": self.rng.choice((SELF, INTERVIEW)),
            "created_at": submitted - timedelta(minutes=self.rng.randint(10, 3 * 24 * 60)),
            "updated_at": submitted, "submitted_at": submitted,
        }  # fmt: skip

    def joined(self):
        """The export's rows: its responses with their persons' facts (as the database would
        join them best: by subject on PostgreSQL, by the person's id on SQLite)."""
        if self.engine.dialect.name == "postgresql":
            condition = Person.subject == Response.subject
        else:
            condition = Person.id == cast(func.substr(Response.subject, 8), Integer)
        return (
            rows.query(self.criteria)
            .add_columns(Person.municipality, Person.residence, Person.settled_on)
            .outerjoin(Person, condition)
        )

    def dump_seconds(self) -> float:
        """Seconds for the database's own tool to dump the rows (best of a few)."""
        return min(
            export_processes.dump(self.engine, self.joined()).seconds for _ in range(BASELINE_RUNS)
        )

    def read_rate(self) -> float:
        """Responses per second read through SQLAlchemy (best of a few), nothing converted."""
        return max(self._read_rate() for _ in range(BASELINE_RUNS))

    def _read_rate(self) -> float:
        gc.collect()
        with self.state.sessions() as session:
            start = time.perf_counter()
            result = session.execute(self.joined().execution_options(yield_per=rows.BATCH))
            count = sum(1 for record in result if record.answers is not None)  # touch each row
            return count / (time.perf_counter() - start)

    def process(self, fmt: str, runs: int) -> export_processes.Run:
        """A whole `kompass export` process (the fastest of `runs`)."""
        found = [
            export_processes.kompass_export(self.url, fmt, QUESTIONNAIRE, VERSION, KEY)
            for _ in range(runs)
        ]
        return min(found, key=lambda run: run.seconds)

    def export_rate(self, fmt: str, runs: int) -> dict:
        """Responses per second of a whole export in this process, and the ZIP's size."""
        found = [self._export(fmt) for _ in range(runs)]
        fastest = min(seconds for seconds, _ in found)
        return {"rows_per_s": round(self.count / fastest), "zip_mib": round(found[0][1] / MIB, 2)}

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
                             Options(self.criteria, fmt), out, KEY)  # fmt: skip
            seconds = time.perf_counter() - start
            if summary.responses != self.count:
                raise AssertionError(f"{summary.responses} of {self.count} responses exported")
            return seconds, out.stat().st_size


def measure(bench: Bench, size: int, plan: dict, failures: list[str]) -> dict:
    """The baselines and every format at one size."""
    bench.grow(size)
    dump, read = bench.dump_seconds(), bench.read_rate()
    found = {"dump_s": round(dump, 3), "dump_rows_per_s": round(size / dump),
             "read_rows_per_s": round(read), "formats": {}}  # fmt: skip
    for fmt in plan["formats"]:
        try:
            result = _format(bench, fmt, plan, process=size == plan["sizes"][-1] or plan["full"])
        except Exception as exc:
            traceback.print_exc()
            failures.append(f"{fmt} at {size} responses")
            result = {"error": f"{type(exc).__name__}: {exc}"}
        if "rows_per_s" in result:
            result["read_ratio"] = round(result["rows_per_s"] / read, 3)
        if "process_s" in result:
            result["dump_ratio"] = round(dump / result["process_s"], 3)
            result["dump_cpu_ratio"] = round(dump / result["process_cpu_s"], 3)
        found["formats"][fmt] = result
    return found


def _format(bench: Bench, fmt: str, plan: dict, process: bool) -> dict:
    """One format: in this process, then (`process`; in quick runs CSV only) as a process."""
    result = bench.export_rate(fmt, plan["runs"]) | {"peak_mib": bench.export_peak(fmt)}
    if process and (plan["full"] or fmt == "csv"):
        run = bench.process(fmt, plan["runs"])
        result |= {"process_s": round(run.seconds, 2), "process_cpu_s": run.cpu_s,
                   "process_rss_mib": run.peak_mib}  # fmt: skip
    return result


def verdicts(by_size: dict, sizes: tuple[int, ...], judged: bool) -> dict:
    """Per format: peak memory at the largest size ÷ at the smallest (tracemalloc and resident),
    and (judged) the targets."""
    small, large = by_size[sizes[0]]["formats"], by_size[sizes[-1]]["formats"]
    found = {}
    for fmt, result in large.items():
        if "error" in result or "error" in small.get(fmt, {"error": ""}):
            continue
        found[fmt] = {"memory_ratio": round(result["peak_mib"] / small[fmt]["peak_mib"], 2)}
        if "process_rss_mib" in small[fmt] and "process_rss_mib" in result:
            rss = result["process_rss_mib"] / small[fmt]["process_rss_mib"]
            found[fmt]["rss_ratio"] = round(rss, 2)
        if judged and "dump_ratio" in result:
            found[fmt]["speed"] = _pass(result["dump_ratio"] >= SPEED_TARGETS[fmt])
            worst = max(found[fmt]["memory_ratio"], found[fmt].get("rss_ratio", 0))
            found[fmt]["memory"] = _pass(worst <= MEMORY_TARGET)
    return found


def _pass(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def run_database(name: str, plan: dict, failures: list[str]) -> dict:
    sizes = plan["sizes"]
    try:
        with sqlite_database() if name == "sqlite" else postgres_database() as url:
            bench = Bench(url)
            try:
                by_size = {size: measure(bench, size, plan, failures) for size in sizes}
            finally:
                bench.engine.dispose()
    except Unreachable as exc:
        note = f"skipped, PostgreSQL unreachable: {exc}"
        print(f"{name}: {note}")
        return {"skipped": note}
    sizes_found = {str(size): found for size, found in by_size.items()}
    return {"sizes": sizes_found, "verdicts": verdicts(by_size, sizes, plan["full"])}


def table(name: str, report: dict, sizes: tuple[int, ...]) -> str:
    """One database's results as text: a line per size and format, then the targets."""
    if "skipped" in report:
        return f"{name}: {report['skipped']}"
    lines = [f"{name}: size, format, process s, ÷dump, RSS MiB | in-process rows/s, ÷read, "
             "peak MiB"]  # fmt: skip
    for size in sizes:
        found = report["sizes"][str(size)]
        lines.append(f"{size:>8,} dump {found['dump_s']:.2f} s, read "
                     f"{found['read_rows_per_s']:,} rows/s")  # fmt: skip
        for fmt, result in found["formats"].items():
            lines.append(f"{'':>8} {fmt:<8}{_cells(result)}")
    for fmt, verdict in report["verdicts"].items():
        lines.append(f"{fmt:<8} memory × {verdict['memory_ratio']}, RSS × "
                     f"{verdict.get('rss_ratio', '–')}  speed {verdict.get('speed', '–')}, "
                     f"memory {verdict.get('memory', '–')}")  # fmt: skip
    return "\n".join(lines)


def _cells(result: dict) -> str:
    if "error" in result:
        return "ERROR"
    process = f"{'–':>23}"
    if "process_s" in result:
        process = (f"{result['process_s']:>8.2f}{result['dump_ratio']:>7.2f}"
                   f"{result['process_rss_mib']:>8.0f}")  # fmt: skip
    return (
        f"{process} | {result['rows_per_s']:>8,}{result['read_ratio']:>7.2f}"
        f"{result['peak_mib']:>9.2f}"
    )


def run(mode: str, sizes=None, databases=None, formats=None, runs: int = 1) -> None:
    """Run the export benchmark; exit non-zero if any export raised."""
    plan = {"full": mode == "full", "sizes": tuple(sizes or SIZES[mode]), "runs": runs,
            "formats": [f for f in FORMATS if not formats or f in formats]}  # fmt: skip
    failures: list[str] = []
    report = {
        "mode": mode,
        "responses": list(plan["sizes"]),
        "targets": TARGETS if plan["full"] else QUICK_TARGETS,
        "databases": {
            name: run_database(name, plan, failures) for name in databases or DATABASES[mode]
        },
    }
    report["failures"] = failures
    RESULTS.mkdir(exist_ok=True)
    name = f"export-{mode}.json"
    if sizes or databases:  # a partial run keeps the full results
        parts = [*(databases or DATABASES[mode]), *map(str, plan["sizes"])]
        name = f"export-{'-'.join(parts)}.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Export benchmark ({mode}); ÷dump = dump seconds ÷ process seconds; ÷read = rows/s ÷")
    print(f"SQLAlchemy read rows/s. Targets: {report['targets']}")
    for name, found in report["databases"].items():
        print(f"\n{table(name, found, plan['sizes'])}")
    if failures:
        raise SystemExit(f"export benchmark: these exports raised: {', '.join(failures)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="SQLite, 100 and 500 responses")
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(n) for n in s.split(",")],
        help="e.g. 10000,100000 (results then in export-partial.json)",
    )
    parser.add_argument("--databases", type=lambda s: s.split(","), help="sqlite,postgresql")
    parser.add_argument("--formats", type=lambda s: s.split(","), help="e.g. csv,sav")
    parser.add_argument("--runs", type=int, default=1, help="exports timed per format (best)")
    args = parser.parse_args()
    run("quick" if args.quick else "full", args.sizes, args.databases, args.formats, args.runs)


if __name__ == "__main__":
    main()
