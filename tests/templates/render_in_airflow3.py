"""Render templates for scheduled runs on Airflow 3.x, where a run is found through the DAG's timetable.

Run by tests/templates/test_rendering.py with the af3 env's interpreter. Airflow 3 builds the
task context on the worker from the dag run the scheduler created; here the dag run's values
come from the DAG's real timetable (what the scheduler asks: `next_dagrun_info`, from the start
date on, catchup), and the template is rendered by the operator's own `render_template` with
the DAG's Jinja environment (Airflow's filters such as `ds`). The run is identified the way a
1.10 user knows it, by when it runs: 1.10's run for logical date E ran at the end of its
interval, so the Airflow 3 run compared with it is the one that runs at that time.
Input (argv[1], JSON): {"templates": {...}, "cases": {schedule: [iso, ...]}, "interval": seconds}.
Output (stdout, last line, JSON): {schedule: {iso: {name: rendered}}}.
"""

import json
import sys
from datetime import timedelta

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, timezone
from airflow.serialization.encoders import coerce_to_core_timetable
from airflow.timetables.base import TimeRestriction


def run_for(timetable, start, run_after):
    """The DagRunInfo of the scheduled run that runs at `run_after`."""
    restriction = TimeRestriction(earliest=start, latest=None, catchup=True)
    last = None
    for _ in range(5000):
        info = timetable.next_dagrun_info(last_automated_data_interval=last, restriction=restriction)
        if info.run_after == run_after:
            return info
        if info.run_after > run_after:
            raise SystemExit(f"no scheduled run at {run_after}")
        last = info.data_interval
    raise SystemExit(f"no scheduled run at {run_after} within 5000 runs")


def render(spec, schedule, dag_id):
    start = timezone.datetime(2020, 1, 1)
    dag = DAG(dag_id, schedule=schedule, start_date=start, catchup=True)
    tasks = {
        name: BashOperator(task_id=name, bash_command=t, dag=dag) for name, t in spec["templates"].items()
    }
    timetable = coerce_to_core_timetable(dag.timetable)
    out = {}
    for iso in spec["cases"][schedule]:
        run_after = timezone.parse(iso) + timedelta(seconds=spec["interval"])
        info = run_for(timetable, start, run_after)
        logical = info.logical_date
        context = {
            "data_interval_start": info.data_interval.start,
            "data_interval_end": info.data_interval.end,
            "logical_date": logical,
            "ds": logical.strftime("%Y-%m-%d"),
            "ds_nodash": logical.strftime("%Y%m%d"),
        }
        out[iso] = {name: task.render_template(task.bash_command, context) for name, task in tasks.items()}
    return out


if __name__ == "__main__":
    spec = json.loads(sys.argv[1])
    print(
        json.dumps(
            {s: render(spec, s, "kst_rendering_" + str(n)) for n, s in enumerate(sorted(spec["cases"]))}
        )
    )
