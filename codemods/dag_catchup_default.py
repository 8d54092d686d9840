"""AU304: make `catchup=` explicit where a DAG relied on the pre-3.0 default.

Airflow 3.0 changed `[scheduler] catchup_by_default` from True to False: a DAG that never said
`catchup=` and used to backfill every missed interval after a pause or a late start_date stops
doing so. `catchup=True` keeps the 1.10/2.x behaviour - as long as the deployment kept the old
default, which the code cannot see: hence an unsafe fix. DAGs without a schedule (None, "@once")
have nothing to catch up and are left alone.

Given the team's airflow.cfg (`--airflow-cfg FILE`, setting `airflow-cfg`), the value 1.10 used is
known: its `[scheduler] catchup_by_default` (True when the file does not set it, 1.10's
default). Writing that value is then exact, a safe fix, and the message names the setting.

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

import libcst as cst

from codemods._base import SAFE, UNSAFE, Rule
from codemods._dag_calls import WRAPPER_NOTE, DagCallsOnly, DagConstructions, append_keyword

SCHEDULE_ARGS = ("schedule_interval", "schedule", "timetable")
MESSAGE = (
    "no `catchup=`: Airflow 3.0 changed the default to False (it was True in 1.10/2.x): add "
    "`catchup=True` to keep backfilling missed intervals, or `catchup=False` if that is the intent"
)


def _without_catch_up(call: cst.Call) -> bool:
    for arg in call.args:
        if arg.star:  # DAG(**dag_kwargs): may well say catchup
            return False
        if arg.keyword is not None and arg.keyword.value.lower() == "catchup":
            return False  # set, or the `catchUp` typo (AU401 reports that one)
    return True


def _unscheduled(call: cst.Call) -> bool:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in SCHEDULE_ARGS:
            value = arg.value
            if isinstance(value, cst.Name) and value.value == "None":
                return True
            if isinstance(value, cst.SimpleString) and value.evaluated_value == "@once":
                return True
    return False


class DagCatchupDefault(DagCallsOnly, DagConstructions, Rule):
    code = "AU304"
    name = "dag-catchup-default"
    summary = "Add `catchup=True` to DAGs relying on the pre-3.0 default (3.0 changed it to False; unsafe)"
    tokens = (b"DAG", b"dag")
    min_target = (3, 0)
    fix = UNSAFE
    bridge_compatible = True  # 1.10's DAG takes `catchup=` too, with the same meaning
    wrappers = True  # a company's `DAG` wrapper: the same fix, unsafe

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        safety = self.construction_fix(original, adds_arguments=True)
        if safety is None or self.is_superclass_init(original):
            return updated
        if not _without_catch_up(original) or _unscheduled(original):
            return updated
        known = self.ctx.options.catchup_by_default
        wrapper = WRAPPER_NOTE if safety != SAFE else ""
        if known is None:
            fixing = self.may_fix()
            self.report(original, MESSAGE + wrapper, applied=fixing)
            return append_keyword(updated, "catchup", "True") if fixing else updated
        safety = UNSAFE if wrapper else SAFE
        fixing = self.may_fix(safety)
        self.report(
            original,
            f"no `catchup=`: on 1.10 this DAG used {self.ctx.options.catchup_source}; Airflow 3.0's "
            f"default is False: write `catchup={known}` to keep that{wrapper}",
            fix=safety,
            applied=fixing,
        )
        return append_keyword(updated, "catchup", str(known)) if fixing else updated
