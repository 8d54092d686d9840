import subprocess
import sys
from pathlib import Path

from tests.airflow_envs import airflow_python, tox_workdir
from tests.codemods.helpers import check_noop, diagnostics

SOURCE = """\
import os, pytz
from pandas import DataFrame
import numpy.random as rnd
try:
    import flask
except ImportError:
    flask = None
import pytz_deprecation_shim
from .pandas import local
"""


def test_imports_of_modules_airflow_1_10_brought_are_reported():
    check_noop(SOURCE, target="3")
    found = [(d.line, d.col, d.message) for d in diagnostics(SOURCE, target="3", select=["AU195"])]
    assert [(line, col) for line, col, _ in found] == [(1, 12), (2, 1), (3, 8)]
    pytz = found[0][2]
    assert pytz.startswith("`pytz` came with Airflow 1.10.15 (pytz ") and "apache-airflow -> " in pytz
    assert "Airflow 3.3.2 does not install it: add `pytz` to the deployment's requirements" in pytz
    assert found[2][2].startswith("`numpy` came with Airflow 1.10.15")


def test_nothing_on_target_2_or_for_modules_airflow_3_still_installs():
    assert not diagnostics(SOURCE, target="2", select=["AU195"])
    assert not diagnostics("import pendulum\nimport requests\nimport jinja2\n", target="3", select=["AU195"])


def test_committed_table_matches_generator():
    airflow_python("af110")  # fails (never skips) with the command to build a missing env
    airflow_python("af3")
    repo = Path(__file__).resolve().parent.parent.parent
    result = subprocess.run(
        [
            sys.executable,
            str(repo / "scripts" / "gen_dropped_dependencies.py"),
            "--check",
            "--tox-dir",
            str(tox_workdir()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        "codemods/_generated/dropped_dependencies.json drifted; run `python scripts/gen_dropped_dependencies.py`\n"
        + result.stdout
        + result.stderr
    )
