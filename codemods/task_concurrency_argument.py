"""AU303: operator `task_concurrency=` -> `max_active_tis_per_dag=` (also in default_args dicts).

Renamed in Airflow 2.2 (the old name deprecated), removed from BaseOperator in 3.0, where an
operator given it fails the DAG import; in default_args it is silently ignored in 3.0, so the
limit would be lost.

## Example
```python target=3
from airflow.operators.bash_operator import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh", task_concurrency=1, dag=dag)
```
Use instead:
```python
from airflow.operators.bash_operator import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh", max_active_tis_per_dag=1, dag=dag)
```
"""

from __future__ import annotations

import libcst as cst

from codemods._base import NO_FIX, SAFE, Rule
from codemods._dag_calls import OperatorConstructions, default_args_dict, dict_keys, rename_keyword
from codemods._edit import keyword_arg

OLD, NEW = "task_concurrency", "max_active_tis_per_dag"
MESSAGE = f"`{OLD}` was removed in Airflow 3.0: use `{NEW}`"


class TaskConcurrencyArgument(OperatorConstructions, Rule):
    code = "AU303"
    name = "task-concurrency-argument"
    summary = (
        "Operator `task_concurrency=` -> `max_active_tis_per_dag=` (removed in 3.0), also in default_args"
    )
    tokens = (OLD.encode(),)
    min_target = (3, 0)
    fix = SAFE

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not self.is_operator_construction(original):
            return updated
        arg = keyword_arg(original, OLD)
        if arg is None:
            return updated
        if keyword_arg(original, NEW) is not None:
            self.report(arg, f"{MESSAGE} (already set: drop `{OLD}`)", fix=NO_FIX)
            return updated
        fixing = self.may_fix()
        self.report(arg, MESSAGE, applied=fixing)
        if not fixing:
            return updated
        return updated.with_changes(
            args=[
                rename_keyword(a, NEW) if a.keyword is not None and a.keyword.value == OLD else a
                for a in updated.args
            ]
        )

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        found = default_args_dict(original)
        if found is None:
            return updated
        keys = dict(dict_keys(found))
        if OLD not in keys:
            return updated
        if NEW in keys:
            self.report(keys[OLD], f"{MESSAGE} in default_args (already set: drop `{OLD}`)", fix=NO_FIX)
            return updated
        fixing = self.may_fix()
        self.report(keys[OLD], f"{MESSAGE} in default_args", applied=fixing)
        if not fixing:
            return updated
        assert isinstance(updated.value, cst.Dict)
        elements = []
        for element in updated.value.elements:
            key = element.key if isinstance(element, cst.DictElement) else None
            if isinstance(key, cst.SimpleString) and key.evaluated_value == OLD:
                element = element.with_changes(
                    key=key.with_changes(value=f"{key.prefix}{key.quote}{NEW}{key.quote}")
                )
            elements.append(element)
        return updated.with_changes(value=updated.value.with_changes(elements=elements))
