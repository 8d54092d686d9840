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

## Fix safety
For a company's own `DAG` (`from company_airflow import DAG`) the fix is safe when that
callable's source in the DAG repo shows it hands the keywords on to Airflow's DAG unchanged
(codemods/_dag_wrappers.py; the message names the definition) or the `dag-wrappers` setting
names it; otherwise it is unsafe: the wrapper may give the keyword another meaning.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from codemods._base import NO_FIX, SAFE, Finding, Fix, Rule
from codemods._dag_calls import DagConstructions, rename_edit

# the keywords the fix takes away and writes: a company `DAG` must hand both on unchanged
_TOUCHED = frozenset({"concurrency", "max_active_tasks"})


class DagConcurrencyArgument(DagConstructions, Rule):
    code = "AU302"
    name = "dag-concurrency-argument"
    summary = "`DAG(concurrency=...)` -> `DAG(max_active_tasks=...)` (removed in 3.0)"
    tokens = (b"concurrency",)
    min_target = (3, 0)
    fix = SAFE
    node_types = (ast.Call,)
    in_import_guards = True  # version-switched code is renamed too

    def check(self, node: ast.Call) -> Iterator[Finding]:
        keyword = next((k for k in node.keywords if k.arg == "concurrency"), None)
        if keyword is None:
            return
        safety = self.construction_fix(node, names=_TOUCHED)
        if safety is None:
            return
        if any(k.arg == "max_active_tasks" for k in node.keywords):
            yield Finding(
                keyword,
                "`concurrency` was removed in Airflow 3.0 and `max_active_tasks` is set: drop it",
                label=NO_FIX,
            )
            return
        note = self.wrapper_note(node, safety, _TOUCHED)
        yield Finding(
            keyword,
            f"`concurrency` was removed in Airflow 3.0: use `max_active_tasks=`{note}",
            Fix(safety, (rename_edit(keyword, "max_active_tasks"),)),
        )
