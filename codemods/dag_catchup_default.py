"""AU304: make `catchup=` explicit where a DAG relied on the pre-3.0 default.

Airflow 3.0 changed `[scheduler] catchup_by_default` from True to False: a DAG that never said
`catchup=` and used to backfill every missed interval after a pause or a late start_date stops
doing so. `catchup=True` keeps the 1.10/2.x behaviour - as long as the deployment kept the old
default, which the code cannot see: hence an unsafe fix. DAGs without a schedule (None, "@once")
have nothing to catch up and are left alone.

Given the team's airflow.cfg (`--airflow-cfg FILE`, setting `airflow-cfg`), the value 1.10 used is
known: its `[scheduler] catchup_by_default` (True when the file does not set it, 1.10's
default). Writing that value is then exact, a safe fix, and the message names the setting. For
a company's own `DAG` it is safe only when that callable's source in the DAG repo shows it
leaves `catchup` alone (codemods/_dag_wrappers.py): otherwise it may supply its own default.

## Example
```python target=3
from datetime import datetime

from airflow import DAG

dag = DAG("etl", schedule="@daily", start_date=datetime(2021, 1, 1))
```
Use instead:
```python
from datetime import datetime

from airflow import DAG

dag = DAG("etl", schedule="@daily", start_date=datetime(2021, 1, 1), catchup=True)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from codemods._base import SAFE, UNSAFE, Finding, Fix, Rewrite, Rule
from codemods._dag_calls import (
    SCHEDULE_ARGUMENTS,
    WRAPPER_NOTE,
    DagConstructions,
    append_keyword,
    positional_schedule,
)
from codemods._edit import simple_string_value

MESSAGE = (
    "no `catchup=`: Airflow 3.0 changed the default to False (it was True in 1.10/2.x): add "
    "`catchup=True` to keep backfilling missed intervals, or `catchup=False` if that is the intent"
)


def _without_catch_up(call: ast.Call) -> bool:
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        return False
    for keyword in call.keywords:
        if keyword.arg is None:  # DAG(**dag_kwargs): may well say catchup
            return False
        if keyword.arg.lower() == "catchup":
            return False  # set, or the `catchUp` typo (AU401 reports that one)
    return True


def _unscheduled(call: ast.Call, lines: list[bytes]) -> bool:
    values = [keyword.value for keyword in call.keywords if keyword.arg in SCHEDULE_ARGUMENTS]
    values.append(positional_schedule(call))
    for value in values:
        if isinstance(value, ast.Constant) and value.value is None:
            return True
        if value is not None and simple_string_value(value, lines) == "@once":
            return True
    return False


_CATCHUP = frozenset({"catchup"})  # what the fix adds: a company `DAG` must not set it itself


class DagCatchupDefault(DagConstructions, Rule):
    code = "AU304"
    name = "dag-catchup-default"
    summary = "Add `catchup=True` to DAGs relying on the pre-3.0 default (3.0 changed it to False; unsafe)"
    tokens = (b"DAG", b"dag")
    min_target = (3, 0)
    fix = UNSAFE
    bridge_compatible = True  # 1.10's DAG takes `catchup=` too, with the same meaning
    node_types = (ast.Call,)
    in_import_guards = True  # a DAG built in version-switched code relies on the default too

    def check(self, node: ast.Call) -> Iterator[Finding]:
        safety = self.construction_fix(node, adds_arguments=True, names=_CATCHUP)
        if safety is None or self.is_superclass_init(node):
            return
        if not _without_catch_up(node) or _unscheduled(node, self.ctx.lines):
            return
        known = self.ctx.options.catchup_by_default
        wrapper = WRAPPER_NOTE if safety != SAFE else ""
        proven = self.wrapper_note(node, safety, _CATCHUP) if safety == SAFE else ""
        value = "True" if known is None else str(known)
        rewrite = Rewrite(node, lambda call: append_keyword(call, "catchup", value))
        if known is None:
            yield Finding(node, MESSAGE + wrapper, Fix.unsafe(rewrite))
            return
        yield Finding(
            node,
            f"no `catchup=`: on 1.10 this DAG used {self.ctx.options.catchup_source}; Airflow 3.0's "
            f"default is False: write `catchup={known}` to keep that{wrapper}{proven}",
            Fix(UNSAFE if wrapper else SAFE, (rewrite,)),
        )
