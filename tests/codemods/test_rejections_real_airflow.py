"""The 1.10-isms of AU130-AU134 against real Airflow: each loads on 1.10.15, is rejected at DAG
import by Airflow 2.0.2, and - where the rule fixes it - loads on 2.0.2 after `fix`.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.airflow_envs import run_json
from tests.codemods.helpers import run_fix

HEADER = """\
from datetime import datetime
from airflow import DAG
dag = DAG("d", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
"""

# code -> (task statement(s), fixed by the rule?)
CASES = {
    "AU130": (
        "from airflow.operators.dagrun_operator import TriggerDagRunOperator\n"
        "t = TriggerDagRunOperator(task_id='t', trigger_dag_id='o', python_callable=lambda c, d: d, "
        "dag=dag)\n",
        True,  # a callable that returns the run object unchanged (no payload) goes
    ),
    "AU131": (
        "from airflow.operators.subdag_operator import SubDagOperator\n"
        "from airflow.executors.sequential_executor import SequentialExecutor\n"
        "sub = DAG('d.s', start_date=datetime(2021, 1, 1), schedule_interval='@daily')\n"
        "t = SubDagOperator(task_id='s', subdag=sub, executor=SequentialExecutor(), dag=dag)\n",
        True,
    ),
    "AU132": (
        "from airflow.operators.bash_operator import BashOperator\n"
        "t = BashOperator(task_id='t', bash_command='echo 1', xcom_push=True, dag=dag)\n",
        True,
    ),
    "AU133": (
        "from airflow.operators.dummy_operator import DummyOperator\n"
        "t = DummyOperator(task_id='t', schedule_interval='@hourly', dag=dag)\n",
        True,
    ),
    "AU134": (
        "from airflow.sensors.sql_sensor import SqlSensor\n"
        "t = SqlSensor(task_id='t', conn_id='db', sql='select 1', allow_null=False, dag=dag)\n",
        False,
    ),
}

LOAD = """\
import json, sys, warnings
warnings.simplefilter("ignore")
try:
    exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), {"__name__": "dagfile"})
    print(json.dumps({"error": None}))
except Exception as exc:
    print(json.dumps({"error": "%s: %s" % (type(exc).__name__, exc)}))
"""


def load(env: str, source: str, tmp_path, name: str):
    dag_file = tmp_path / f"{name}_{env}.py"
    dag_file.write_text(source)
    return run_json(env, LOAD, str(dag_file), home=tmp_path / f"home_{env}")["error"]


@pytest.mark.parametrize("code", sorted(CASES))
def test_loads_on_1_10_rejected_by_2_0_and_fixed_when_fixable(code, tmp_path):
    body, fixable = CASES[code]
    source = HEADER + body
    assert load("af110", source, tmp_path, "orig") is None
    error = load("af20", source, tmp_path, "orig")
    assert error is not None and (
        "Invalid arguments" in error or "unexpected keyword" in error or "xcom_push" in error
    ), error
    _, result = run_fix(source, target="2.0", select=["AU101", code], unsafe=True)
    assert result.error is None
    assert any(d.code == code for d in result.diagnostics)
    if not fixable:
        assert not any(d.code == code and d.applied for d in result.diagnostics)
        return
    fixed = result.new_source.decode()
    assert load("af20", textwrap.dedent(fixed), tmp_path, "fixed") is None, fixed
