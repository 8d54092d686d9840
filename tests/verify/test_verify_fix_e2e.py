"""`verify --before-env --after-env DAGS_DIR [--fix]` end to end on a small 1.10 DAG repo:
Airflow 1.10.15 before; after: `fix --target 2.0` on 2.0.2, and unchanged on 3.3.2 (side by side)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.airflow_envs import airflow_python

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

LEGACY_DAG = """
from datetime import datetime

from airflow import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.operators.dummy_operator import DummyOperator
from airflow.operators.python_operator import PythonOperator


def hello(**context):
    print(context["ds"])


default_args = {"owner": "data", "provide_context": True, "start_date": datetime(2021, 1, 1)}
dag = DAG("legacy", schedule_interval="@daily", default_args=default_args)
start = DummyOperator(task_id="start", dag=dag)
run = PythonOperator(task_id="run", python_callable=hello, provide_context=True, dag=dag)
report = BashOperator(task_id="report", bash_command="echo {{ ds }}", dag=dag)
start >> run >> report
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    repo = tmp_path_factory.mktemp("legacy_repo")
    (repo / "legacy.py").write_text(LEGACY_DAG)
    common = [sys.executable, "-m", "upgrade", "verify", "--before-env", str(airflow_python("af110"))]
    common += [str(repo), "-j", "1", "--timeout", "120"]
    fixed = [*common, "--after-env", str(airflow_python("af20")), "--fix", "--target", "2.0"]
    unchanged = [*common, "--after-env", str(airflow_python("af3"))]
    processes = {
        "fixed": subprocess.Popen(fixed, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        "unchanged": subprocess.Popen(unchanged, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
    }
    outcome = {
        name: (*process.communicate(timeout=900), process.returncode) for name, process in processes.items()
    }
    return repo, outcome


def test_unchanged_1_10_dag_fails_on_3_with_the_reason(results):
    _, outcome = results
    stdout, stderr, code = outcome["unchanged"]
    assert code == 1, stderr
    assert "New import errors (1 files loaded before, fail after):" in stdout
    # 2.0.2 and 2.11.2 still load it (deprecation shims; PythonOperator drops provide_context
    # with a warning); Airflow 3.0 removed the 1.10 module paths.
    assert (
        "  legacy.py: import_error: ModuleNotFoundError: No module named 'airflow.operators.bash_operator'"
        in stdout
    )
    assert stdout.rstrip().endswith("0 of 1 files load; 0 of 1 DAGs structurally identical")


def test_fixed_copy_builds_the_same_dag_and_the_repo_is_untouched(results):
    repo, outcome = results
    stdout, stderr, code = outcome["fixed"]
    assert code == 0, stdout + stderr
    assert stdout.rstrip().endswith("1 of 1 files load; 1 of 1 DAGs structurally identical")
    assert (repo / "legacy.py").read_text() == LEGACY_DAG
