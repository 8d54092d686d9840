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

import ast
from collections.abc import Iterator

from codemods._base import NO_FIX, SAFE, Edit, Finding, Fix, Rule
from codemods._dag_calls import OperatorConstructions, ast_dict_keys, names_default_args, rename_edit

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
    node_types = (ast.Call, ast.Assign)
    in_import_guards = True  # version-switched code is renamed too

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            yield from self._call(node)
        elif isinstance(node, ast.Assign):
            yield from self._default_args(node)

    def _call(self, node: ast.Call) -> Iterator[Finding]:
        keyword = next((k for k in node.keywords if k.arg == OLD), None)
        if keyword is None or not self.is_operator_construction(node):  # type: ignore[arg-type]
            return
        if any(k.arg == NEW for k in node.keywords):
            yield Finding(keyword, f"{MESSAGE} (already set: drop `{OLD}`)", label=NO_FIX)
            return
        yield Finding(keyword, MESSAGE, Fix.safe(rename_edit(keyword, NEW)))

    def _default_args(self, node: ast.Assign) -> Iterator[Finding]:
        if not isinstance(node.value, ast.Dict) or not any(names_default_args(t) for t in node.targets):
            return
        found = ast_dict_keys(node.value, self.ctx.lines)
        keys = dict((key, (key_node, value)) for key, key_node, value, _ in found)
        if OLD not in keys:
            return
        key_node, value = keys[OLD]
        if NEW in keys:
            yield Finding(
                key_node, f"{MESSAGE} in default_args (already set: drop `{OLD}`)", label=NO_FIX, end=value
            )
            return
        edits = []
        for key, node_of_key, _, (prefix, quote) in found:
            if key == OLD:
                start = node_of_key.col_offset + len(prefix) + len(quote)
                edits.append(
                    Edit(node_of_key.lineno, start, node_of_key.end_col_offset - len(quote), NEW.encode())
                )  # type: ignore[operator]
        yield Finding(key_node, f"{MESSAGE} in default_args", Fix.safe(*edits), end=value)
