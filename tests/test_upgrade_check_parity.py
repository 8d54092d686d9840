"""Airflow 1.10.15's own `airflow upgrade_check` finds nothing in our DAG repos that `check` misses.

upgrade_check (apache-airflow-upgrade-check 1.4, installed in the af110 env) reports import
changes per file ("Using `old` should be replaced by `new`. Affected file: F"); every such
finding must appear as an AU101 diagnostic for the same file and old name. Its config and
installation findings (rbac, backport providers) are about the deployment, not the DAG files:
`airflow-upgrade config` covers the config side.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.airflow_envs import REPO, airflow_env_vars, airflow_python

FINDING = re.compile(r"Using `([\w.]+)` should be replaced by `([\w.]+)`\. Affected file: (\S+)")


def upgrade_check_findings(dags: Path, home: Path) -> set[tuple[str, str]]:
    environ = airflow_env_vars("af110", home, AIRFLOW__CORE__DAGS_FOLDER=str(dags))
    airflow = airflow_python("af110").parent / "airflow"
    subprocess.run([str(airflow), "initdb"], env=environ, capture_output=True, check=True, timeout=300)
    result = subprocess.run(
        [str(airflow), "upgrade_check"], env=environ, capture_output=True, text=True, timeout=300
    )
    assert "====== STATUS ======" in result.stdout, result.stdout + result.stderr
    return {(Path(path).resolve().as_posix(), old) for old, _new, path in FINDING.findall(result.stdout)}


def our_findings(dags: Path) -> set[tuple[str, str]]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "upgrade",
            "check",
            "--no-cache",
            "--target",
            "2.0",
            "--output-format",
            "json",
            str(dags),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr
    found = set()
    for d in json.loads(result.stdout)["diagnostics"]:
        match = re.match(r"`([\w.]+)` moved to", d["message"])
        if d["code"] == "AU101" and match:
            found.add((Path(d["path"]).resolve().as_posix(), match.group(1)))
    return found


@pytest.mark.parametrize("dags", ["tests/fixtures/dags_1_10", "dags"])
def test_upgrade_check_finds_nothing_we_miss(dags: str, tmp_path: Path):
    theirs = upgrade_check_findings(REPO / dags, tmp_path / "airflow_home")
    ours = our_findings(REPO / dags)
    assert theirs <= ours, f"upgrade_check found what check did not: {sorted(theirs - ours)}"
    if dags == "tests/fixtures/dags_1_10":
        assert theirs, "upgrade_check should find the 1.10 contrib import in the fixture"
