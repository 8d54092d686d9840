"""AU153: arguments after the dag_id passed to `DAG(...)` by position.

1.10.15's `DAG.__init__(dag_id, description, schedule_interval, start_date, end_date, ...)`
took every argument by position. Airflow 2.4 inserted `schedule` third (so a fourth positional
argument, 1.10's `start_date`, became `schedule_interval` on 2.11), and Airflow 3's DAG takes
only the dag_id by position ("takes 2 positional arguments but 3 ... were given"). Writing each
positional argument as the keyword it filled on 1.10 keeps its meaning on every target: a safe
fix (on Airflow 3 `schedule_interval` is written as `schedule`, `concurrency` as
`max_active_tasks`, the names those arguments took there). Parameter order generated from
1.10.15's source (codemods/_generated/dag_signature.py).

## Example
```python target=3
from airflow import DAG

dag = DAG("etl", "nightly load", "@daily")
```
Use instead:
```python
from airflow import DAG

dag = DAG("etl", description="nightly load", schedule="@daily")
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from codemods._base import NO_FIX, SAFE, Finding, Fix, Rewrite, Rule
from codemods._edit import is_airflow_class
from codemods._generated.dag_signature import DAG_KWARGS, DAG_POSITIONAL_110

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

# Names of 1.10 parameters on Airflow 3 (the renames AU301/AU302 make for keywords).
_ON_3 = {"schedule_interval": "schedule", "concurrency": "max_active_tasks"}


class DagPositionalArguments(Rule):
    code = "AU153"
    name = "dag-positional-arguments"
    summary = (
        "`DAG(dag_id, description, schedule_interval, ...)` by position -> keywords (3.0 takes only dag_id)"
    )
    tokens = (b"DAG",)
    fix = SAFE
    # the keywords name the parameters the positions filled on 1.10.15
    bridge_compatible = True
    node_types = (ast.Call,)

    def check(self, node: ast.Call) -> Iterator[Finding]:
        positional = node.args
        if len(positional) < 2:
            return
        if not is_airflow_class(self.ctx.imports.qualified_name(node.func), frozenset({"DAG"})):
            return
        if (
            any(isinstance(a, ast.Starred) for a in positional)
            or any(k.arg is None for k in node.keywords)
            or len(positional) > len(DAG_POSITIONAL_110)
        ):
            return  # DAG(*args): the names cannot be known
        names = self._keywords(len(positional))
        given = {k.arg for k in node.keywords}
        valid = DAG_KWARGS["3" if self.ctx.target >= (3, 0) else "2"]
        if any(name not in valid or name in given for name in names[1:]):
            shown = ", ".join(DAG_POSITIONAL_110[1 : len(positional)])
            yield Finding(
                positional[1],
                f"pass DAG arguments after the dag_id by keyword ({shown} on 1.10): Airflow 3 takes only the "
                "dag_id by position, and 2.4 inserted `schedule` third",
                label=NO_FIX,
            )
            return

        def by_keyword(call: cst.Call) -> cst.Call:
            args = list(call.args)
            for index in range(1, len(names)):
                args[index] = args[index].with_changes(
                    keyword=cst.Name(names[index]),
                    equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
                )
            return call.with_changes(args=args)

        yield Finding(
            positional[1],
            "DAG arguments after the dag_id by position: Airflow 3 takes only the dag_id so (and 2.4 inserted "
            f"`schedule` third): write them as {', '.join(f'`{n}=`' for n in names[1:])}",
            Fix.safe(Rewrite(node, by_keyword)),
        )

    def _keywords(self, count: int) -> list[str]:
        names = list(DAG_POSITIONAL_110[:count])
        if self.ctx.target >= (3, 0):
            names = [_ON_3.get(name, name) for name in names]
        return names
