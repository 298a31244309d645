"""`make serve` from its start to its first answers, against gunicorn serving one line.

On a throwaway PostgreSQL (migrated, version 1 published, respondents seeded through the app's
own functions): wall seconds from starting `python -m engine.app.serve` with two workers to the
first 200 of /healthz (goal ≤ 2 s), beside the same for `gunicorn` serving a one-line WSGI app
(the baseline). Then, per worker (the test-mode header names it), its first section page for
a logged-in respondent against the median of its next ones (goal ≤ 2×). Skipped with a printed
note when PostgreSQL cannot be reached. Run by `python -m bench.run` (full), into full.json.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.export import Unreachable, postgres_database
from bench.load import seed
from bench.load.pages import hidden
from bench.load.server import KEYS, free_port, stop, wait_until_healthy
from engine.app import cli, migrate, plugins, serve
from engine.app.db import make_engine
from engine.app.factory import create_app

ROUNDS = 5
SECTION = "/en/form/personal"
PAGES_PER_WORKER = 6
HELLO = "def app(environ, start_response):\n    start_response('200 OK', []); return [b'ok']\n"


def measure() -> dict:
    try:
        with postgres_database() as url:
            return _measured(url, ROUNDS)
    except Unreachable as exc:
        print(f"serve start-up: skipped, PostgreSQL unreachable: {exc}")
        return {"skipped": f"PostgreSQL unreachable: {exc}"}


def _measured(url: str, rounds: int) -> dict:
    respondents = _prepared(url, rounds)
    environment = {**os.environ, **KEYS, "KOMPASS_DATABASE_URL": url, "KOMPASS_ENV": "production",
                   "KOMPASS_SECURE_COOKIES": "false", serve.WORKER_HEADER_SETTING: "1"}  # fmt: skip
    baseline, started, pages = [], [], []
    for index in range(rounds):
        baseline.append(_hello_world_seconds())
        seconds, found = _serve_round(environment, respondents[index])
        started.append(seconds)
        pages.extend(found)
    base, serve_s = statistics.median(baseline), statistics.median(started)
    worst = max(first / warm for first, warm in pages)
    return {
        "baseline": "gunicorn serving a one-line WSGI app: start to first 200 (s, median)",
        "baseline_s": round(base, 3),
        "make serve: start to first 200 of /healthz (s, median; goal ≤ 2)": round(serve_s, 3),
        "ratio to the baseline": round(serve_s / base, 1),
        "first section page per worker ÷ its warm median (worst; goal ≤ 2)": round(worst, 2),
        "first and warm section page per worker (ms)": [
            [round(first * 1000, 1), round(warm * 1000, 1)] for first, warm in pages
        ],
        "load average": os.getloadavg()[0],
    }


def _prepared(url: str, rounds: int) -> list[list[dict]]:
    """The database migrated and published; respondents with codes, a batch for each round."""
    migrate.upgrade(make_engine(url), plugins.make_plugin_manager())
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": KEYS["KOMPASS_SECRET_KEY"],
            "PASSWORD_HASH_COST": "fast",
        }
    )
    result = app.test_cli_runner().invoke(cli.main, ["questionnaire", "publish", "kompass", "1"])
    if result.exit_code != 0:
        raise RuntimeError(f"publishing failed: {result.output}")
    per_round = 8 * PAGES_PER_WORKER
    seeded = seed.seed(app, 0, per_round * rounds, 0, 0, "fast").respondents
    app.extensions["kompass"].sessions.kw["bind"].dispose()
    return [seeded[i * per_round : (i + 1) * per_round] for i in range(rounds)]


def _hello_world_seconds() -> float:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "hello.py").write_text(HELLO)
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                   "--workers", "2", "--chdir", folder, "hello:app"]  # fmt: skip
        seconds, server = _start_to_first_200(command, os.environ, f"http://127.0.0.1:{port}", "/")
        stop(server)
        return seconds


def _serve_round(environment: dict, respondents: list[dict]) -> tuple[float, list]:
    port = free_port()
    command = [sys.executable, "-m", "engine.app.serve", "--bind", f"127.0.0.1:{port}",
               "--workers", "2", "--no-upgrade"]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    seconds, server = _start_to_first_200(command, environment, base, "/healthz")
    try:
        return seconds, _first_and_warm_pages(base, respondents)
    finally:
        stop(server)


def _first_and_warm_pages(base: str, respondents: list[dict]) -> list[tuple[float, float]]:
    """Per worker: its first section page and the median of its next ones (seconds)."""
    by_worker: dict[str, list[float]] = {}
    for respondent in respondents:
        client = requests.Session()  # a connection of its own: gunicorn picks the worker
        form = client.get(f"{base}/en/login").text
        data = {"csrf_token": hidden(form, "csrf_token"), **respondent}
        client.post(f"{base}/en/login", data=data, allow_redirects=False).raise_for_status()
        start = time.perf_counter()
        page = client.get(f"{base}{SECTION}", allow_redirects=False)
        elapsed = time.perf_counter() - start
        if page.status_code != 200:
            raise RuntimeError(f"{SECTION}: {page.status_code}, not 200")
        by_worker.setdefault(page.headers[serve.WORKER_HEADER], []).append(elapsed)
        client.close()
    return [(times[0], statistics.median(times[1:])) for times in by_worker.values()
            if len(times) > 1]  # fmt: skip


def _start_to_first_200(command: list[str], environment, base: str, path: str):
    """Seconds from starting `command` to its first 200 at `base` + `path`, and the server."""
    start = time.perf_counter()
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_until_healthy(base, server, path=path, poll=0.01)
    except BaseException:
        stop(server)
        raise
    return time.perf_counter() - start, server
