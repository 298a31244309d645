"""`make load`: the whole journey under load, against gunicorn on a throwaway PostgreSQL.

Seeds persons, codes and staff through the app's own functions, starts `engine.app.serve` (the
`make serve` entry point) on loopback, runs the locustfile bounded in time, writes throughput,
p50/p95/p99 per request kind and the error count to bench/results/load-<profile>.json, then
checks in the database that every submitted response is complete (none lost).
"""

import argparse
import contextlib
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bench.load import journey, seed
from bench.load.server import KEYS, serving
from engine.app import cli, migrate, plugins
from engine.app.db import make_engine, throwaway_postgres
from engine.app.factory import create_app
from engine.responses.storage import SUBMITTED, Response

HERE = Path(__file__).parent
RESULTS = HERE.parent / "results"
ADMIN_URL = os.environ.get(
    "KOMPASS_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
STAFF_SHARE = 20  # one user in 20 is staff


@dataclass(frozen=True)
class Profile:
    users: tuple[int, ...]  # simultaneous users; stress tries each in turn
    think: str  # "min,max" seconds between pages
    run_time: int  # seconds per step
    cost: str  # argon2 cost of the seeded codes and passwords
    p99_limit_ms: float
    staff_rounds: int = 0  # 0: staff work until the time is up
    journeys: int = 0  # respondents seeded per simultaneous user; 0: more than can finish
    baseline: bool = True  # also measure GET /healthz alone, for the ratio
    locustfile: str = "locustfile.py"
    server_env: tuple[tuple[str, str], ...] = ()  # settings of this profile's server
    targets: tuple[tuple[str, float], ...] = ()  # request kinds whose p99 (ms) is judged
    staff: int = 0  # staff users; 0: one user in STAFF_SHARE
    mapped: int = 0  # staff persons given a maximum-size mapping
    compared: tuple[str, str, float] = ()  # p99 of kind 2 ÷ p99 of kind 1 is judged < limit
    all_at_once: bool = False  # every user starts at once; else a tenth of them a second


# Each simulated browser sends its own address through a trusted proxy header.
BEHIND_A_PROXY = (("KOMPASS_TRUSTED_PROXIES", "127.0.0.1,::1"),)


PROFILES = {
    "realistic": Profile(
        (200,),
        "10,30",
        420,
        "normal",
        100,
        journeys=2,
        targets=tuple((kind, 100) for kind in journey.RESPONDENT_KINDS),
    ),
    "stress": Profile((10, 20, 40, 80, 160), "0,1", 40, "fast", 500),
    "smoke": Profile(
        (21,),
        "0,0.1",
        240,
        "fast",
        500,
        staff_rounds=3,
        journeys=1,
        baseline=False,
        all_at_once=True,
    ),
    "logins": Profile(
        (21,),
        "1,2",
        180,
        "normal",
        1000,
        journeys=10,
        baseline=False,
        locustfile="logins.py",
        server_env=BEHIND_A_PROXY,
        targets=(("section page (during the burst)", 300), ("class: log in", 1000)),
    ),
    "pdfs": Profile(
        (10,),
        "0,0",
        600,
        "fast",
        1000,
        journeys=1,
        baseline=False,
        locustfile="pdfs.py",
        server_env=BEHIND_A_PROXY + (("KOMPASS_PDF_CACHE_MB", "0"),),
        staff=8,
        mapped=1,
        compared=("other user: page (alone)", "other user: page (during the downloads)", 2),
    ),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="realistic")
    parser.add_argument("--run-time", type=int, help="seconds per step (default: the profile's)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, help="default bench/results/load-<profile>.json")
    args = parser.parse_args(argv)
    profile = PROFILES[args.profile]
    run_time = args.run_time or profile.run_time
    load_before = os.getloadavg()[0]  # before this run adds its own
    with throwaway_postgres(ADMIN_URL, "kompass_load") as url, tempfile.TemporaryDirectory() as tmp:
        app = _prepared_app(url)
        with serving(url, args.workers, dict(profile.server_env), upgrade=False) as base:
            steps = [
                _step(app, base, profile, batch, users, run_time, Path(tmp))
                for batch, users in enumerate(profile.users)
            ]
            baseline = (
                _minimal_baseline(base, max(profile.users), Path(tmp))
                if profile.baseline
                else {"total": {}}
            )
        app.extensions["kompass"].sessions.kw["bind"].dispose()
    result = _summary(args.profile, profile, steps, baseline, args.workers)
    result["summary"] |= judged_only_if_quiet(result["summary"], load_before, os.cpu_count() or 1)
    out = args.out or RESULTS / f"load-{args.profile}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["summary"], indent=2))
    return 0 if result["summary"]["ok"] else 1


def _prepared_app(url: str):
    """The migrated load database with version 1 of the questionnaire published (by the
    `kompass questionnaire publish` command, run in this process)."""
    migrate.upgrade(make_engine(url), plugins.make_plugin_manager())
    secrets = {"SECRET_KEY": KEYS["KOMPASS_SECRET_KEY"],
               "EXPORT_PSEUDONYM_KEY": KEYS["KOMPASS_EXPORT_PSEUDONYM_KEY"]}  # fmt: skip
    app = create_app({"DATABASE_URL": url, **secrets})
    published = app.test_cli_runner().invoke(cli.main, ["questionnaire", "publish", "kompass", "1"])
    if published.exit_code != 0:
        raise RuntimeError(f"publishing failed: {published.output}")
    return app


def _step(app, base: str, profile: Profile, batch: int, users: int, run_time: int, tmp: Path):
    """One bounded locust run with its own seeded persons; checks the database afterwards."""
    staff = profile.staff or max(1, users // STAFF_SHARE)
    journeys = profile.journeys or max(1, run_time // 5)  # each person submits once
    seeded = seed.seed(app, batch, (users - staff) * journeys, staff, 20, profile.cost)
    if profile.mapped:
        seeded.mapped_persons = seed.map_maximum(app, seeded.staff_persons[: profile.mapped])
    seed_file = tmp / f"seed-{users}.json"
    seed_file.write_text(json.dumps(seeded.as_dict()))
    env = {
        "KOMPASS_LOAD_SEED": str(seed_file), "KOMPASS_LOAD_THINK": profile.think,
        "KOMPASS_LOAD_STAFF_ROUNDS": str(profile.staff_rounds),
        "KOMPASS_LOAD_STAFF_SHARE": str(STAFF_SHARE),
    }  # fmt: skip
    locustfile = HERE / profile.locustfile
    stats = _locust(base, locustfile, users, run_time, tmp / f"step-{users}", env,
                    all_at_once=profile.all_at_once)  # fmt: skip
    dufs = [person["duf"] for person in seeded.respondents]
    return {"users": users, **stats, "database": check_submitted(app, dufs, stats)}


def _minimal_baseline(base: str, users: int, tmp: Path) -> dict:
    """GET /healthz as fast as `users` users can ask: the app's cheapest request."""
    return _locust(base, HERE / "minimal.py", users, 15, tmp / "minimal", {})


def _locust(base: str, locustfile: Path, users: int, run_time: int, prefix: Path, env: dict,
            all_at_once: bool = False):  # fmt: skip
    """A headless locust run of `users`, started all at once or a tenth of them a second."""
    spawn_rate = users if all_at_once else max(1, users // 10)
    command = [
        sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "--host", base,
        "--users", str(users), "--spawn-rate", str(spawn_rate),
        "--run-time", f"{run_time}s", "--stop-timeout", "5", "--csv", str(prefix),
        "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(command, env={**os.environ, **env}, check=False, cwd=HERE.parent.parent)
    return {**read_stats(Path(f"{prefix}_stats.csv")), "failures": read_failures(prefix)}


def read_stats(path: Path) -> dict:
    """Per request kind: count, errors, p50/p95/p99 ms; and the whole run's throughput."""
    kinds, total = {}, {}
    with path.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            figures = {
                "requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
                "p50_ms": _ms(row["50%"]), "p95_ms": _ms(row["95%"]), "p99_ms": _ms(row["99%"]),
                "per_second": round(float(row["Requests/s"]), 2),
            }  # fmt: skip
            if row["Name"] == "Aggregated":
                total = figures
            else:
                kinds[row["Name"]] = figures
    return {"kinds": kinds, "total": total}


def read_failures(prefix: Path) -> list[dict]:
    """What went wrong, by request kind (the messages name statuses, never personal data)."""
    path = Path(f"{prefix}_failures.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as file:
        return [{"kind": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])}
                for row in csv.DictReader(file)]  # fmt: skip


def _ms(text: str) -> float | None:
    return None if text in ("", "N/A") else float(text)


def check_submitted(app, dufs: list[str], stats: dict) -> dict:
    """Every submit that succeeded is a complete submitted response in the database."""
    from auth.people.models import Person

    with app.app_context(), app.extensions["kompass"].sessions() as session:
        subjects = [p.subject for p in session.scalars(select(Person).where(Person.duf.in_(dufs)))]
        stored = session.scalars(
            select(Response).where(Response.subject.in_(subjects), Response.state == SUBMITTED)
        ).all()
        incomplete = sum(1 for response in stored if journey.missing_answers(response.answers))
    submit = stats["kinds"].get("submit", {"requests": 0, "errors": 0})
    accepted = submit["requests"] - submit["errors"]
    return {
        "submits_accepted": accepted,
        "submitted_in_database": len(stored),
        "incomplete": incomplete,
        "lost": max(0, accepted - len(stored)),
    }


def _step_summary(step: dict, minimal: float) -> dict:
    """Users, requests per second (also as a ratio to /healthz alone) and p99 of one step."""
    per_second = step["total"].get("per_second") or 0
    ratio = round(per_second / minimal, 3) if minimal else None
    return {"users": step["users"], "per_second": per_second, "ratio_to_minimal": ratio,
            "p99_ms": step["total"].get("p99_ms")}  # fmt: skip


def _summary(name: str, profile: Profile, steps: list, baseline: dict, workers: int) -> dict:
    within = [s for s in steps if (s["total"].get("p99_ms") or 0) < profile.p99_limit_ms]
    best = max(within, key=lambda s: s["total"]["per_second"], default=None)
    minimal = baseline["total"].get("per_second") or 0
    errors = sum(s["total"].get("errors", 0) for s in steps)
    problems = sum(s["database"]["lost"] + s["database"]["incomplete"] for s in steps)
    summary = {
        "profile": name, "workers": workers, "cpu_count": os.cpu_count(), "machine": machine(),
        "errors": errors, "lost_or_incomplete": problems,
        "p99_limit_ms": profile.p99_limit_ms,
        "best_users_within_limit": best["users"] if best else None,
        "best_requests_per_second": best["total"]["per_second"] if best else None,
        "minimal_requests_per_second": minimal,
        "ratio_to_minimal": round(best["total"]["per_second"] / minimal, 3)
        if best and minimal else None,
        "submitted": sum(s["database"]["submitted_in_database"] for s in steps),
        "steps": [_step_summary(step, minimal) for step in steps],
        "targets": _targets(profile, steps),
        "compared": _compared(profile, steps),
        "ok": errors == 0 and problems == 0,
    }  # fmt: skip
    return {"summary": summary, "steps": steps, "minimal": baseline}


def judged_only_if_quiet(summary: dict, load_average: float, cores: int) -> dict:
    """The load average before the run beside the figures; above the core count something
    else held the cores, so the targets are not judged (a FAIL would blame the code)."""
    quiet = load_average <= cores
    found = {"load_average_before": round(load_average, 2), "judged": quiet}
    if not quiet:
        why = f"NOT JUDGED: load average {load_average:.2f} before the run, above {cores} cores"
        found["targets"] = {k: {**v, "verdict": why} for k, v in summary["targets"].items()}
        if summary["compared"]:
            found["compared"] = {**summary["compared"], "verdict": why}
    return found


def machine() -> str:
    """The processor and memory this run had (app, PostgreSQL and load generator share them)."""
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                      if line.startswith("model name")), model)  # fmt: skip
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()}"


def _targets(profile: Profile, steps: list) -> dict:
    """Each judged request kind's p99 against its limit, from the last step."""
    kinds = steps[-1]["kinds"] if steps else {}
    judged = {}
    for kind, limit in profile.targets:
        p99 = kinds.get(kind, {}).get("p99_ms")
        verdict = "PASS" if p99 is not None and p99 < limit else "FAIL"
        judged[kind] = {"p99_ms": p99, "limit_ms": limit, "verdict": verdict}
    return judged


def _compared(profile: Profile, steps: list) -> dict | None:
    """The p99 of one request kind as a ratio to another's, from the last step, judged."""
    if not profile.compared or not steps:
        return None
    base, other, limit = profile.compared
    kinds = steps[-1]["kinds"]
    p99s = [kinds.get(kind, {}).get("p99_ms") for kind in (base, other)]
    ratio = round(p99s[1] / p99s[0], 2) if all(p99s) else None
    verdict = "PASS" if ratio is not None and ratio < limit else "FAIL"
    return {"base": base, "base_p99_ms": p99s[0], "other": other, "other_p99_ms": p99s[1],
            "ratio": ratio, "limit": limit, "verdict": verdict}  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
