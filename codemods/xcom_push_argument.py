"""AU132: BashOperator / SimpleHttpOperator `xcom_push=` -> `do_xcom_push=` (Airflow 2.0).

In 1.10.15 these operators returned their output (last stdout line / response text) only when
`xcom_push` was true, and BaseOperator pushed a returned value when `do_xcom_push` (default
True) was. Airflow 2.0 removed `xcom_push` (BashOperator raises "'xcom_push' was deprecated",
the http provider's operator rejects it as an invalid argument) and always returns the output,
pushed when `do_xcom_push` is true. So 1.10 pushed iff `xcom_push and do_xcom_push`:
`xcom_push=X` alone becomes `do_xcom_push=X`; with both given, literal values are combined,
anything else is reported.

## Example
```python
from airflow.operators.bash_operator import BashOperator

size = BashOperator(task_id="size", bash_command="du -s /data", xcom_push=True, dag=dag)
```
Use instead:
```python
from airflow.operators.bash_operator import BashOperator

size = BashOperator(task_id="size", bash_command="du -s /data", do_xcom_push=True, dag=dag)
```
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from codemods._base import NO_FIX, SAFE, Rule
from codemods._edit import is_airflow_class, keyword_arg, remove_elements

OPERATORS = frozenset({"BashOperator", "SimpleHttpOperator"})
BOOLS = ("True", "False")


class XcomPushArgument(Rule):
    code = "AU132"
    name = "xcom-push-argument"
    summary = "BashOperator / SimpleHttpOperator `xcom_push=` -> `do_xcom_push=` (removed in 2.0)"
    tokens = (b"xcom_push",)
    fix = SAFE

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.in_import_guard:
            return updated
        if not is_airflow_class(self.ctx.imports.qualified_name(original.func), OPERATORS):
            return updated
        arg = keyword_arg(original, "xcom_push")
        if arg is None:
            return updated
        other = keyword_arg(original, "do_xcom_push")
        combined = self._combined(arg.value, other.value if other is not None else None)
        if combined is None:
            self.report(
                arg,
                "`xcom_push` was removed in Airflow 2.0 and `do_xcom_push` is also given: 1.10 pushed "
                "only when both "
                "were true; keep a single `do_xcom_push=` with that value",
                fix=NO_FIX,
            )
            return updated
        fixing = self.may_fix()
        self.report(
            arg,
            "`xcom_push` was removed in Airflow 2.0 (the output is always returned; BaseOperator's "
            "`do_xcom_push` "
            "decides whether it is pushed): use `do_xcom_push=`",
            applied=fixing,
        )
        if not fixing:
            return updated
        if other is None:
            return updated.with_changes(
                args=[
                    a.with_changes(keyword=cst.Name("do_xcom_push")) if _named(a, "xcom_push") else a
                    for a in updated.args
                ]
            )
        args = remove_elements(updated.args, lambda a: _named(a, "xcom_push"))
        return updated.with_changes(
            args=[a.with_changes(value=cst.Name(combined)) if _named(a, "do_xcom_push") else a for a in args]
        )

    @staticmethod
    def _combined(xcom_push: cst.BaseExpression, do_xcom_push: Optional[cst.BaseExpression]) -> Optional[str]:
        """The do_xcom_push value that pushes when 1.10 did; None when it cannot be decided here."""
        if do_xcom_push is None:
            return "keep"  # rename the keyword, keep the value
        values = [
            v.value if isinstance(v, cst.Name) and v.value in BOOLS else None
            for v in (xcom_push, do_xcom_push)
        ]
        if None in values:
            return None
        return "True" if values == ["True", "True"] else "False"


def _named(arg: cst.Arg, name: str) -> bool:
    return arg.keyword is not None and arg.keyword.value == name
