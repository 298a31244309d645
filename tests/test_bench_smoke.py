"""The benchmark in small (`python -m bench.run --quick`), so a broken benchmark, or a format
whose export raises, fails the tests; `make bench` runs it in full.

It runs here rather than after the suite in the Makefile: it is a single process of about 45 s,
which beside the test workers shares the machine's cores instead of leaving one idle.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WRITTEN = ("quick.json", "export-quick.json", "odata-quick.json")


def test_the_quick_benchmark_runs_and_writes_its_ratios():
    started = time.time()
    run = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick"], cwd=ROOT, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    for name in WRITTEN:
        assert (RESULTS / name).stat().st_mtime >= started, f"{name} was not written"
    pages = json.loads((RESULTS / "quick.json").read_text("utf-8"))
    ratios = pages["ratios (CPU time)"]
    assert ratios and all(ratio > 0 for ratio in ratios.values()), ratios
    assert json.loads((RESULTS / "export-quick.json").read_text("utf-8"))["failures"] == []
    assert json.loads((RESULTS / "odata-quick.json").read_text("utf-8"))["databases"]
