"""Find the real Airflow interpreters that tox built (one env per Airflow version).

The tool's end-to-end tests (corpus loads, rollout, verify) run on modern Python but drive
these interpreters as subprocesses. A missing env is a test failure with the command that
builds it, never a skip.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# tox env name -> (Airflow version, constraints file)
AIRFLOW_ENVS = {
    "af110": ("1.10.15", "constraints/airflow-1.10.15-py3.8.txt"),
    "af20": ("2.0.2", "constraints/airflow-2.0.2-py3.8.txt"),
    "af2": ("2.11.2", "constraints/airflow-2.11.2-py3.11.txt"),
    "af3": ("3.3.2", "constraints/airflow-3.3.2-py3.11.txt"),
}


def tox_workdir() -> Path:
    return Path(os.environ.get("AU_TOX_WORKDIR", REPO / ".tox"))


def airflow_python(env: str) -> Path:
    """The python binary of the tox env `env`; fails the test if it was not built."""
    if env not in AIRFLOW_ENVS:
        raise KeyError(f"unknown Airflow env {env!r}; known: {sorted(AIRFLOW_ENVS)}")
    python = tox_workdir() / env / "bin" / "python"
    if not python.exists():
        pytest.fail(
            f"Airflow {AIRFLOW_ENVS[env][0]} env missing: {python} does not exist. "
            f"Build it with `bash scripts/test -e {env}` (or `tox run -e {env} --notest`).",
            pytrace=False,
        )
    return python


def airflow_env_vars(env: str, airflow_home: Path, **extra: str) -> dict:
    """Environment for running `env`'s interpreter with a private AIRFLOW_HOME."""
    python = airflow_python(env)
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PYTHON", "VIRTUAL_ENV"))}
    environ.update(
        AIRFLOW_HOME=str(airflow_home),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__UNIT_TEST_MODE="True",
        PATH=f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        PYTHONDONTWRITEBYTECODE="1",
    )
    environ.update(extra)
    return environ


def init_airflow_db(env: str, airflow_home: Path, **extra: str) -> dict:
    """Create a fresh SQLite metadata DB for `env` in airflow_home; returns the env vars."""
    airflow_home.mkdir(parents=True, exist_ok=True)
    environ = airflow_env_vars(env, airflow_home, **extra)
    version = AIRFLOW_ENVS[env][0]
    args = (
        ["initdb"]
        if version.startswith("1.")
        else ["db", "init"]
        if version == "2.0.2"
        else ["db", "migrate"]
    )
    bin_airflow = airflow_python(env).parent / "airflow"
    subprocess.run([str(bin_airflow), *args], env=environ, check=True, capture_output=True, timeout=600)
    return environ


def run_json(env: str, script: str, *args: str, home: Path):
    """Run `script` (python -c) with `env`'s interpreter; its last stdout line is JSON, returned."""
    result = subprocess.run(
        [str(airflow_python(env)), "-c", script, *args],
        env=airflow_env_vars(env, home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
