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

## Fix safety
For a company's own `DAG` (`from company_airflow import DAG`) the fix is safe when that
callable's source in the DAG repo shows it hands the keywords on to Airflow's DAG unchanged
(codemods/_dag_wrappers.py; the message names the definition) or the `dag-wrappers` setting
names it; otherwise it is unsafe: the wrapper may give the keyword another meaning.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from codemods._base import SAFE, Finding, Fix, Rewrite, Rule
from codemods._dag_calls import DagConstructions
from codemods._edit import remove_elements
from codemods._keyword_removal import keywords_removal

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

UI_ARGUMENTS = ("default_view", "orientation")


class DagUiArguments(DagConstructions, Rule):
    code = "AU309"
    name = "dag-ui-arguments"
    summary = "Remove `default_view=` / `orientation=` from DAGs (UI-only options removed in 3.0)"
    tokens = (b"default_view", b"orientation")
    min_target = (3, 0)
    fix = SAFE
    node_types = (ast.Call,)

    def check(self, node: ast.Call) -> Iterator[Finding]:
        doomed = [k for k in node.keywords if k.arg in UI_ARGUMENTS]
        names = frozenset(k.arg for k in doomed if k.arg)
        safety = self.construction_fix(node, names=names) if doomed else None
        if safety is None:
            return
        note = self.wrapper_note(node, safety, names)
        # a byte edit where it prints what the LibCST rewrite prints
        removal = keywords_removal(self.ctx.lines, node, doomed)
        fix = Fix(safety, removal or (Rewrite(node, _without_ui_arguments),))
        for keyword in doomed:
            yield Finding(
                keyword,
                f"`{keyword.arg}` was removed in Airflow 3.0 (a 1.10/2.x web UI display option; "
                f"it never changed a run): remove it{note}",
                fix,
            )


def _without_ui_arguments(call: cst.Call) -> cst.Call:
    return call.with_changes(
        args=remove_elements(call.args, lambda a: a.keyword is not None and a.keyword.value in UI_ARGUMENTS)
    )
