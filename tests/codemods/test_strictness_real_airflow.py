"""1.10 leniencies that Airflow 2.0 rejects, on real Airflow: each source loads on 1.10.15, fails
at DAG import on 2.0.2, and after `fix` loads on 2.0.2 and on 3.3.2 with the tasks and edges
1.10.15 built."""

from __future__ import annotations

import pytest

from tests.airflow_envs import run_json
from tests.codemods.helpers import run_fix

DUMP = """\
import json, sys, warnings
warnings.simplefilter("ignore")
scope = {"__name__": "dagfile"}
try:
    exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), scope)
except Exception as exc:
    print(json.dumps({"error": "%s: %s" % (type(exc).__name__, exc)}))
    raise SystemExit(0)
def trigger_conf(task):
    # 1.10: what python_callable gives the run (json.dumps of the payload); 2.x/3.x: conf=
    callable_ = getattr(task, "python_callable", None)
    if callable_ is None:
        return task.conf
    from airflow.operators.dagrun_operator import DagRunOrder
    order = callable_({}, DagRunOrder(run_id="r"))
    return json.loads(json.dumps(order.payload)) if order else "not triggered"
dags, triggers = {}, {}
for value in scope.values():
    if any(c.__name__ == "DAG" for c in type(value).__mro__):
        dags[value.dag_id] = {
            "tasks": sorted([t.task_id, sorted(t.downstream_task_ids)] for t in value.tasks),
            "description": value.description,
        }
        for task in value.tasks:
            if type(task).__name__ == "TriggerDagRunOperator":
                triggers[task.task_id] = trigger_conf(task)
print(json.dumps({"error": None, "dags": dags, "triggers": triggers}))
"""

CASES = {
    "AU110": """\
from datetime import datetime
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
dag = DAG("d", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
t1 = BashOperator(task_id="t1", bash_command="echo 1", provide_context=True, dag=dag)
""",
    "AU151": """\
from datetime import datetime
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
dag = DAG("d", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
t1 = BashOperator(task_id="t1", bash_command="echo 1", dag=dag)
t2 = BashOperator(task_id="t2", bash_command="echo 2", dag=dag)
t1 > t2
""",
    "AU130": """\
from datetime import datetime
from airflow import DAG
from airflow.operators.dagrun_operator import TriggerDagRunOperator, DagRunOrder
def set_payload(context, dag_run_obj: DagRunOrder) -> DagRunOrder:
    dag_run_obj.payload = {"source": "daily", "limit": 10, "tags": ["a", None, True]}
    return dag_run_obj
dag = DAG("d", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
t = TriggerDagRunOperator(task_id="t", trigger_dag_id="o", python_callable=set_payload, dag=dag)
u = TriggerDagRunOperator(task_id="u", trigger_dag_id="o", python_callable=lambda c, d: d, dag=dag)
""",
    "AU150": """\
from datetime import datetime
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
with DAG("d", start_date=datetime(2021, 1, 1), schedule_interval="@daily") as dag:
    t1 = BashOperator(task_id="t1", bash_command="echo 1")
    t2 = BashOperator(task_id="t2", bash_command="echo 2")
    (dag >> t1
     >> t2)
other = DAG("o", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
t3 = BashOperator(task_id="t3", bash_command="echo 3")
t4 = BashOperator(task_id="t4", bash_command="echo 4", dag=other)
other >> t3 >> t4
""",
}


def dump(env: str, source: str, tmp_path, name: str) -> dict:
    dag_file = tmp_path / f"{name}_{env}.py"
    dag_file.write_text(source)
    return run_json(env, DUMP, str(dag_file), home=tmp_path / f"home_{env}")


@pytest.mark.parametrize("code", sorted(CASES))
def test_loads_on_1_10_fails_on_2_0_and_fixed_builds_the_same_dags(code, tmp_path):
    source = CASES[code]
    before = dump("af110", source, tmp_path, "orig")
    assert before["error"] is None and before["dags"], before
    assert dump("af20", source, tmp_path, "orig")["error"] is not None
    for env, target in (("af20", "2.0"), ("af3", "3")):
        _, result = run_fix(source, target=target, unsafe=False)
        assert result.error is None, result.error
        assert any(d.code == code and d.applied for d in result.diagnostics)
        fixed = result.new_source.decode()
        after = dump(env, fixed, tmp_path, f"fixed{target}")
        assert after == before, fixed


# Rejected by Airflow 3 only (2.x still accepts them).
TARGET3_CASES = {
    "AU153": """\
from datetime import datetime, timedelta
import airflow
from airflow.operators.bash_operator import BashOperator
with airflow.DAG("d", "catchup=False", default_args={"start_date": datetime(2021, 1, 1)}, catchup=False,
                 schedule_interval=timedelta(days=1)) as dag:
    BashOperator(task_id="t", bash_command="echo 1")
""",
    "AU309": """\
from datetime import datetime
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
with DAG("d", start_date=datetime(2021, 1, 1), schedule_interval="@daily", catchup=False,
         default_view="graph", orientation="TB") as dag:
    BashOperator(task_id="t", bash_command="echo 1")
""",
    "AU301": """\
from datetime import datetime
from airflow.models import DAG
from airflow.operators.bash_operator import BashOperator
class CompanyDag(DAG):
    def __init__(self, dag_id, **kwargs):
        super().__init__(dag_id, schedule_interval="@daily", catchup=False, concurrency=4,
                         start_date=datetime(2021, 1, 1), **kwargs)
dag = CompanyDag("d", description="company")
BashOperator(task_id="t", bash_command="echo 1", dag=dag)
""",
}


@pytest.mark.parametrize("code", sorted(TARGET3_CASES))
def test_loads_on_1_10_fails_on_3_and_fixed_builds_the_same_dags(code, tmp_path):
    source = TARGET3_CASES[code]
    before = dump("af110", source, tmp_path, "orig")
    assert before["error"] is None and before["dags"], before
    assert dump("af3", source, tmp_path, "orig")["error"] is not None
    _, result = run_fix(source, target="3", unsafe=False)
    assert result.error is None, result.error
    assert any(d.code == code and d.applied for d in result.diagnostics)
    fixed = result.new_source.decode()
    assert dump("af3", fixed, tmp_path, "fixed3") == before, fixed


# Rejected by Airflow 3 with no exact rewrite: `check --target 3` reports the failing line.
REPORTED_ON_3 = {
    "AU310": (
        """\
from datetime import datetime, timedelta
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
dag = DAG("d", start_date=datetime(2021, 1, 1), schedule_interval="@daily", catchup=False,
          params={"since": datetime(2021, 1, 1)})
BashOperator(task_id="t", bash_command="echo {{ params.since }}", params={"gap": timedelta(days=1)}, dag=dag)
""",
        "json-serializable",
    ),
}


@pytest.mark.parametrize("code", sorted(REPORTED_ON_3))
def test_loads_on_1_10_fails_on_3_and_check_reports_it(code, tmp_path):
    source, error = REPORTED_ON_3[code]
    before = dump("af110", source, tmp_path, "orig")
    assert before["error"] is None and before["dags"], before
    _, result = run_fix(source, target="3", unsafe=True)
    fixed = result.new_source.decode() if result.new_source else source
    after = dump("af3", fixed, tmp_path, "fixed3")
    assert error in (after["error"] or ""), after
    reported = {d.line for d in result.diagnostics if d.code == code}
    assert reported == {5, 6}, result.diagnostics
