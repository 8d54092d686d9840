"""The deprecation table is generated from Airflow's own files; it must not drift from them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.airflow_envs import airflow_python, tox_workdir

REPO = Path(__file__).resolve().parents[2]


def test_generated_table_matches_installed_airflow():
    for env in ("af110", "af20", "af2", "af3"):
        airflow_python(env)  # a missing env fails with the command that builds it
    result = subprocess.run(
        [sys.executable, "scripts/gen_config_tables.py", "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "AU_TOX_WORKDIR": str(tox_workdir())},
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_table_holds_the_renames_the_1_10_migration_needs():
    from upgrade.config_migration import _airflow_deprecations as table

    assert table.DEPRECATED_OPTIONS[("logging", "base_log_folder")] == ("core", "base_log_folder", "2.0.0")
    assert table.DEPRECATED_OPTIONS[("scheduler", "parsing_processes")] == (
        "scheduler",
        "max_threads",
        "1.10.14",
    )
    assert table.DEPRECATED_SECTIONS["kubernetes_executor"][0] == "kubernetes"
    assert "rbac" in table.REMOVED_OPTIONS_2_0["webserver"]
    assert "git_repo" in table.REMOVED_OPTIONS_2_0["kubernetes"]
    assert table.CHANGED_DEFAULTS_2_0[("core", "enable_xcom_pickling")] == ("True", "False")
