"""Process start-up: `kompass --help` against importing Flask, SQLAlchemy and psycopg.

Each is run as a new process, interleaved, and timed in CPU seconds of the child (user +
system), so a busy neighbour slows both alike; the ratio is the figure (goal ≤ 2). The
project's modules are compiled first, as an installed wheel's are: the libraries of the
baseline come compiled, and a machine that sets PYTHONDONTWRITEBYTECODE (as ours do) would
otherwise compile the project from source at every start (2.26× where compiled gave 2.10×).
"""

import compileall
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROUNDS = {"full": 10, "quick": 2}
KOMPASS = [str(Path(sys.executable).parent / "kompass"), "--help"]
BASELINE = [sys.executable, "-c", "import flask, sqlalchemy.orm, psycopg"]
PROJECT = Path(__file__).resolve().parent.parent
PACKAGES = ("engine", "auth", "adminui", "api", "renderers")


def _cpu_seconds(command: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=_environment())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _environment() -> dict:
    return {**os.environ, "KOMPASS_ENV": os.environ.get("KOMPASS_ENV", "development")}


def measure(mode: str) -> dict:
    for package in PACKAGES:
        compileall.compile_dir(PROJECT / package, quiet=1)
    kompass, baseline = [], []
    for _ in range(ROUNDS[mode]):
        baseline.append(_cpu_seconds(BASELINE))
        kompass.append(_cpu_seconds(KOMPASS))
    base, help_ = statistics.median(baseline), statistics.median(kompass)
    return {
        "baseline": "python -c 'import flask, sqlalchemy.orm, psycopg' (CPU s, median)",
        "baseline_cpu_s": round(base, 3),
        "kompass --help (CPU s, median)": round(help_, 3),
        "ratio (goal ≤ 2)": round(help_ / base, 2),
        "load average": os.getloadavg()[0],
    }
