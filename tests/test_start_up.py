"""A process starts at once: the command line loads no heavy library it does not use.

Time is measured by `make bench` (bench/startup.py); here the budget is what `python -X
importtime` lists, which does not depend on how busy the machine is.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

HEAVY = ("weasyprint", "pandas", "pyreadstat", "pyarrow", "numpy", "openpyxl", "xlsxwriter",
         "alembic")  # fmt: skip
KOMPASS = Path(sys.executable).parent / "kompass"


def _imported(*command: str) -> list[str]:
    """The modules a process imports, in the order `-X importtime` lists them."""
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *command],
        capture_output=True, text=True, check=True, env=environment,
    )  # fmt: skip
    return re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", result.stderr, re.M)


def test_kompass_help_imports_no_heavy_library_and_at_most_twice_flask_sqlalchemy_psycopg():
    kompass = _imported(str(KOMPASS), "--help")
    baseline = _imported("-c", "import flask, sqlalchemy.orm, psycopg")
    assert not [name for name in kompass if name.split(".")[0] in HEAVY]
    assert len(kompass) <= 2 * len(baseline), (len(kompass), len(baseline))


def test_an_export_format_loads_its_library_when_it_is_used():
    script = (
        "import sys\nfrom engine.export.formats import FORMATS\n"
        "assert sorted(FORMATS) == ['csv', 'jsonl', 'parquet', 'sav', 'xlsx']\n"
        "assert 'pyarrow' not in sys.modules\n"
        "assert FORMATS['parquet'].__name__ == 'ParquetFormat'\n"
        "assert 'pyarrow' in sys.modules and 'pandas' not in sys.modules"
    )
    assert "pyarrow" in _imported("-c", script)
