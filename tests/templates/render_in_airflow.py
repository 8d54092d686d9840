"""Render templates the way a real task instance does, in whatever Airflow this runs under.

Run by tests/templates/test_rendering.py with each tox env's interpreter (Airflow 1.10.15 on
Python 3.8, Airflow 2.x on 3.11), so: Python 3.8 syntax, no imports from the project.
Input (argv[1], JSON): {"templates": {name: template}, "cases": {schedule: [iso, ...]}}.
Output (stdout, last line, JSON): {schedule: {iso: {name: rendered}}}.
For every date a SCHEDULED dag run is created at that logical date, with the data interval
the scheduler would give it (2.2+), and each task instance renders its templated field.
"""

import json
import sys

import airflow
from airflow import DAG
from airflow.utils import timezone

AIRFLOW_1 = airflow.__version__.startswith("1.")

if AIRFLOW_1:
    from airflow.operators.bash_operator import BashOperator
    from airflow.utils.state import State
else:
    from airflow.operators.bash import BashOperator
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunType


def build_dag(spec, schedule, dag_id):
    # A DAG object per run: render_templates() writes the rendered value into the task.
    kwargs = {"start_date": timezone.datetime(2020, 1, 1), "catchup": True}
    if AIRFLOW_1:
        kwargs["schedule_interval"] = schedule
    else:
        kwargs["schedule"] = schedule
    dag = DAG(dag_id, **kwargs)
    for name, template in spec["templates"].items():
        BashOperator(task_id=name, bash_command=template, dag=dag)
    return dag


def render(spec, schedule, dag_id):
    out = {}
    for iso in spec["cases"][schedule]:
        logical = timezone.parse(iso)
        dag = build_dag(spec, schedule, dag_id)
        if AIRFLOW_1:
            run = dag.create_dagrun(
                run_id="scheduled__" + logical.isoformat(), execution_date=logical, state=State.RUNNING
            )
        else:
            run = dag.create_dagrun(
                state=DagRunState.RUNNING,
                execution_date=logical,
                run_id="scheduled__" + logical.isoformat(),
                run_type=DagRunType.SCHEDULED,
                data_interval=dag.infer_automated_data_interval(logical),
            )
        rendered = {}
        for ti in run.get_task_instances():
            ti.task = dag.get_task(ti.task_id)
            ti.render_templates()
            rendered[ti.task_id] = ti.task.bash_command
        out[iso] = rendered
    return out


if __name__ == "__main__":
    spec = json.loads(sys.argv[1])
    results = {}
    for number, schedule in enumerate(sorted(spec["cases"])):
        results[schedule] = render(spec, schedule, "kst_rendering_" + str(number))
    print(json.dumps(results))
