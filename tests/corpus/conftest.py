"""The 1.10.15 example DAGs, copied out of the af110 env's wheel and snapshotted on 1.10.15
once per session for every corpus test module."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from tests.airflow_envs import airflow_python


@pytest.fixture(scope="session")
def examples_1_10_15(tmp_path_factory) -> dict:
    python = airflow_python("af110")
    # find_spec does not import airflow (3 s): only the package's location is needed
    located = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.util, os; print(os.path.dirname(importlib.util.find_spec('airflow').origin))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    package = located.stdout.strip()
    root = tmp_path_factory.mktemp("examples_1_10_15")
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(f"{package}/example_dags", root / "example_dags", ignore=ignore)
    shutil.copytree(f"{package}/contrib/example_dags", root / "contrib" / "example_dags", ignore=ignore)
    before = root.parent / "before.json"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "upgrade", "snapshot", str(root), "--python", str(python), "-o", str(before)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr
    print(f"1.10.15 snapshot of the examples: {time.monotonic() - started:.1f} s")
    return {"dir": root, "before": before}
