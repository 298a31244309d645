"""The export benchmark's measures that run as their own process: the database's own dump of
the export's rows (`psql` COPY, or the `sqlite3` shell on SQLite) and a whole `kompass export`,
each timed from start to exit, with the process's peak resident memory."""

import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Select
from sqlalchemy.engine import Engine, make_url

from engine.app.config import PREFIX, PROJECT_ROOT

# A child's rusage maxrss starts at its parent's high-water mark (fork, then exec), so the
# export reports its own: VmHWM, the peak resident size of its memory since exec.
PEAK = re.compile(r"^VmHWM:\s+(\d+) kB", re.MULTILINE)
REPORT_PEAK = "atexit.register(lambda: sys.stderr.write(open('/proc/self/status').read()))"
KIB = 1024
MIB = 1024 * 1024


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_s: float  # user and system time: what a machine shared with others changes least
    peak_mib: float  # the process's peak resident set size


def timed(command: list[str], env: dict | None = None, cwd: Path | None = None) -> Run:
    """Run `command` with its output discarded; its wall and CPU time and the peak resident
    size it reports on stderr (0 if it does not)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)  # fmt: skip
    error = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    if process.returncode:
        raise RuntimeError(f"{command[0]} exited with {process.returncode}: {error[-2000:]}")
    peak = PEAK.search(error)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, round(cpu, 2), round(int(peak[1]) * KIB / MIB, 1) if peak else 0.0)


def dump(engine: Engine, statement: Select) -> Run:
    """The database's own tool writes the rows of `statement` as CSV to /dev/null."""
    sql = str(statement.compile(engine, compile_kwargs={"literal_binds": True}))
    url = make_url(engine.url)
    if url.get_backend_name() == "postgresql":
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return timed(["psql", "-X", "-q", plain, "-c",
                      f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"])  # fmt: skip
    return timed(["sqlite3", "-csv", url.database, sql])


def kompass_export(url: str, fmt: str, questionnaire: str, version: int, key: str) -> Run:
    """A whole `kompass export` of one version, as an operator runs it."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), **{
        f"{PREFIX}DATABASE_URL": url, f"{PREFIX}SECRET_KEY": key,
        f"{PREFIX}EXPORT_PSEUDONYM_KEY": key,
    })  # fmt: skip
    cli = f"import atexit, sys; {REPORT_PEAK}; from engine.app.cli import main; sys.exit(main())"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "export.zip"
        arguments = ["--questionnaire", questionnaire, "--version", str(version),
                     "--format", fmt, "--out", str(out)]  # fmt: skip
        # in the project's folder: `python -c` imports from the working folder first
        return timed([sys.executable, "-c", cli, "export", *arguments], env, PROJECT_ROOT)
