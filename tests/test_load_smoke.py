"""The load test in small (bench/load/): 20 respondents and a staff user, all started at once,
against gunicorn on PostgreSQL; any error or lost or incomplete response fails. And its check of the
database finds a lost or incomplete response."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load import journey, seed
from bench.load.run import check_submitted, judged_only_if_quiet
from engine.responses.storage import SUBMITTED, Response
from tests.conftest import BACKENDS, POSTGRES_ENV, csrf_token, hidden
from tests.helpers import log_in, post_section
from tests.test_serve import refused_to_serve

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("backend", BACKENDS)
def test_twenty_respondents_at_once_lose_nothing(backend, tmp_path):
    if backend == "sqlite":
        if os.environ.get("CI") == "true" and POSTGRES_ENV not in os.environ:
            pytest.fail(f"CI must set {POSTGRES_ENV}: the load test needs PostgreSQL")
        assert refused_to_serve(f"sqlite:///{tmp_path / 'kompass.sqlite3'}")
        return
    out = tmp_path / "load-smoke.json"
    environ = {**os.environ, "KOMPASS_BENCH_DATABASE_URL": os.environ[POSTGRES_ENV]}
    command = [sys.executable, "-m", "bench.load.run", "--profile", "smoke", "--workers", "2"]
    finished = subprocess.run(
        [*command, "--out", str(out)], env=environ, cwd=ROOT, capture_output=True, text=True
    )
    result = json.loads(out.read_text())
    summary = result["summary"]
    assert (summary["errors"], summary["lost_or_incomplete"]) == (0, 0), finished.stdout[-3000:]
    assert summary["submitted"] == 20 and finished.returncode == 0
    kinds = result["steps"][0]["kinds"]
    # The database check above is the count that matters: Locust's own statistics may miss the
    # last requests of a run, and it starts a new user in place of one who has finished.
    assert kinds["submit"]["requests"] > 0 and kinds["staff: make a code"]["requests"] > 0
    assert {"p50_ms", "p95_ms", "p99_ms"} <= set(kinds["save"])


def answer_everything(client, sections=journey.STEPS) -> None:
    for section, answers, entries in sections:
        for index, (group, _) in enumerate(entries):
            so_far = journey.section_fields(answers, entries[:index])
            fields = {**so_far, f"q.{group}.count": str(index)}
            post_section(client, "en", section, fields, f"add:{group}")
        post_section(client, "en", section, journey.section_fields(answers, entries))


def submit(client) -> None:
    review = client.get("/en/form/review").text
    data = {"csrf_token": csrf_token(review), "revision": hidden(review, "revision")}
    assert client.post("/en/form/submit", data=data).status_code == 302


def test_the_check_finds_lost_and_incomplete_responses(app):
    seeded = seed.seed(app, 0, 2, 1, 1, "fast")
    whole, partial = seeded.respondents
    for person, sections in ((whole, journey.STEPS), (partial, journey.STEPS[:-2])):
        client = app.test_client()
        assert log_in(client, person["code"], person["duf"]).status_code == 302
        answer_everything(client, sections)
        submit(client)
    with app.app_context(), app.extensions["kompass"].sessions() as session:
        states = session.query(Response.state).all()
    assert states == [(SUBMITTED,), (SUBMITTED,)]
    dufs = [whole["duf"], partial["duf"]]
    accepted = {"kinds": {"submit": {"requests": 3, "errors": 0}}}
    found = check_submitted(app, dufs, accepted)
    assert found == {
        "submits_accepted": 3, "submitted_in_database": 2, "incomplete": 1, "lost": 1,
    }  # fmt: skip
    assert check_submitted(app, dufs[:1], {"kinds": {"submit": {"requests": 1, "errors": 0}}}) == {
        "submits_accepted": 1, "submitted_in_database": 1, "incomplete": 0, "lost": 0,
    }  # fmt: skip


def test_a_run_on_a_busy_machine_records_its_load_and_judges_nothing():
    summary = {
        "targets": {"save": {"p99_ms": 40.0, "limit_ms": 100, "verdict": "PASS"}},
        "compared": {"ratio": 3.0, "limit": 2, "verdict": "FAIL"},
    }
    busy = judged_only_if_quiet(summary, 2.5, 2)
    assert busy["load_average_before"] == 2.5 and busy["judged"] is False
    assert busy["targets"]["save"]["verdict"].startswith("NOT JUDGED: load average 2.50")
    assert busy["targets"]["save"]["p99_ms"] == 40.0
    assert busy["compared"]["verdict"].startswith("NOT JUDGED")
    quiet = judged_only_if_quiet(summary, 2.0, 2)
    assert quiet == {"load_average_before": 2.0, "judged": True}
