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

import ast
from collections.abc import Iterator

from codemods._base import NO_FIX, Finding, Rule
from codemods._edit import is_airflow_class


class SqlSensorAllowNull(Rule):
    code = "AU134"
    name = "sql-sensor-allow-null"
    summary = "Report `SqlSensor(allow_null=...)` (removed in 2.0; NULL is no longer success)"
    tokens = (b"allow_null",)
    fix = NO_FIX
    node_types = (ast.Call,)

    def check(self, node: ast.Call) -> Iterator[Finding]:
        if not is_airflow_class(self.ctx.imports.qualified_name(node.func), frozenset({"SqlSensor"})):
            return
        for keyword in node.keywords:
            if keyword.arg == "allow_null":
                yield Finding(
                    keyword,
                    "`allow_null` was removed from SqlSensor in Airflow 2.0, where a NULL first cell is "
                    "never success: "
                    "remove it; to keep 1.10's allow_null=True behaviour pass "
                    "`success=lambda cell: cell is None or bool(cell)` (if no `success=` is given yet)",
                )
