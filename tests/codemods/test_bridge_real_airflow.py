"""Bridge forms against real Airflow: after `fix --target 2 --bridge` one file builds the same
tasks, with the same arguments, on 1.10.15 and on 2.11.2.

- a module import whose class the fix renamed (`dummy_operator.DummyOperator` ->
  `dummy_operator.EmptyOperator`): the `except` branch gives the 1.10 module the new name;
- a removed operator (PostgresOperator -> SQLExecuteQueryOperator): the old argument reaches
  1.10's class through the task's default_args, which the replacement ignores;
- `@apply_defaults` kept, imported from `airflow.utils.decorators` (1.10 needs it to apply
  default_args to a custom operator's own parameters).
"""

from __future__ import annotations

from tests.airflow_envs import run_json
from tests.codemods.helpers import run_fix

DAG_SOURCE = """\
from datetime import datetime
from airflow import DAG
from airflow.models import BaseOperator
from airflow.operators import dummy_operator
from airflow.operators.postgres_operator import PostgresOperator
from airflow.utils import apply_defaults


class TableOperator(BaseOperator):
    @apply_defaults
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    def execute(self, context):
        return self.table


dag = DAG("bridge", start_date=datetime(2021, 1, 1), schedule_interval="@daily",
          default_args={"table": "from_defaults"})
start = dummy_operator.DummyOperator(task_id="start", dag=dag)
load = PostgresOperator(task_id="load", sql="select 1", postgres_conn_id="warehouse", dag=dag)
fallback = PostgresOperator(task_id="fallback", sql="select 2", dag=dag)
table = TableOperator(task_id="table", dag=dag)
start >> load >> fallback >> table
"""

LOAD = """\
import json, sys, warnings
warnings.simplefilter("ignore")
try:
    namespace = {"__name__": "dagfile"}
    exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
    dag = namespace["dag"]

    def conn(task):
        return getattr(task, "postgres_conn_id", None) or task.conn_id

    print(json.dumps({
        "error": None,
        "tasks": {t.task_id: sorted(t.upstream_task_ids) for t in dag.tasks},
        "load": [conn(dag.get_task("load")), dag.get_task("load").sql],
        "fallback": [conn(dag.get_task("fallback")), dag.get_task("fallback").sql],
        "table": dag.get_task("table").table,
    }))
except Exception as exc:
    print(json.dumps({"error": "%s: %s" % (type(exc).__name__, exc)}))
"""


def load(env: str, source: str, tmp_path, name: str) -> dict:
    dag_file = tmp_path / f"{name}_{env}.py"
    dag_file.write_text(source)
    return run_json(env, LOAD, str(dag_file), home=tmp_path / f"home_{name}_{env}")


def test_bridged_file_builds_the_same_tasks_on_1_10_and_2_11(tmp_path):
    before = load("af110", DAG_SOURCE, tmp_path, "orig")
    assert before == {
        "error": None,
        "tasks": {"start": [], "load": ["start"], "fallback": ["load"], "table": ["fallback"]},
        "load": ["warehouse", "select 1"],
        "fallback": ["postgres_default", "select 2"],
        "table": "from_defaults",
    }
    _, result = run_fix(DAG_SOURCE, target="2", bridge=True)
    assert result.error is None and result.new_source is not None
    bridged = result.new_source.decode()
    assert "default_args={" in bridged and "dummy_operator.EmptyOperator = " in bridged
    assert load("af110", bridged, tmp_path, "bridged") == before
    assert load("af2", bridged, tmp_path, "bridged") == before


# A maintenance DAG (one cleanup task per metadata model): it binds `ImportError` itself (1.10's
# model) and reads `DagModel.last_scheduler_run`, which 2.0.2's migration renamed.
MAINTENANCE_SOURCE = """\
from datetime import datetime
from airflow import DAG
from airflow.jobs import BaseJob
from airflow.models import DagModel
from airflow.operators.python_operator import PythonOperator

OBJECTS = [(BaseJob, BaseJob.latest_heartbeat), (DagModel, DagModel.last_scheduler_run)]
try:
    from airflow.models import ImportError
    OBJECTS.append((ImportError, ImportError.timestamp))
except Exception:
    pass

dag = DAG("maintenance", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
for model, column in OBJECTS:
    PythonOperator(task_id="cleanup_" + model.__tablename__, python_callable=print,
                   op_kwargs={"column": column}, dag=dag)
"""

MAINTENANCE_LOAD = """\
import json, sys, warnings
warnings.simplefilter("ignore")
try:
    namespace = {"__name__": "dagfile"}
    exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
    dag = namespace["dag"]
    print(json.dumps({
        "error": None,
        # the table and the database column each task's query reads
        "columns": {t.task_id: [t.op_kwargs["column"].class_.__tablename__, t.op_kwargs["column"].expression.name]
                    for t in dag.tasks},
    }))
except Exception as exc:
    print(json.dumps({"error": "%s: %s" % (type(exc).__name__, exc)}))
"""


def test_bridged_maintenance_dag_reads_the_same_columns_on_1_10_and_2_11(tmp_path):
    def columns(env, source, name):
        dag_file = tmp_path / f"{name}_{env}.py"
        dag_file.write_text(source)
        return run_json(env, MAINTENANCE_LOAD, str(dag_file), home=tmp_path / f"home_{name}_{env}")

    before = columns("af110", MAINTENANCE_SOURCE, "orig")
    assert before == {
        "error": None,
        "columns": {
            "cleanup_job": ["job", "latest_heartbeat"],
            "cleanup_dag": ["dag", "last_scheduler_run"],
            "cleanup_import_error": ["import_error", "timestamp"],
        },
    }
    _, result = run_fix(MAINTENANCE_SOURCE, target="2", bridge=True)
    assert result.error is None and result.new_source is not None
    bridged = result.new_source.decode()
    assert "except builtins.ImportError:" in bridged and 'hasattr(DagModel, "last_parsed_time")' in bridged
    assert columns("af110", bridged, "bridged") == before
    # 2.x's model names the column `last_parsed_time`: the one 2.0.2's migration renamed in place
    after = {**before["columns"], "cleanup_dag": ["dag", "last_parsed_time"]}
    assert columns("af2", bridged, "bridged") == {"error": None, "columns": after}
    _, plain = run_fix(MAINTENANCE_SOURCE, target="2")
    assert columns("af2", plain.new_source.decode(), "plain") == {"error": None, "columns": after}
    _, closed = run_fix(bridged, target="2", close_bridge=True)
    assert closed.new_source == plain.new_source
