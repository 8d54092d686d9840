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

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from codemods._base import SAFE, Edit, Finding, Fix, Rewrite, Rule
from codemods._edit import is_airflow_class, remove_elements

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

OPERATORS = frozenset({"BashOperator", "SimpleHttpOperator"})


class XcomPushArgument(Rule):
    code = "AU132"
    name = "xcom-push-argument"
    summary = "BashOperator / SimpleHttpOperator `xcom_push=` -> `do_xcom_push=` (removed in 2.0)"
    tokens = (b"xcom_push",)
    fix = SAFE
    node_types = (ast.Call,)

    def check(self, node: ast.Call) -> Iterator[Finding]:
        if not is_airflow_class(self.ctx.imports.qualified_name(node.func), OPERATORS):
            return
        keyword = _keyword(node, "xcom_push")
        if keyword is None:
            return
        other = _keyword(node, "do_xcom_push")
        if other is None:
            # rename the keyword, keep the value
            start = keyword.col_offset
            fix = Fix.safe(Edit(keyword.lineno, start, start + len("xcom_push"), b"do_xcom_push"))
        else:
            combined = _combined(keyword.value, other.value)
            if combined is None:
                yield Finding(
                    keyword,
                    "`xcom_push` was removed in Airflow 2.0 and `do_xcom_push` is also given: 1.10 pushed "
                    "only when both "
                    "were true; keep a single `do_xcom_push=` with that value",
                )
                return
            fix = Fix.safe(Rewrite(node, lambda call: _merged(call, combined)))
        yield Finding(
            keyword,
            "`xcom_push` was removed in Airflow 2.0 (the output is always returned; BaseOperator's "
            "`do_xcom_push` "
            "decides whether it is pushed): use `do_xcom_push=`",
            fix,
        )


def _keyword(call: ast.Call, name: str) -> Optional[ast.keyword]:
    return next((k for k in call.keywords if k.arg == name), None)


def _combined(xcom_push: ast.expr, do_xcom_push: ast.expr) -> Optional[str]:
    """The do_xcom_push value that pushes when 1.10 did; None when it cannot be decided here."""
    values = [
        v.value if isinstance(v, ast.Constant) and isinstance(v.value, bool) else None
        for v in (xcom_push, do_xcom_push)
    ]
    if None in values:
        return None
    return "True" if values == [True, True] else "False"


def _merged(call: cst.Call, combined: str) -> cst.Call:
    args = remove_elements(call.args, lambda a: _named(a, "xcom_push"))
    return call.with_changes(
        args=[a.with_changes(value=cst.Name(combined)) if _named(a, "do_xcom_push") else a for a in args]
    )


def _named(arg: cst.Arg, name: str) -> bool:
    return arg.keyword is not None and arg.keyword.value == name
