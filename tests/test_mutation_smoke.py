"""A quick run of `make mutation`'s tool: in a copy of the project, mutmut mutates the throttle,
and one mutant (a refund that adds instead of giving back) must be killed by the tests.

The full run (`make mutation`) takes most of an hour and is not part of `make test`; this
proves its set-up still works, as the bench and load smokes do for theirs.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import POSTGRES_ENV

ROOT = Path(__file__).resolve().parent.parent
COPIED = [
    "auth",
    "adminui",
    "api",
    "engine",
    "renderers",
    "questionnaires",
    "tests",
    "bench",
    "docs",
]
# A refund of failures + 1 where it should be failures - 1:
MUTANT = "auth.code_login.throttle.x_refund__mutmut_12"
SETTINGS = """
[tool.mutmut]
source_paths = ["auth"]
only_mutate = ["auth/code_login/throttle.py"]
also_copy = ["adminui", "api", "engine", "renderers", "questionnaires", "bench", "docs"]
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]
pytest_add_cli_args_test_selection = ["tests/test_throttle_rules.py"]
"""


def _project_copy(folder: Path) -> Path:
    """The project with its own settings, but mutmut limited to one file and one test file."""
    for name in COPIED:
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = re.compile(r"\[tool\.mutmut\].*?(?=\n\[)", re.S)
    pyproject = section.sub(SETTINGS.strip() + "\n", pyproject)
    (folder / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return folder


def _on_sqlite() -> dict[str, str]:
    """The environment without the PostgreSQL test database: mutmut runs the throttle's tests
    (three times: clean, to map tests to functions, on the mutant), and what this smoke proves
    is mutmut's set-up, not the database; the throttle runs on both in `make test`."""
    return {name: value for name, value in os.environ.items() if name != POSTGRES_ENV}


def test_mutmut_kills_a_broken_refund(tmp_path):
    project = _project_copy(tmp_path)
    mutmut = Path(sys.executable).with_name("mutmut")
    run = subprocess.run(
        [mutmut, "run", MUTANT],
        cwd=project, capture_output=True, text=True, timeout=600, env=_on_sqlite(),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    results = subprocess.run(
        [mutmut, "results", "--all", "true"], cwd=project, capture_output=True, text=True
    )
    assert f"{MUTANT}: killed" in results.stdout
