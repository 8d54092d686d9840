"""codemods/_dag_signature.py is what scripts/gen_dag_signature.py reads from the installed Airflows."""

import subprocess
import sys
from pathlib import Path

from codemods._dag_signature import BASE_OPERATOR_KWARGS, DAG_KWARGS
from tests.airflow_envs import airflow_python, tox_workdir

REPO = Path(__file__).resolve().parent.parent.parent


def test_committed_signature_table_matches_generator():
    for env in ("af110", "af2", "af3"):
        airflow_python(env)  # fails (never skips) with the command to build a missing env
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "gen_dag_signature.py"),
            "--check",
            "--tox-dir",
            str(tox_workdir()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        "codemods/_dag_signature.py drifted; run `python scripts/gen_dag_signature.py`\n"
        + result.stdout
        + result.stderr
    )


def test_table_knows_the_renames_the_rules_rely_on():
    assert {"catchup", "start_date", "default_args"} <= DAG_KWARGS["1.10"] & DAG_KWARGS["2"] & DAG_KWARGS["3"]
    assert {"schedule_interval", "concurrency"} <= DAG_KWARGS["1.10"] - DAG_KWARGS["3"]
    assert {"schedule", "max_active_tasks"} <= DAG_KWARGS["3"] - DAG_KWARGS["1.10"]
    assert "task_concurrency" in BASE_OPERATOR_KWARGS["1.10"] - BASE_OPERATOR_KWARGS["3"]
    assert "max_active_tis_per_dag" in BASE_OPERATOR_KWARGS["3"]
