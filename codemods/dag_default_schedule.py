"""AU308: a DAG without a schedule ran daily on 1.10/2.x; on Airflow 3.0 it is never scheduled.

DAG's default schedule was `timedelta(days=1)` up to 2.x and is None from 3.0 on (manual and
asset-triggered runs only), so a DAG that relied on the default silently stops running. The
fix writes the old default, `schedule=timedelta(days=1)`, with the `timedelta` (or `datetime`
module) the file imports, else adding `from datetime import timedelta` when the word `timedelta`
appears nowhere in the file (so no name of that spelling can be bound anywhere); otherwise it
is reported.

## Example
```python target=3
from datetime import datetime, timedelta

from airflow import DAG

dag = DAG("etl", start_date=datetime(2021, 1, 1), catchup=False)
```
Use instead:
```python
from datetime import datetime, timedelta

from airflow import DAG

dag = DAG("etl", start_date=datetime(2021, 1, 1), catchup=False, schedule=timedelta(days=1))
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from codemods._base import SAFE, Finding, Fix, Rewrite, Rule
from codemods._dag_calls import append_keyword, is_dag_call, without_schedule
from codemods._import_service import add_import

MESSAGE = (
    "no schedule: the default was `timedelta(days=1)` up to 2.x and is None (never scheduled) from "
    "Airflow 3.0: write `schedule={value}` to keep running daily"
)


class DagDefaultSchedule(Rule):
    code = "AU308"
    name = "dag-default-schedule"
    summary = "Write the pre-3.0 default `schedule=timedelta(days=1)` on DAGs that set no schedule"
    tokens = (b"DAG", b"dag")
    min_target = (3, 0)
    fix = SAFE
    node_types = (ast.Call,)
    in_import_guards = True  # a DAG built in version-switched code relies on the default too

    def _timedelta(self) -> tuple[str, list[Rewrite]] | None:
        """The text of `timedelta(days=1)` in this file, with the import it needs (if any)."""
        bindings = self.ctx.imports.bindings
        for local, qualified in bindings.items():
            if qualified == "datetime.timedelta":
                return f"{local}(days=1)", []
        for local, qualified in bindings.items():
            if qualified == "datetime":
                return f"{local}.timedelta(days=1)", []
        if not any(b"timedelta" in line for line in self.ctx.lines):
            addition = add_import(self.ctx, "datetime", "timedelta")
            if addition is not None:
                return "timedelta(days=1)", [addition]
        return None

    def check(self, node: ast.Call) -> Iterator[Finding]:
        if not is_dag_call(node, self.ctx.imports):
            return
        if not without_schedule(node, self.ctx.imports):
            return  # given (`DAG("id", "description", "@daily")` too), or the @dag decorator
        found = self._timedelta()
        if found is None:
            yield Finding(node, MESSAGE.format(value="timedelta(days=1)"))
            return
        value, imports = found
        yield Finding(
            node,
            MESSAGE.format(value=value),
            Fix.safe(Rewrite(node, lambda call: append_keyword(call, "schedule", value)), *imports),
        )
