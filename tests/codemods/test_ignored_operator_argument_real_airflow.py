"""AU161 against real Airflow: an argument 1.10.15's class did not know loads (ignored, with a
warning) on 1.10, fails the DAG import on 2.11.2, and after `fix --target 2` the DAG loads
there with the same task arguments as on 1.10.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.airflow_envs import airflow_python, run_json, tox_workdir
from tests.codemods.helpers import run_fix

DAG_SOURCE = """\
from datetime import datetime
from airflow import DAG
from airflow.operators.bash_operator import BashOperator

dag = DAG("ignored", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
t = BashOperator(
    task_id="t",
    bash_command="echo hi",
    retry=3,
    dag=dag,
)
"""

LOAD = """\
import json, sys, warnings
warnings.simplefilter("ignore")
try:
    namespace = {"__name__": "dagfile"}
    exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
    task = namespace["dag"].get_task("t")
    print(json.dumps({"error": None, "bash_command": task.bash_command, "retries": task.retries}))
except Exception as exc:
    print(json.dumps({"error": "%s: %s" % (type(exc).__name__, exc)}))
"""


def load(env: str, source: str, tmp_path, name: str) -> dict:
    dag_file = tmp_path / f"{name}_{env}.py"
    dag_file.write_text(source)
    return run_json(env, LOAD, str(dag_file), home=tmp_path / f"home_{name}_{env}")


def test_ignored_argument_removed_and_dag_loads_as_on_1_10(tmp_path):
    before = load("af110", DAG_SOURCE, tmp_path, "orig")
    assert before["error"] is None
    rejected = load("af2", DAG_SOURCE.replace("bash_operator", "bash"), tmp_path, "orig")
    assert "retry" in (rejected["error"] or ""), rejected
    _, result = run_fix(DAG_SOURCE, target="2")
    assert result.error is None and result.new_source is not None
    after = load("af2", result.new_source.decode(), tmp_path, "fixed")
    assert after == before


def test_committed_1_10_signatures_match_generator():
    airflow_python("af110")  # fails (never skips) with the command to build a missing env
    repo = Path(__file__).resolve().parent.parent.parent
    result = subprocess.run(
        [
            sys.executable,
            str(repo / "scripts" / "gen_operator_kwargs_1_10.py"),
            "--check",
            "--tox-dir",
            str(tox_workdir()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        "codemods/_generated/operator_kwargs_1_10.json drifted; run `python scripts/gen_operator_kwargs_1_10.py`\n"
        + result.stdout
        + result.stderr
    )


def test_committed_base_sensor_kwargs_match_generator():
    for env in ("af2", "af3"):
        airflow_python(env)  # fails (never skips) with the command to build a missing env
    repo = Path(__file__).resolve().parent.parent.parent
    result = subprocess.run(
        [
            sys.executable,
            str(repo / "scripts" / "gen_base_sensor_kwargs.py"),
            "--check",
            "--tox-dir",
            str(tox_workdir()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
