"""AU307: cron / timedelta schedules change meaning on Airflow 3.0 unless the config says otherwise.

1.10 and 2.x run a cron string, preset or timedelta schedule as data intervals: the run for
[start, end) starts at `end` and its logical date (execution_date) is `start`. Airflow 3.0 turns
them into CronTriggerTimetable / DeltaTriggerTimetable by default: the logical date is the run
time and data_interval_start == data_interval_end, so `{{ data_interval_start }}` (AU201's rewrite of
`execution_date`) renders the run time. `[scheduler] create_cron_data_intervals = True` and
`create_delta_data_intervals = True` keep the old meaning for every DAG (or pass
CronDataIntervalTimetable / DeltaDataIntervalTimetable explicitly). A diagnostic only: the fix
belongs in airflow.cfg.

## Example
```python target=3
from datetime import datetime

from airflow import DAG

dag = DAG("etl", schedule="0 15 * * *", start_date=datetime(2021, 1, 1), catchup=False)
```
Use instead:
```python
from datetime import datetime

from airflow import DAG
from airflow.timetables.interval import CronDataIntervalTimetable

dag = DAG(
    "etl",
    schedule=CronDataIntervalTimetable("0 15 * * *", timezone="UTC"),
    start_date=datetime(2021, 1, 1),
    catchup=False,
)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from codemods._base import Finding, Rule
from codemods._dag_calls import is_dag_call, positional_schedule, without_schedule
from codemods._edit import string_literal
from codemods.dag_schedule_argument import bridged_schedule_value

SCHEDULE_ARGS = ("schedule_interval", "schedule")
NOT_PERIODIC = ("@once", "@continuous", "None")
CRON = (
    "Airflow 3.0 runs cron schedules as CronTriggerTimetable (logical date = run time, no data interval) "
    "unless `[scheduler] create_cron_data_intervals = True`: set it to keep the 1.10 run dates and "
    "data_interval_* / logical_date values, or pass `CronDataIntervalTimetable(...)`"
)
DELTA = (
    "Airflow 3.0 runs timedelta schedules as DeltaTriggerTimetable unless "
    "`[scheduler] create_delta_data_intervals = True`: set it to keep the 1.10 run dates and "
    "data_interval_* / logical_date values, or pass `DeltaDataIntervalTimetable(...)`"
)


# A DAG without a schedule ran daily in data intervals up to 2.x; AU308 writes that default out.
DEFAULT = (
    "no schedule: 1.10's default `timedelta(days=1)` (AU308 writes it) is a timedelta schedule. " + DELTA
)


class ScheduleSemantics(Rule):
    code = "AU307"
    name = "schedule-semantics"
    summary = "Report cron/timedelta schedules whose run dates change on 3.0 (create_*_data_intervals)"
    tokens = (b"schedule", b"DAG")
    min_target = (3, 0)
    fix = None
    node_types = (ast.Call,)
    in_import_guards = True  # reported in version-switched code too

    def check(self, node: ast.Call) -> Iterator[Finding]:
        if not is_dag_call(node, self.ctx.imports):
            return
        if without_schedule(node, self.ctx.imports):
            yield Finding(node, DEFAULT)
            return
        values = []
        for keyword in node.keywords:
            value = bridged_schedule_value(keyword, self.ctx)
            if value is None:
                if keyword.arg not in SCHEDULE_ARGS:
                    continue
                value = keyword.value
            values.append(value)
        positional = positional_schedule(node)
        if positional is not None:
            values.append(positional)  # `DAG("id", "description", "0 8 * * *")`
        for value in values:
            if string_literal(value, self.ctx.lines) is not None:
                if value.value not in NOT_PERIODIC:  # type: ignore[attr-defined]
                    yield Finding(value, CRON)
            elif isinstance(value, ast.Call):
                func = value.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("timedelta", "relativedelta", "duration"):
                    yield Finding(value, DELTA)
