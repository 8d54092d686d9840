"""AU301: `DAG(schedule_interval=...)` / `DAG(timetable=...)` -> `DAG(schedule=...)`.

`schedule` was added in Airflow 2.4 and the two older arguments were deprecated then; Airflow
3.0 removed them (the DAG fails to import). The value is kept as it is: `schedule` accepts the
cron strings, presets, timedeltas, None and timetables the old arguments took.

## Example
```python target=3
from airflow import DAG

dag = DAG("etl", schedule_interval="@daily")
```
Use instead:
```python
from airflow import DAG

dag = DAG("etl", schedule="@daily")
```
"""

from __future__ import annotations

import libcst as cst

from codemods._base import NO_FIX, SAFE, Rule
from codemods._dag_calls import DagConstructions, rename_keyword
from codemods._edit import keyword_arg

OLD = ("schedule_interval", "timetable")


class DagScheduleArgument(DagConstructions, Rule):
    code = "AU301"
    name = "dag-schedule-argument"
    summary = "`DAG(schedule_interval=...)` / `DAG(timetable=...)` -> `DAG(schedule=...)` (removed in 3.0)"
    tokens = (b"schedule_interval", b"timetable")
    min_target = (3, 0)
    fix = SAFE

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        safety = self.construction_fix(original)
        if safety is None:
            return updated
        old = [arg for arg in original.args if arg.keyword is not None and arg.keyword.value in OLD]
        if not old:
            return updated
        if len(old) > 1 or keyword_arg(original, "schedule") is not None:
            self.report(old[0], "several schedule arguments: keep one `schedule=` (Airflow 3.0)", fix=NO_FIX)
            return updated
        keyword = old[0].keyword.value  # type: ignore[union-attr]
        fixing = self.may_fix(safety)
        note = self.wrapper_note(original, safety)
        self.report(
            old[0],
            f"`{keyword}` was removed in Airflow 3.0: use `schedule=`{note}",
            fix=safety,
            applied=fixing,
        )
        if not fixing:
            return updated
        return updated.with_changes(
            args=[
                rename_keyword(arg, "schedule")
                if arg.keyword is not None and arg.keyword.value in OLD
                else arg
                for arg in updated.args
            ]
        )
