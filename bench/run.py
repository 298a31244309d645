"""`make bench`: time the respondent's hot paths as ratios against /healthz in the same run.

Absolute times depend on the machine; the ratios show whether a change made pages or saving
slower relative to the app's cheapest request. Results go to bench/results/full.json
(`--quick`, run by `make test` to keep the benchmark alive: bench/results/quick.json).
Then the analysts' export is measured the same way (`bench/export.py`, bench/README.md).
"""

import argparse
import json
import re
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench import export
from engine import migrate, plugins
from engine.app import create_app
from engine.db import make_engine

ROUNDS = {"full": 200, "quick": 5}
RESULTS = Path(__file__).parent / "results"


def _app(folder: Path):
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    migrate.upgrade(make_engine(url), plugins.make_plugin_manager())
    return create_app({"DATABASE_URL": url, "PASSWORD_HASH_COST": "fast", "SECRET_KEY": "bench"})


def _logged_in_client(app):
    """The first demo person, logged in (`kompass demo` also publishes the questionnaire)."""
    demo = json.loads(app.test_cli_runner().invoke(args=["demo", "--json"]).output)
    person = demo["persons"][0]
    client = app.test_client()
    page = client.get("/en/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(
        "/en/login", data={"csrf_token": token, "duf": person["duf"], "code": person["code"]}
    )
    return client, token


def _median_ms(action, rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def _save(client, token):
    page = client.get("/ar/form/education").text
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    shown = re.search(r'name="shown" value="([^"]*)"', page).group(1)
    data = {"csrf_token": token, "revision": revision, "shown": shown, "q.school_years": "12"}
    client.post("/ar/form/education", data={**data, "action": "add:education"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few rounds: proves it still runs")
    mode = "quick" if parser.parse_args().quick else "full"
    rounds = ROUNDS[mode]
    with tempfile.TemporaryDirectory() as folder:
        app = _app(Path(folder))
        client, token = _logged_in_client(app)
        baseline = _median_ms(lambda: client.get("/healthz"), rounds)
        results = {
            "section page (ar, beside nb)": _median_ms(
                lambda: client.get("/ar/form/language?beside=nb"), rounds
            ),
            "review page": _median_ms(lambda: client.get("/en/form/review"), rounds),
            "view + save with an added entry": _median_ms(lambda: _save(client, token), rounds),
        }
        tracemalloc.start()
        client.get("/ar/form/personal?beside=nb")
        peak_kib = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
    report = {
        "baseline": {"name": "GET /healthz", "median_ms": round(baseline, 3)},
        "ratios": {name: round(ms / baseline, 2) for name, ms in results.items()},
        "median_ms": {name: round(ms, 3) for name, ms in results.items()},
        "peak_kib_country_page": round(peak_kib),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{mode}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False))
    export.run(mode)


if __name__ == "__main__":
    main()
