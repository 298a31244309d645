"""`make bench`: time the respondent's hot paths as ratios against a one-row endpoint.

Absolute times depend on the machine; the ratios show whether a change made pages or saving
slower relative to a minimal request that reads one row from the database in the same app
(registered here only, never in the product). Results go to bench/results/full.json
(`--quick`, run by `make test` to keep the benchmark alive: bench/results/quick.json), with a
typical mapping's PDFs in CPU seconds (`bench/pdfs.py`, goal under 1 s), the staff overview
with 1,000 and 10,000 persons (`bench/overview.py`), process start-up (`bench/startup.py`)
and, in full runs, `make serve` from its start to its first answers (`bench/serve_start.py`).
Then `kompass persons import` (`bench/persons_import.py`, rows per second, into the same
results file), the analysts' export (`bench/export.py`) and the OData feed (`bench/odata.py`);
bench/README.md explains them.
"""

import argparse
import json
import re
import statistics
import tempfile
import threading
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from auth.code_login import codes
from auth.people.models import Person
from bench import export, odata, pdfs, persons_import, serve_start, startup
from bench import overview as overview_bench
from engine.app import migrate, plugins
from engine.app.context import db_session
from engine.app.db import make_engine
from engine.app.factory import create_app
from engine.versions.published import PublishedVersion

ROUNDS = {"full": 200, "quick": 5}
IMPORT_ROWS = {"full": 100_000, "quick": 500}
WRONG_LOGINS = {"full": 50, "quick": 6}
RESULTS = Path(__file__).parent / "results"
BASELINE = "/bench/one-row"
SECTION = "/ar/form/personal?beside=nb"
ANSWERS = {"q.citizenship": "SY", "q.mother_tongue": "ar"}
BROWSER_ENCODING = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # as Chromium sends
NO_LOCKOUT = {"LOGIN_MAX_FAILURES": 1_000_000, "CLIENT_MAX_FAILURES": 1_000_000}


def _one_row():
    """The minimal endpoint: one row from the database, as small text."""
    version_id = db_session().scalars(select(PublishedVersion.id).limit(1)).first()
    return str(version_id)


def _app(folder: Path):
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    migrate.upgrade(make_engine(url), plugins.make_plugin_manager())
    settings = {"DATABASE_URL": url, "PASSWORD_HASH_COST": "fast", "SECRET_KEY": "bench"}
    app = create_app({**settings, **NO_LOCKOUT})
    app.add_url_rule(BASELINE, "bench_one_row", _one_row)
    return app


def _token(client, lang: str = "en") -> str:
    page = client.get(f"/{lang}/login").text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _logged_in_client(app):
    """The first demo person, logged in (`kompass demo` also publishes the questionnaire)."""
    demo = json.loads(app.test_cli_runner().invoke(args=["demo", "--json"]).output)
    person = demo["persons"][0]
    client = app.test_client()
    form = {"csrf_token": _token(client), "duf": person["duf"], "code": person["code"]}
    _expect(client.post("/en/login", data=form), 302)
    return client, person["duf"]


