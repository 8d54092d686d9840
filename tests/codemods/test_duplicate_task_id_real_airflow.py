"""AU152 against real Airflow: what its message says 1.10.15 did with a repeated task id (kept
the first task; edges set on the later one reached the first by id, on the other side only)
and that 2.11.2 rejects the DAG at import.
"""

from __future__ import annotations

from tests.airflow_envs import run_json
from tests.codemods.helpers import diagnostics

DAG_SOURCE = """\
from datetime import datetime
from airflow import DAG
from airflow.operators.bash_operator import BashOperator

dag = DAG("dup", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
first = BashOperator(task_id="load", bash_command="echo first", dag=dag)
end = BashOperator(task_id="end", bash_command="echo end", dag=dag)
later = BashOperator(task_id="load", bash_command="echo later", dag=dag)
later >> end
"""

LOAD = """\
import json, sys, warnings
warnings.simplefilter("ignore")
try:
    namespace = {"__name__": "dagfile"}
    exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
    dag = namespace["dag"]
    print(json.dumps({
        "error": None,
        "load": dag.get_task("load").bash_command,
        "tasks": len(dag.tasks),
        "end_up": sorted(dag.get_task("end").upstream_task_ids),
        "load_down": sorted(dag.get_task("load").downstream_task_ids),
    }))
except Exception as exc:
    print(json.dumps({"error": type(exc).__name__}))
"""


def test_1_10_kept_the_first_task_and_2_x_rejects_the_dag(tmp_path):
    dag_file = tmp_path / "dup.py"
    dag_file.write_text(DAG_SOURCE)
    old = run_json("af110", LOAD, str(dag_file), home=tmp_path / "home110")
    assert old == {"error": None, "load": "echo first", "tasks": 2, "end_up": ["load"], "load_down": []}
    dag_file.write_text(DAG_SOURCE.replace("bash_operator", "bash"))
    assert run_json("af2", LOAD, str(dag_file), home=tmp_path / "home2") == {"error": "DuplicateTaskIdFound"}
    (found,) = diagnostics(DAG_SOURCE, target="2", select=["AU152"])
    assert found.line == 8 and found.fix is None
    assert "kept the first task (this one never ran" in found.message
