"""AU134: `SqlSensor(allow_null=...)` is rejected by Airflow 2.0.

1.10.15's SqlSensor took `allow_null` (default True: a NULL first cell counted as success);
Airflow 2.0 removed it and treats NULL as "not yet". The equivalent is a `success=` callable,
but `success=` replaces the sensor's whole truth test and may already be given, so the rewrite
is left to the author.

## Example
```python
from airflow.sensors.sql_sensor import SqlSensor

wait = SqlSensor(task_id="wait", conn_id="db", sql="SELECT 1", allow_null=False, dag=dag)
```
Use instead:
```python
from airflow.sensors.sql_sensor import SqlSensor

wait = SqlSensor(task_id="wait", conn_id="db", sql="SELECT 1", dag=dag)
```
"""

from __future__ import annotations

import libcst as cst

from codemods._base import NO_FIX, Rule
from codemods._edit import is_airflow_class, keyword_arg


class SqlSensorAllowNull(Rule):
    code = "AU134"
    name = "sql-sensor-allow-null"
    summary = "Report `SqlSensor(allow_null=...)` (removed in 2.0; NULL is no longer success)"
    tokens = (b"allow_null",)
    fix = NO_FIX

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.in_import_guard:
            return updated
        if not is_airflow_class(self.ctx.imports.qualified_name(original.func), frozenset({"SqlSensor"})):
            return updated
        arg = keyword_arg(original, "allow_null")
        if arg is not None:
            self.report(
                arg,
                "`allow_null` was removed from SqlSensor in Airflow 2.0, where a NULL first cell is "
                "never success: "
                "remove it; to keep 1.10's allow_null=True behaviour pass "
                "`success=lambda cell: cell is None or bool(cell)` (if no `success=` is given yet)",
                fix=NO_FIX,
            )
        return updated