def _timed(action) -> tuple[float, float]:
    """Wall and CPU milliseconds of `action` (the test client runs the app in this thread)."""
    wall, cpu = time.perf_counter(), time.thread_time()
    action()
    return (time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def _median_ms(action, rounds: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds over `rounds` runs."""
    return _medians([_timed(action) for _ in range(rounds)])


def _p99(timings: list[float]) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def _save(client):
    """Time only the POST: the section page saved with "next" (revealed questions are sought)."""
    page = client.get(SECTION).text
    data = {name: _hidden(page, name) for name in ("csrf_token", "revision", "shown")}
    posted = {**data, **ANSWERS, "action": "next"}
    timing = _timed(lambda: _expect(client.post(SECTION, data=posted), 302))
    return timing


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def _expect(response, status: int):
    """A benchmark of an error page would measure the wrong thing."""
    if response.status_code != status:
        raise RuntimeError(f"{response.request.path}: {response.status_code}, not {status}")
    return response


def _code_check(app) -> dict:
    """CPU and wall time of checking one wrong code against a code made at "normal" cost."""
    with app.app_context():
        person = db_session().scalars(select(Person).order_by(Person.id.desc())).first()
        record = codes.create(db_session(), person, timedelta(days=7), "normal").record
        codes.matches(record, "WRONG1")  # warm-up
        cpu, wall = time.process_time(), time.perf_counter()
        codes.matches(record, "WRONG1")
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"cpu_ms": round(cpu * 1000, 2), "wall_ms": round(wall * 1000, 2)}


def _wrong_logins(app, count: int, logged_in_duf: str, failed: list) -> list[threading.Thread]:
    """`count` wrong log-ins, one thread each from its own client address, against persons
    whose codes were made at "normal" cost; any that does not end in the failure page (e.g.
    no database connection free within the pool's timeout) is added to `failed`."""
    with app.app_context():
        query = select(Person).where(Person.duf != logged_in_duf)
        targets = [p.duf for p in db_session().scalars(query)]
        for person in db_session().scalars(query):
            codes.create(db_session(), person, timedelta(days=7), "normal")

    def attempt(index: int):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"127.0.{index // 250}.{index % 250 + 1}"
        try:
            form = {"csrf_token": _token(client), "duf": targets[index % len(targets)]}
            _expect(client.post("/en/login", data={**form, "code": "WRONG1"}), 422)
        except Exception as exc:  # counted and reported: one failure does not end the run
            failed.append(type(exc).__name__)

    return [threading.Thread(target=attempt, args=(i,)) for i in range(count)]


def _under_wrong_logins(app, client, count: int, duf: str) -> dict:
    """Section pages timed while `count` wrong log-ins run in other threads."""
    failed = []
    threads = _wrong_logins(app, count, duf, failed)
    for thread in threads:
        thread.start()
    timings = []
    while any(thread.is_alive() for thread in threads) or len(timings) < 5:
        timings.append(_timed(lambda: client.get(SECTION))[0])
    for thread in threads:
        thread.join()
    return {
        "pages": len(timings),
        "p99_ms": _p99(timings),
        "median_ms": statistics.median(timings),
        "failed": len(failed),
    }


def _sizes(client) -> dict:
    plain = client.get(SECTION)
    packed = client.get(SECTION, headers=BROWSER_ENCODING)
    return {
        "bytes": len(plain.data),
        "bytes_sent_to_a_browser": len(packed.data),
        "encoding": packed.headers.get("Content-Encoding", "identity"),
    }


def measure(mode: str) -> dict:
    rounds = ROUNDS[mode]
    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder))
        client, duf = _logged_in_client(app)
        client.get(SECTION)  # warm-up: the version is thawed once per process
        baseline = _median_ms(lambda: _expect(client.get(BASELINE), 200), rounds)
        results = {
            "section page (personal, ar, beside nb)": _median_ms(
                lambda: _expect(client.get(SECTION), 200), rounds
            ),
            "section page, compressed for a browser": _median_ms(
                lambda: _expect(client.get(SECTION, headers=BROWSER_ENCODING), 200), rounds
            ),
            "review page": _median_ms(lambda: _expect(client.get("/en/form/review"), 200), rounds),
            "save a section (POST)": _medians([_save(client) for _ in range(rounds)]),
        }
        tracemalloc.start()
        client.get(SECTION)
        peak_kib = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
        sizes = _sizes(client)
        check = _code_check(app)
        contention = _under_wrong_logins(app, client, WRONG_LOGINS[mode], duf)
        typical_pdf = pdfs.measure(app, mode, baseline[1])
        staff_overview = overview_bench.measure(app, _median_ms, rounds, baseline)
    wall, cpu = baseline
    return {
        "baseline": {
            "name": f"GET {BASELINE} (one database row)",
            "median_ms": round(wall, 3),
            "median_cpu_ms": round(cpu, 3),
        },
        "ratios (CPU time)": {name: round(ms[1] / cpu, 2) for name, ms in results.items()},
        "ratios (wall time)": {name: round(ms[0] / wall, 2) for name, ms in results.items()},
        "median_ms": {name: round(ms[0], 3) for name, ms in results.items()},
        "median_cpu_ms": {name: round(ms[1], 3) for name, ms in results.items()},
        "section page size": sizes,
        "peak_kib_country_page": round(peak_kib),
        "one code check": check,
        f"section page during {WRONG_LOGINS[mode]} concurrent wrong log-ins": {
            "pages": contention["pages"],
            "p99_ms": round(contention["p99_ms"], 3),
            "p99_ratio": round(contention["p99_ms"] / wall, 2),
            "median_ratio": round(contention["median_ms"] / wall, 2),
            "log-ins that failed otherwise than wrong": contention["failed"],
        },
        "typical mapping's PDF (CPU)": typical_pdf,
        "process start-up": startup.measure(mode),
        "make serve start-up (PostgreSQL)": serve_start.measure()
        if mode == "full"
        else "full only",
        "staff overview, 1,000 and 10,000 persons in a municipality": staff_overview,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few rounds: proves it still runs")
    parser.add_argument("--rounds", type=int, help="rounds per measure (default: by mode)")
    parser.add_argument("--pages-only", action="store_true", help="skip persons import and export")
    parser.add_argument("--out", help="results file name in bench/results (default: by mode)")
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    if args.rounds:
        ROUNDS[mode] = args.rounds
    report = measure(mode)
    if not args.pages_only:
        report["persons import (rows/s)"] = {
            "rows": IMPORT_ROWS[mode],
            **persons_import.measure(IMPORT_ROWS[mode]),
        }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / (args.out or f"{mode}.json")).write_text(
        json.dumps(report, indent=2, ensure_ascii=False)
    )
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if not args.pages_only:
        export.run(mode)
        odata.run(mode)


if __name__ == "__main__":
    main()
