"""AU151: `t1 > t2` as a statement: a no-op in 1.10, an error since Airflow 2.0.

1.10.15's BaseOperator is `functools.total_ordering` over `task_id` (`__lt__` compares task
ids, `__eq__` the attributes): `t1 > t2` only computed a bool and threw it away - no edge, no
effect (a typo of `>>` that 1.10 silently ignored).

## Why
Airflow 2.0 gave `>`/`<` a meaning, lineage
(`task > outlet`, `inlet < task`), and rejects a task there at DAG import: "Left hand side
(<Task(...)>) is not an outlet"; `>=`/`<=` have no method at all.

## Fix safety
The behaviour-preserving fix removes the statement: the DAG keeps exactly the tasks and edges
1.10 built (none between these two). If `t1 >> t2` was meant, that edge was never there on
1.10: writing it changes the DAG, so the tool never does it, and the message says so. Fixed
only when every operand is provably an operator (each binding of the name is an operator
call); other comparisons of names are left alone.

## Example
```python
from airflow.operators.dummy_operator import DummyOperator

start = DummyOperator(task_id="start", dag=dag)
end = DummyOperator(task_id="end", dag=dag)
start > end
```
Use instead:
```python
from airflow.operators.dummy_operator import DummyOperator

start = DummyOperator(task_id="start", dag=dag)
end = DummyOperator(task_id="end", dag=dag)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional, Union

from codemods._base import SAFE, Finding, Fix, Rewrite, Rule
from codemods._bindings import FileScopes, assigned_value
from codemods._context import ImportTracker
from codemods._dag_calls import is_operator_call

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

_ORDERINGS = (ast.Gt, ast.Lt, ast.GtE, ast.LtE)
_SYMBOLS = {ast.Gt: ">", ast.Lt: "<", ast.GtE: ">=", ast.LtE: "<="}


def _is_operator_name(node: ast.expr, at: ast.AST, scopes: FileScopes, imports: ImportTracker) -> bool:
    if not isinstance(node, ast.Name):
        return False
    bindings = scopes.bindings_at(at, node.id)
    if not bindings:
        return False
    for binding in bindings:
        value = assigned_value(binding, node.id)
        if not (isinstance(value, ast.Call) and is_operator_call(value, imports)):
            return False
    return True


def task_comparison(statement: ast.Expr, scopes: FileScopes, imports: ImportTracker) -> Optional[str]:
    """`t1 > t2` (or `<`, `>=`, `<=`, chained) of operators thrown away: its source, else None."""
    value = statement.value
    if not isinstance(value, ast.Compare) or not all(isinstance(op, _ORDERINGS) for op in value.ops):
        return None
    operands = [value.left, *value.comparators]
    if not all(_is_operator_name(operand, statement, scopes, imports) for operand in operands):
        return None
    text = operands[0].id  # type: ignore[attr-defined]
    for op, operand in zip(value.ops, value.comparators):
        text += f" {_SYMBOLS[type(op)]} {operand.id}"  # type: ignore[attr-defined]
    return text


class TaskComparison(Rule):
    code = "AU151"
    name = "task-comparison"
    summary = "Remove `t1 > t2` statements (a no-op comparison of task ids in 1.10, an error since 2.0)"
    tokens = (b">", b"<")
    fix = SAFE
    # 1.10.15 ran the comparison as a no-op: without it the file runs the same there
    bridge_compatible = True
    node_types = (ast.Expr,)

    def check(self, node: ast.Expr) -> Iterator[Finding]:
        if not isinstance(node.value, ast.Compare):
            return
        text = task_comparison(node, self.scopes, self.ctx.imports)
        if text is None:
            return
        body, _ = self.scopes.bodies.get(id(node), ([], 0))
        alone = len(body) == 1

        def remove(line: cst.SimpleStatementLine) -> Union[cst.SimpleStatementLine, cst.RemovalSentinel]:
            if len(line.body) != 1 or not isinstance(line.body[0], cst.Expr):
                return line
            if not isinstance(line.body[0].value, cst.Comparison):
                return line
            if alone:
                return line.with_changes(body=[cst.Pass()])
            return cst.RemovalSentinel.REMOVE

        yield Finding(
            node,
            f"`{text}` compares task ids: in 1.10 a no-op (no edge), since Airflow 2.0 an error ('is not an "
            "outlet'): remove it (if `>>` was meant, write it: that adds an edge 1.10 never had)",
            Fix.safe(Rewrite(node, remove, cst_type="SimpleStatementLine")),
        )
