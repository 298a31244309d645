"""`make bench`, part three: the OData feed paged through as a client reads it, in responses per
second against the plain read of the same rows, and its peak memory.

The same databases, sizes and synthetic responses as the export's benchmark (`bench/export.py`:
SQLite, and PostgreSQL through KOMPASS_BENCH_DATABASE_URL, skipped if unreachable). At each size
an analyst's token reads `/odata/kompass/v1/responses` from the first page to the last, following
`@odata.nextLink` (pages of 1,000 rows, each read whole by the test client, as a client would;
the clock runs while the server writes a page, not while the client parses it):

- speed: responses per second of the whole read ÷ the export's baseline, the plain read of the
  same rows, taken in turns (best of two of each), target ≥ 0.3 at the largest size;
- memory: the tracemalloc peak of a whole read (Python allocations only), target at the largest
  size ≤ 1.2× that at the smallest (the feed streams: memory does not grow with the rows).

A missed target prints FAIL without failing the run; a read that does not give every response
raises. Results: bench/results/odata-full.json, or odata-quick.json for `--quick` (SQLite, 100
and 500 responses in pages of 200, not judged), run by `make test` through
`python -m bench.run --quick`.
"""

import argparse
import gc
import json
import time
import tracemalloc
from datetime import timedelta

import orjson

from api.tokens import scopes, store
from auth.staff.models import User, UserRole
from bench import export
from engine.app.db import utcnow

PAGE = {"full": 1000, "quick": 200}  # rows a page; quick: several pages of its few rows
RUNS = 2
FIRST = "/odata/kompass/v1/responses"
SPEED_TARGET = 0.3  # the feed's rows per second, at least this share of the plain read's
TARGETS = {"speed_ratio_at_least": SPEED_TARGET, "memory_ratio_at_most": export.MEMORY_TARGET}


def token(bench: export.Bench) -> str:
    """An analyst and a feed token of theirs."""
    with bench.state.sessions() as session:
        user = User(username="bench-analyst", first_name="Bench", last_name="Analyst",
                    password_hash="!", must_change_password=False,
                    role_rows=[UserRole(role="analytiker")])  # fmt: skip
        session.add(user)
        session.flush()
        made = store.create(session, user, "bench", scopes.FEED, utcnow() + timedelta(days=1))
        session.commit()
        return made.text


def read_all(bench: export.Bench, text: str) -> tuple[float, int]:
    """One whole read, first page to last: (seconds the server took to write the pages, pages).
    It must give every response. Each page is parsed after its clock stops: a client's own
    parsing is its machine's work, not the feed's."""
    gc.collect()
    client, url, rows, pages, seconds = bench.app.test_client(), FIRST, 0, 0, 0.0
    headers = {"Authorization": f"Bearer {text}"}
    while url:
        start = time.perf_counter()
        answer = client.get(url, headers=headers)
        body = answer.get_data()
        seconds += time.perf_counter() - start
        if answer.status_code != 200:
            raise RuntimeError(f"{url}: {answer.status_code} {answer.text[:200]}")
        page = orjson.loads(body)
        rows, pages, url = rows + len(page["value"]), pages + 1, page.get("@odata.nextLink")
    if rows != bench.count:
        raise AssertionError(f"the feed gave {rows} of {bench.count} responses")
    return seconds, pages


def peak(bench: export.Bench, text: str) -> float:
    tracemalloc.start()
    try:
        read_all(bench, text)
        return round(tracemalloc.get_traced_memory()[1] / export.MIB, 2)
    finally:
        tracemalloc.stop()


def measure(bench: export.Bench, text: str, size: int) -> dict:
    """The baseline and the feed taken in turns (best of each), so a busy moment of a shared
    machine weighs on both alike."""
    bench.grow(size)
    baselines, runs = [], []
    for _ in range(RUNS):
        baselines.append(bench.read_rate())
        runs.append(read_all(bench, text))
    baseline = max(baselines)
    rate = bench.count / min(seconds for seconds, _ in runs)
    return {"baseline_rows_per_s": round(baseline), "rows_per_s": round(rate),
            "ratio": round(rate / baseline, 3), "pages": runs[0][1],
            "peak_mib": peak(bench, text)}  # fmt: skip


def run_database(name: str, sizes: tuple[int, ...], mode: str) -> dict:
    try:
        with export.sqlite_database() if name == "sqlite" else export.postgres_database() as url:
            bench = export.Bench(url)
            bench.app.config["KOMPASS_ODATA_PAGE_SIZE"] = PAGE[mode]
            bench.app.config["KOMPASS_API_REQUESTS_PER_MINUTE"] = 1_000_000
            try:
                text = token(bench)
                by_size = {size: measure(bench, text, size) for size in sizes}
            finally:
                bench.engine.dispose()
    except export.Unreachable as exc:
        return {"skipped": f"PostgreSQL unreachable: {exc}"}
    small, large = by_size[sizes[0]], by_size[sizes[-1]]
    verdict = {"memory_ratio": round(large["peak_mib"] / small["peak_mib"], 2)}
    if mode == "full":
        verdict["speed"] = export._pass(large["ratio"] >= SPEED_TARGET)
        verdict["memory"] = export._pass(verdict["memory_ratio"] <= export.MEMORY_TARGET)
    return {"sizes": {str(size): found for size, found in by_size.items()}, "verdict": verdict}


def run(mode: str) -> None:
    sizes = export.SIZES[mode]
    report = {
        "mode": mode, "responses": list(sizes), "page_rows": PAGE[mode],
        "targets": TARGETS if mode == "full" else export.QUICK_TARGETS,
        "databases": {name: run_database(name, sizes, mode) for name in export.DATABASES[mode]},
    }  # fmt: skip
    export.RESULTS.mkdir(exist_ok=True)
    (export.RESULTS / f"odata-{mode}.json").write_text(json.dumps(report, indent=2))
    print(f"OData feed benchmark ({mode}): a whole read of the responses, page by page")
    for name, found in report["databases"].items():
        print(f"\n{name}: {json.dumps(found, indent=2)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="SQLite, 100 and 500 responses")
    run("quick" if parser.parse_args().quick else "full")


if __name__ == "__main__":
    main()
