"""AU105: task and DAG ids built from a class's `__name__` in a file whose Airflow classes change name.

Maintenance DAGs make one task per metadata model: `task_id="cleanup_" + model.__name__` over
`[BaseJob, DagRun, ImportError, ...]`. AU101 moves `BaseJob` to `airflow.jobs.job.Job` (Airflow
2.6 replaced it by that ORM model: the same `job` table and columns) and `ImportError` to
`airflow.models.errors.ParseImportError` (renamed in 2.10), which serve the file's queries the
same, but a class's `__name__` is its new name: the task `cleanup_BaseJob` becomes `cleanup_Job`,
a new task without the old one's runs, state and history (the old id stays in the metadata DB).

Which class an id is built from is known only at run time, so this is reported, not fixed: on
each `task_id=` / `dag_id=` argument whose value reads some `.__name__`, in a file that imports
an Airflow class whose name the target changes (its import as AU101 rewrites it, moves of
Airflow internals included: codemods/_internal_renames.py). To keep the old ids, spell the old
names out next to the classes.

## Example
```python target=2
from airflow.jobs import BaseJob
from airflow.operators.python_operator import PythonOperator

for model in [BaseJob]:
    PythonOperator(task_id="cleanup_" + model.__name__, python_callable=cleanup, dag=dag)
```
Use instead:
```python
from airflow.jobs.job import Job
from airflow.operators.python import PythonOperator

for model, name in [(Job, "BaseJob")]:
    PythonOperator(task_id="cleanup_" + name, python_callable=cleanup, dag=dag)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from codemods._base import NO_FIX, Finding, Rule
from codemods._generated import tables as _tables
from codemods._internal_renames import move_for
from codemods._targets import format_target, table_key

_ID_ARGUMENTS = ("task_id", "dag_id")


class ClassNameIds(Rule):
    code = "AU105"
    name = "class-name-ids"
    summary = (
        "Report task/DAG ids built from a class's `__name__` in files importing Airflow classes the "
        "target renames (`BaseJob` -> `Job`: `cleanup_BaseJob` becomes `cleanup_Job`)"
    )
    tokens = (b"__name__",)
    fix = NO_FIX
    node_types = (ast.keyword,)
    in_import_guards = True  # an id built in compat code changes all the same

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._renamed: list[tuple[str, str]] = []  # (old class name, new class name), import order

    def relevant(self) -> bool:
        self._renamed = self._renamed_classes()
        return bool(self._renamed)

    def check(self, node: ast.keyword) -> Iterator[Finding]:
        if node.arg not in _ID_ARGUMENTS:
            return
        if not any(isinstance(n, ast.Attribute) and n.attr == "__name__" for n in ast.walk(node.value)):
            return
        names = ", ".join(f"`{old}` is `{new}`" for old, new in self._renamed)
        old, new = self._renamed[0]
        yield Finding(
            node.value,
            f"this {node.arg} is built from a class's `__name__`, and on Airflow {format_target(self.ctx.target)} "
            f"{names}: an id built from one of them changes (`..._{old}` -> `..._{new}`), a new "
            "task without the old one's runs and history; spell the old name out to keep the id",
        )

    def _renamed_classes(self) -> list[tuple[str, str]]:
        renames = _tables.IMPORT_RENAMES[table_key(self.ctx.target)]
        found: dict[str, str] = {}
        for node in self.ctx.imports.import_nodes:
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            if self.ctx.imports.guarded(node.lineno):
                continue  # compat code AU101 leaves alone: the name stays
            for alias in node.names:
                qualified = f"{node.module}.{alias.name}"
                move = move_for(qualified, self.ctx.target)
                new = move.new if move is not None else renames.get(qualified)
                if new and new.rpartition(".")[2] != alias.name and alias.name[:1].isupper():
                    found.setdefault(alias.name, new.rpartition(".")[2])
        return list(found.items())
