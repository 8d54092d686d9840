"""AU161 against real Airflow: an argument 1.10.15's class did not know loads (ignored, with a
warning) on 1.10, fails the DAG import on 2.11.2, and after `fix --target 2` the DAG loads
there with the same task arguments as on 1.10.
"""

from __future__ import annotations

from tests.airflow_envs import run_json
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
