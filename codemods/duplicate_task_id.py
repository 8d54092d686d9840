"""AU152: the same task id twice in one DAG: a warning in 1.10, an error since Airflow 2.0.

1.10.15's `DAG.add_task` warned ("The requested task could not be added to the DAG ... Starting
in Airflow 2.0, trying to overwrite a task will raise an exception") and kept the first task
under that id: a later one never ran, and the edges set on it were kept by id on the other
task's side only (`later >> t` made `t` wait for the first task; the first did not list `t`
downstream). 2.0 raises `DuplicateTaskIdFound` at DAG import. No rewrite gives 2.x that
one-sided graph, and which task (and whose edges) the DAG should keep is for the author to
decide, so there is no fix: the later task is reported, with the line of the first. Found
statically when the id is a string literal and the tasks are certainly created for the same DAG:

- two operator calls in straight-line code (no `if`/`try`/loop between them and the DAG)
  for the same DAG (`dag=dag`, or inside the same `with DAG(...) as dag:`);
- an operator call in a `for` loop over a literal of two or more items (or `range(n)`, n >= 2);
- a function building an operator with a literal id and no `dag=` (it takes the DAG of the
  `with` block it is called in), called twice in one `with DAG(...)` block.

## Example
```python
from airflow import DAG
from airflow.operators.dummy_operator import DummyOperator

with DAG("etl") as dag:
    DummyOperator(task_id="load")
    DummyOperator(task_id="load")
```
Use instead:
```python
from airflow import DAG
from airflow.operators.dummy_operator import DummyOperator

with DAG("etl") as dag:
    DummyOperator(task_id="load")
    DummyOperator(task_id="load_again")
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Optional

from codemods._ast_nodes import of_type
from codemods._base import NO_FIX, Finding, Rule
from codemods._bindings import assigned_value, with_item_value
from codemods._dag_calls import is_dag_call, is_operator_call

# Statements that may run their body zero times or once depending on data: a call inside one
# is not certain to run together with another.
_CONDITIONAL = (ast.If, ast.Try, ast.While, ast.For, ast.AsyncFor, ast.IfExp, ast.BoolOp, ast.Lambda)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _literal_task_id(call: ast.Call) -> Optional[str]:
    for keyword in call.keywords:
        if keyword.arg == "task_id":
            value = keyword.value
            return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
    return None


def _iterations(loop: ast.For) -> int:
    """How many times the loop body certainly runs (0 when unknown)."""
    if any(isinstance(node, (ast.Break, ast.Continue, ast.Return, ast.Raise)) for node in ast.walk(loop)):
        return 0
    source = loop.iter
    if isinstance(source, (ast.List, ast.Tuple)) and not any(isinstance(e, ast.Starred) for e in source.elts):
        return len(source.elts)
    if (
        isinstance(source, ast.Call)
        and isinstance(source.func, ast.Name)
        and source.func.id == "range"
        and not source.keywords
        and 1 <= len(source.args) <= 2
        and all(isinstance(a, ast.Constant) and type(a.value) is int for a in source.args)
    ):
        bounds = [a.value for a in source.args]  # type: ignore[attr-defined]
        start, stop = (0, bounds[0]) if len(bounds) == 1 else bounds
        return max(0, stop - start)
    return 0


class DuplicateTaskId(Rule):
    code = "AU152"
    name = "duplicate-task-id"
    summary = "Report the same literal task id twice in one DAG (1.10 warned and kept the first; 2.0 raises)"
    tokens = (b"task_id",)
    fix = NO_FIX
    node_types = (ast.Call,)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._reported: set[int] = set()
        self._factories: Optional[dict[str, str]] = None  # built at the first call checked
        self._seen: dict[tuple, ast.Call] = {}
        self._operator_calls: set[int] = set()  # ids of the file's operator calls (with the factories)

    def check(self, node: ast.Call) -> Iterator[Finding]:
        if self._factories is None:  # what the whole file binds and defines
            assert self.ctx.tree is not None
            self._operator_calls = {
                id(call)
                for call in of_type(self.ctx.tree, ast.Call)
                if is_operator_call(call, self.ctx.imports)
            }
            self._factories = self._find_factories(self.ctx.tree)
        if id(node) in self._operator_calls:
            yield from self._check_task(node, self._seen)
        elif isinstance(node.func, ast.Name) and node.func.id in self._factories:
            yield from self._check_factory_call(node, self._seen)

    # ----- which DAG, certainly -----
    def _dag_of(self, call: ast.Call) -> Optional[tuple]:
        """A key of the DAG the task is created for, when certain (None otherwise)."""
        given = next((k.value for k in call.keywords if k.arg == "dag"), None)
        if any(k.arg is None for k in call.keywords):
            return None
        if given is not None:
            if not isinstance(given, ast.Name):
                return None
            bindings = self.scopes.bindings_at(call, given.id)
            if len(bindings) != 1:
                return None
            value = assigned_value(bindings[0], given.id) or with_item_value(bindings[0], given.id)
            if not self._builds_dag(value):
                return None
            return ("dag", id(bindings[0].statement))
        with_statement = self._enclosing_dag_with(call)
        return ("dag", id(with_statement)) if with_statement is not None else None

    def _builds_dag(self, value: Optional[ast.expr]) -> bool:
        # Airflow's DAG, or a class the file calls `DAG` (a company's DAG subclass): this rule
        # only reports, and a `with DAG(...)` block is a DAG in every repo.
        if not isinstance(value, ast.Call):
            return False
        return (
            is_dag_call(value, self.ctx.imports)
            or getattr(value.func, "id", getattr(value.func, "attr", "")) == "DAG"
        )

    def _enclosing_dag_with(self, node: ast.AST) -> Optional[ast.With]:
        scopes = self.scopes
        current = scopes.parent(node)
        while current is not None and not isinstance(current, _SCOPES):
            if isinstance(current, ast.With) and any(
                self._builds_dag(item.context_expr) for item in current.items
            ):
                return current
            current = scopes.parent(current)
        return None

    def _runs(self, node: ast.AST, stop: Optional[ast.AST] = None) -> int:
        """How many times `node` certainly runs each time its scope (or `stop`) runs: 1 in
        straight-line code, n in a loop of n certain iterations, 0 when it depends."""
        times = 1
        scopes = self.scopes
        current = scopes.parent(node)
        child = node
        while current is not None and current is not stop and not isinstance(current, ast.Module):
            if isinstance(current, _SCOPES) or isinstance(current, _COMPREHENSIONS):
                return 0
            if isinstance(current, ast.For):
                if child is current.iter:
                    pass
                elif child in current.orelse:
                    return 0
                else:
                    times *= _iterations(current)
            elif isinstance(current, _CONDITIONAL):
                if not (isinstance(current, (ast.If, ast.While)) and child is current.test):
                    return 0
            child, current = current, scopes.parent(current)
        return times

    # ----- reports -----
    def _check_task(self, call: ast.Call, seen: dict) -> Iterator[Finding]:
        task_id = _literal_task_id(call)
        if task_id is None:
            return
        dag = self._dag_of(call)
        if dag is None:
            return
        runs = self._runs(call)
        if runs == 0:
            return
        if runs >= 2:
            yield from self._report(call, task_id, None, "it is created in a loop that runs more than once")
        yield from self._remember(call, (dag, task_id), seen)

    def _check_factory_call(self, call: ast.Call, seen: dict) -> Iterator[Finding]:
        task_id = self._factories[call.func.id]  # type: ignore[attr-defined,index]
        with_statement = self._enclosing_dag_with(call)
        if with_statement is None or self._runs(call) == 0:
            return
        if len(self.scopes.bindings_at(call, call.func.id)) != 1:  # type: ignore[attr-defined]
            return
        if self._runs(call) >= 2:
            yield from self._report(call, task_id, None, "the function creating it is called in a loop")
        yield from self._remember(call, (("dag", id(with_statement)), task_id), seen)

    def _remember(self, call: ast.Call, key: tuple, seen: dict) -> Iterator[Finding]:
        first = seen.get(key)
        if first is None:
            seen[key] = call
        elif first is not call:
            yield from self._report(call, key[1], first, "")

    def _report(self, call: ast.Call, task_id: str, first: Optional[ast.Call], why: str) -> Iterator[Finding]:
        if id(call) in self._reported:
            return
        self._reported.add(id(call))
        where = f"line {first.lineno} already creates it" if first is not None else why
        yield Finding(
            call,
            f"task id {task_id!r} is used twice in this DAG ({where}): Airflow 1.10.15 warned and kept the first "
            "task (this one never ran; edges set on it reached the first one by id, on the other task's side "
            "only), Airflow 2.0 raises DuplicateTaskIdFound at DAG import: give each task its own task_id, "
            "or drop this one and set its edges on the first",
            end=call.func,
        )

    def _find_factories(self, tree: ast.Module) -> dict[str, str]:
        """Module-level functions that certainly create one operator with a literal task id and
        no `dag=` (so it joins the DAG of the `with` block the function is called in)."""
        functions = [statement for statement in tree.body if isinstance(statement, ast.FunctionDef)]
        if not functions:
            return {}
        # the file's operator calls, each under the module-level statement holding it
        calls_in: dict[int, list[ast.Call]] = {id(statement): [] for statement in functions}
        scopes = self.scopes
        for node in of_type(tree, ast.Call):
            if id(node) not in self._operator_calls:
                continue
            top: ast.AST = node
            above = scopes.parent(top)
            while above is not None and above is not tree:
                top, above = above, scopes.parent(above)
            if id(top) in calls_in:
                calls_in[id(top)].append(node)
        factories = {}
        for statement in functions:
            calls = calls_in[id(statement)]
            if len(calls) != 1 or any(k.arg in ("dag", None) for k in calls[0].keywords):
                continue
            task_id = _literal_task_id(calls[0])
            if task_id is not None and self._runs(calls[0], stop=statement) == 1:
                factories[statement.name] = task_id
        return factories
