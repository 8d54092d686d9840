"""AU150: `dag >> task` (a DAG as an operand of `>>`/`<<`) fails on Airflow 2.0.

1.10.15's `BaseOperator.__rrshift__`/`__lshift__` special-cased a DAG operand: `dag >> t`
(and `dag << t`, `t << dag`) meant "put t in this DAG if it has none" (`t.dag = dag`; a no-op
when it is already there, an error when it is in another DAG) and evaluated to `t`, so
`dag >> t1 >> t2` is `t1.dag = dag; t1 >> t2`.

## Why
Airflow 2.0 dropped the special case and calls
`t.set_upstream(dag)`: `'DAG' object has no attribute 'update_relative'` at DAG import.

## Fix safety
The fix writes what 1.10 did, `t1.dag = dag` (2.x and 3.x's `dag` setter has the same
three cases), and removes `dag >>` from the chain; when t1 is provably in that DAG already
(an Airflow operator created in the same block of `with DAG(...) as dag:`, or given
`dag=dag`), the assignment is a no-op and only `dag >>` goes. Both are exact, hence safe,
when the name is provably a DAG (every binding it can resolve to is `DAG(...)`) and the task
provably an operator (every binding is an operator call); anything else is reported.

## Example
```python
from airflow import DAG
from airflow.operators.dummy_operator import DummyOperator

dag = DAG("etl")
start = DummyOperator(task_id="start")
dag >> start
```
Use instead:
```python
from airflow import DAG
from airflow.operators.dummy_operator import DummyOperator

dag = DAG("etl")
start = DummyOperator(task_id="start")
start.dag = dag
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Union

from codemods._base import SAFE, Finding, Fix, Rewrite, Rule
from codemods._bindings import FileScopes, assigned_value, with_item_value
from codemods._context import ImportTracker
from codemods._dag_calls import is_dag_call, is_operator_call

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

_SHIFTS = (ast.RShift, ast.LShift)


@dataclass(frozen=True)
class ShiftPlan:
    dag: str
    task: str
    rest: bool  # the chain goes on after `dag >> task`
    action: Optional[str]  # "drop" (task already in the DAG), "assign" (`task.dag = dag`), None: report only
    alone: bool  # the statement is the only one of its block


def _leftmost(value: ast.expr) -> tuple[Optional[ast.BinOp], ast.expr]:
    """The innermost `a >> b` of a `>>`/`<<` chain and its left operand."""
    inner = None
    node = value
    while isinstance(node, ast.BinOp) and isinstance(node.op, _SHIFTS):
        inner = node
        node = node.left
    return inner, node


def _is_dag_name(name: str, at: ast.AST, scopes: FileScopes, imports: ImportTracker) -> bool:
    bindings = scopes.bindings_at(at, name)
    if not bindings:
        return False
    for binding in bindings:
        value = assigned_value(binding, name) or with_item_value(binding, name)
        if not (isinstance(value, ast.Call) and is_dag_call(value, imports)):
            return False
    return True


def _task_calls(name: str, at: ast.AST, scopes: FileScopes, imports: ImportTracker):
    """The operator calls `name` is bound to where `at` is, or None if any binding is not one."""
    bindings = scopes.bindings_at(at, name)
    calls = []
    for binding in bindings:
        value = assigned_value(binding, name)
        if not (isinstance(value, ast.Call) and is_operator_call(value, imports)):
            return None
        calls.append((binding, value))
    return calls or None


def _already_in_dag(statement: ast.Expr, dag: str, task_bindings, scopes: FileScopes, imports) -> bool:
    """The task was created, before this statement in the same block, by an Airflow operator
    given this DAG: `dag=dag`, or inside `with DAG(...) as dag:` without a `dag=`."""
    if len(task_bindings) != 1:
        return False
    binding, call = task_bindings[0]
    body, index = scopes.bodies.get(id(statement), (None, 0))
    if body is None or binding.body is not body or body.index(binding.statement) >= index:
        return False
    if not _airflow_operator(imports.qualified_name(call.func)):
        return False  # a custom class may place itself elsewhere
    if any(keyword.arg is None for keyword in call.keywords):
        return False  # **kwargs may hold another dag
    dag_bindings = scopes.bindings_at(statement, dag)
    if len(dag_bindings) != 1:
        return False
    dag_binding = dag_bindings[0]
    given = next((k.value for k in call.keywords if k.arg == "dag"), None)
    block = scopes.parent(statement)
    if isinstance(dag_binding.statement, (ast.With, ast.AsyncWith)):
        if dag_binding.statement is not block:
            return False
    elif dag_binding.body is not body or body.index(dag_binding.statement) >= body.index(binding.statement):
        return False
    if given is None:
        return isinstance(dag_binding.statement, (ast.With, ast.AsyncWith))
    return isinstance(given, ast.Name) and given.id == dag


def _airflow_operator(qualified: Optional[str]) -> bool:
    return bool(qualified and qualified.startswith("airflow.") and qualified.endswith(("Operator", "Sensor")))


def plan_statement(statement: ast.Expr, scopes: FileScopes, imports: ImportTracker) -> Optional[ShiftPlan]:
    """What to do with an expression statement whose `>>`/`<<` chain starts with a DAG."""
    inner, left = _leftmost(statement.value)
    if inner is None or not isinstance(left, ast.Name):
        return None
    if not _is_dag_name(left.id, statement, scopes, imports):
        return None
    body, _ = scopes.bodies.get(id(statement), ([], 0))
    alone = len(body) == 1
    rest = inner is not statement.value
    if not isinstance(inner.right, ast.Name):
        return ShiftPlan(left.id, "", rest, None, alone)
    task = inner.right.id
    bindings = _task_calls(task, statement, scopes, imports)
    if bindings is None:
        action = None
    elif _already_in_dag(statement, left.id, bindings, scopes, imports) and (rest or not alone):
        action = "drop"
    else:
        action = "assign"
    return ShiftPlan(left.id, task, rest, action, alone)


def message(plan: ShiftPlan) -> str:
    head = (
        f"`{plan.dag} >> {plan.task or '...'}`: a DAG operand meant 'assign the task to this DAG' in 1.10; Airflow 2.0 "
        "makes the DAG an upstream task and fails ('DAG' object has no attribute 'update_relative')"
    )
    task = plan.task or "task"
    if plan.action == "drop":
        return f"{head}: `{task}` is already in `{plan.dag}`: remove `{plan.dag} >>`"
    replacement = f"`{task}.dag = {plan.dag}`" + (
        f" and remove `{plan.dag} >>` from the chain" if plan.rest else ""
    )
    if plan.action == "assign":
        return f"{head}: write {replacement}"
    return f"{head}: write {replacement} (`{task}` is not provably an operator: no automatic fix)"


def strip_leftmost(expr: cst.BaseExpression) -> cst.BaseExpression:
    """`dag >> t1 >> t2` -> `t1 >> t2` (the chain's first operand and operator removed)."""
    assert isinstance(expr, cst.BinaryOperation)
    if isinstance(expr.left, cst.BinaryOperation) and isinstance(
        expr.left.operator, (cst.RightShift, cst.LeftShift)
    ):
        return expr.with_changes(left=strip_leftmost(expr.left))
    return expr.right


class DagShiftOperand(Rule):
    code = "AU150"
    name = "dag-shift-operand"
    summary = "`dag >> task` (1.10: assign the task to the DAG; 2.0 fails) -> `task.dag = dag` or nothing"
    tokens = (b">>", b"<<")
    fix = SAFE
    # `task.dag = dag` and a chain without the DAG run the same on 1.10.15 (its `dag` setter)
    bridge_compatible = True
    node_types = (ast.Expr,)

    def check(self, node: ast.Expr) -> Iterator[Finding]:
        inner, left = _leftmost(node.value)
        if inner is None or not isinstance(left, ast.Name):
            return
        plan = plan_statement(node, self.scopes, self.ctx.imports)
        if plan is None:
            return
        fix = None
        if plan.action is not None:
            fix = Fix.safe(Rewrite(node, lambda line: apply_plan(plan, line), cst_type="SimpleStatementLine"))
        yield Finding(left, message(plan), fix, end=inner)


def apply_plan(
    plan: ShiftPlan, line: cst.SimpleStatementLine
) -> Union[cst.BaseStatement, cst.FlattenSentinel, cst.RemovalSentinel]:
    """The statement `dag >> task ...` as the plan says: `task.dag = dag`, the chain without
    `dag >>`, or nothing."""
    if len(line.body) != 1 or not isinstance(line.body[0], cst.Expr):
        return line
    if plan.action == "drop":
        if not plan.rest:
            return cst.RemoveFromParent()
        return line.with_changes(body=[line.body[0].with_changes(value=strip_leftmost(line.body[0].value))])
    assignment = cst.Assign(
        targets=[cst.AssignTarget(cst.Attribute(cst.Name(plan.task), cst.Name("dag")))],
        value=cst.Name(plan.dag),
    )
    if not plan.rest:
        return line.with_changes(body=[assignment])
    chain = line.body[0].with_changes(value=strip_leftmost(line.body[0].value))
    return cst.FlattenSentinel(
        [
            cst.SimpleStatementLine([assignment], leading_lines=line.leading_lines),
            line.with_changes(body=[chain], leading_lines=()),
        ]
    )
