"""AU309: `DAG(default_view=..., orientation=...)` were removed in Airflow 3.0.

Both chose how the 1.10/2.x web UI first showed the DAG (tree/graph/gantt view, left-to-right
or top-down graph). Airflow 3's UI has neither option and `DAG()` rejects the arguments at
DAG import. They never influenced scheduling or task runs, so removing them keeps every run
the same: a safe fix. Also in the `__init__` call of a DAG subclass (`super().__init__(...)`).

## Example
```python target=3
from airflow import DAG

dag = DAG("etl", schedule="@daily", default_view="graph", catchup=False)
```
Use instead:
```python
from airflow import DAG

dag = DAG("etl", schedule="@daily", catchup=False)
```
"""

from __future__ import annotations

import libcst as cst

from codemods._base import SAFE, Rule
from codemods._dag_calls import DagConstructions
from codemods._edit import remove_elements

UI_ARGUMENTS = ("default_view", "orientation")


class DagUiArguments(DagConstructions, Rule):
    code = "AU309"
    name = "dag-ui-arguments"
    summary = "Remove `default_view=` / `orientation=` from DAGs (UI-only options removed in 3.0)"
    tokens = (b"default_view", b"orientation")
    min_target = (3, 0)
    fix = SAFE

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        doomed = [a for a in original.args if a.keyword is not None and a.keyword.value in UI_ARGUMENTS]
        safety = self.construction_fix(original) if doomed and not self.ctx.in_import_guard else None
        if safety is None:
            return updated
        fixing = self.may_fix(safety)
        note = self.wrapper_note(original, safety)
        for arg in doomed:
            self.report(
                arg,
                f"`{arg.keyword.value}` was removed in Airflow 3.0 (a 1.10/2.x web UI display option; "  # type: ignore[union-attr]
                f"it never changed a run): remove it{note}",
                fix=safety,
                applied=fixing,
            )
        if not fixing:
            return updated
        return updated.with_changes(
            args=remove_elements(
                updated.args, lambda a: a.keyword is not None and a.keyword.value in UI_ARGUMENTS
            )
        )
