"""The reference team's idiom end to end: a 1.10 DAG with the KST constants, a for loop of tasks,
`**kwargs` context reads and the `catchUp` typo, fixed for each target, loads on the real target
Airflow with the same DAG (dag id, task ids, edges) - measured by `airflow-upgrade verify`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.airflow_envs import airflow_python

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

KST_DAG = """\
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.operators.python_operator import PythonOperator
from airflow.operators.dummy_operator import DummyOperator
from airflow.utils.dates import days_ago

YESTERDAY = '{{ execution_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'
TODAY = '{{ next_execution_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'

default_args = {
    "owner": "data",
    "start_date": days_ago(2),
    "catchUp": False,
    "provide_context": True,
    "retries": 1,
    "retry_delay": timedelta(minutes=5),
}


def report(ds, execution_date, **kwargs):
    print(ds, execution_date, kwargs["next_execution_date"], kwargs["dag_run"].execution_date)


with DAG("kst_daily", default_args=default_args, schedule_interval="0 15 * * *", concurrency=4) as dag:
    start = DummyOperator(task_id="start")
    for table in ["users", "orders", "payments"]:
        load = BashOperator(
            task_id="load_" + table,
            bash_command="load.sh " + table + " " + YESTERDAY + " " + TODAY + " {{ next_ds }}",
            task_concurrency=1,
        )
        done = PythonOperator(task_id="report_" + table, python_callable=report, provide_context=True)
        start >> load >> done
"""
# Differences that are the point of the rewrite, not a different DAG.
EXPECTED_KINDS = {"note", "template"}


def verify(dags: Path, env: str, target: str) -> dict:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "upgrade",
            "verify",
            "--before-env",
            str(airflow_python("af110")),
            "--after-env",
            str(airflow_python(env)),
            str(dags),
            "--fix",
            "--target",
            target,
            "--unsafe-fixes",
            "--output-format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.mark.parametrize("env, target", [("af20", "2.0"), ("af2", "2"), ("af3", "3")])
def test_kst_for_loop_dag_after_fix_builds_the_same_dag(tmp_path, env, target):
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "kst_daily.py").write_text(KST_DAG)
    report = verify(dags, env, target)
    assert report["files_still_loading"] == report["files_loading_before"] == 1, report
    (dag,) = report["dags"]
    assert dag["dag_id"] == "kst_daily" and dag["status"] in ("identical", "different"), dag
    structural = [d for d in dag["differences"] if d["kind"] not in EXPECTED_KINDS]
    assert structural == [], structural
    templates = [d for d in dag["differences"] if d["kind"] == "template"]
    # the KST templates are rewritten where data intervals exist (2.2+), and only there
    assert len(templates) == (0 if target == "2.0" else 3), templates
    assert (dags / "kst_daily.py").read_text() == KST_DAG  # verify fixed a copy
