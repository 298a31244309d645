"""The page measures of `bench.run`, taken in turn round by round, on a shared machine.

`python -m bench.interleaved [ROUNDS] [--out NAME.json]`: each round times the one-row baseline,
the section page, the review page, a save (the POST alone) and the review page right after a
save that changed an answer (so no page kept for earlier answers fits), one after the other, so
a neighbour's load that comes and goes falls on all of them alike; the medians of CPU time are
given as ratios to the baseline's (bench/README.md).
"""

import argparse
import json
import re
import statistics
import tempfile
from pathlib import Path

from bench import run

REVIEW = "/en/form/review"


def _review_after_a_change(client, number: int):
    """CPU time of the review page after a save of answers never saved before (one country of
    citizenship and one mother tongue after another)."""
    page = client.get(run.SECTION).text
    data = {name: run._hidden(page, name) for name in ("csrf_token", "revision", "shown")}
    countries, languages = _options(page, "citizenship"), _options(page, "mother_tongue")
    changed = {
        "q.citizenship": countries[number % len(countries)],
        "q.mother_tongue": languages[number // len(countries) % len(languages)],
    }
    run._expect(client.post(run.SECTION, data={**data, **changed, "action": "save"}), 200)
    return run._timed(lambda: run._expect(client.get(REVIEW), 200))


def _options(page: str, question: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="q.{question}".*?</select>', page, re.S).group(0)
    return [code for code in re.findall(r'<option value="([^"]+)"', select) if code != "other"]


def measure(rounds: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        app = run._app(Path(folder))
        client, _ = run._logged_in_client(app)
        client.get(run.SECTION)  # warm-up: the version is thawed once per process
        measures = {
            "baseline": lambda _: run._timed(lambda: run._expect(client.get(run.BASELINE), 200)),
            "section page": lambda _: run._timed(lambda: run._expect(client.get(run.SECTION), 200)),
            "review page": lambda _: run._timed(lambda: run._expect(client.get(REVIEW), 200)),
            "save a section (POST)": lambda _: run._save(client),
            "review page after a change": lambda n: _review_after_a_change(client, n),
        }
        cpu = {name: [] for name in measures}
        for number in range(rounds):
            for name, action in measures.items():
                cpu[name].append(action(number)[1])
    medians = {name: statistics.median(times) for name, times in cpu.items()}
    return {
        "rounds": rounds,
        "median_cpu_ms": {name: round(ms, 3) for name, ms in medians.items()},
        "ratios (CPU time)": {
            name: round(ms / medians["baseline"], 2) for name, ms in medians.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", nargs="?", type=int, default=200)
    parser.add_argument("--out", help="results file name in bench/results")
    args = parser.parse_args()
    report = measure(args.rounds)
    if args.out:
        (run.RESULTS / args.out).write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
