"""AU302: `DAG(concurrency=...)` -> `DAG(max_active_tasks=...)`.

Renamed in Airflow 2.2 (the old name deprecated), removed in 3.0, where it fails the import.

## Example
```python target=3
from airflow import DAG

dag = DAG("etl", schedule_interval="@daily", concurrency=4)
```
Use instead:
```python
from airflow import DAG

dag = DAG("etl", schedule_interval="@daily", max_active_tasks=4)
```
"""

from __future__ import annotations

import libcst as cst

from codemods._base import NO_FIX, SAFE, Rule
from codemods._dag_calls import DagConstructions, rename_keyword
from codemods._edit import keyword_arg


class DagConcurrencyArgument(DagConstructions, Rule):
    code = "AU302"
    name = "dag-concurrency-argument"
    summary = "`DAG(concurrency=...)` -> `DAG(max_active_tasks=...)` (removed in 3.0)"
    tokens = (b"concurrency",)
    min_target = (3, 0)
    fix = SAFE

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        safety = self.construction_fix(original)
        if safety is None:
            return updated
        arg = keyword_arg(original, "concurrency")
        if arg is None:
            return updated
        if keyword_arg(original, "max_active_tasks") is not None:
            self.report(
                arg,
                "`concurrency` was removed in Airflow 3.0 and `max_active_tasks` is set: drop it",
                fix=NO_FIX,
            )
            return updated
        fixing = self.may_fix(safety)
        note = self.wrapper_note(original, safety)
        self.report(
            arg,
            f"`concurrency` was removed in Airflow 3.0: use `max_active_tasks=`{note}",
            fix=safety,
            applied=fixing,
        )
        if not fixing:
            return updated
        return updated.with_changes(
            args=[
                rename_keyword(a, "max_active_tasks")
                if a.keyword is not None and a.keyword.value == "concurrency"
                else a
                for a in updated.args
            ]
        )
