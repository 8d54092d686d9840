"""AU133: `schedule_interval=` passed to an operator is rejected by Airflow 2.0.

1.10.15's BaseOperator still accepted a per-task `schedule_interval` (deprecated, logged a
warning) but its `schedule_interval` property returned the DAG's whenever the task had a DAG:
the argument had no effect on a task in a DAG. Airflow 2.0 removed it from BaseOperator, so
every operator rejects it as an invalid argument at DAG import. Removing it is safe; the DAG's
own `schedule_interval` is untouched.

## Example
```python
from airflow.operators.bash_operator import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh", schedule_interval="@daily", dag=dag)
```
Use instead:
```python
from airflow.operators.bash_operator import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh", dag=dag)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from codemods._base import SAFE, Finding, Fix, Rewrite, Rule
from codemods._edit import remove_elements

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

MESSAGE = (
    "operators do not take `schedule_interval` since Airflow 2.0 (in 1.10 the DAG's schedule already won): "
    "remove it; set the schedule on the DAG"
)


def is_airflow_operator(qualified) -> bool:
    if not qualified or not qualified.startswith("airflow."):
        return False
    name = qualified.rsplit(".", 1)[-1]
    return name.endswith(("Operator", "Sensor"))


class OperatorScheduleInterval(Rule):
    code = "AU133"
    name = "operator-schedule-interval"
    summary = (
        "Remove `schedule_interval=` from operator calls "
        "(ignored in 1.10 for tasks in a DAG, rejected by 2.0)"
    )
    tokens = (b"schedule_interval",)
    fix = SAFE
    bridge_compatible = True  # 1.10 ignored the argument on a task in a DAG
    # `with DAG(..., schedule_interval=...)` headers hold the token but are no operator call
    node_types = (ast.Call,)

    def check(self, node: ast.Call) -> Iterator[Finding]:
        keyword = next((k for k in node.keywords if k.arg == "schedule_interval"), None)
        if keyword is None or not is_airflow_operator(self.ctx.imports.qualified_name(node.func)):
            return
        yield Finding(keyword, MESSAGE, Fix.safe(Rewrite(node, _without_schedule_interval)))


def _without_schedule_interval(call: cst.Call) -> cst.Call:
    return call.with_changes(
        args=remove_elements(
            call.args, lambda a: a.keyword is not None and a.keyword.value == "schedule_interval"
        )
    )
