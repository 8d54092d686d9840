"""AU111: DockerOperator `auto_remove` takes a string since the docker provider 3.0.

Provider 3.0 (first installable on Airflow 2.2, the only line on latest 2.x) replaced the
bool with "never" / "success" / "force"; a bool now fails at DAG import. True meant "remove
the container when it exits successfully" -> "success"; False -> "never".

## Example
```python target=2.11
from airflow.providers.docker.operators.docker import DockerOperator

run = DockerOperator(task_id="run", image="etl:1", auto_remove=True, dag=dag)
```
Use instead:
```python
from airflow.providers.docker.operators.docker import DockerOperator

run = DockerOperator(task_id="run", image="etl:1", auto_remove="success", dag=dag)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from codemods._base import SAFE, Finding, Fix, Rewrite, Rule
from codemods._edit import is_airflow_class
from codemods._kpo_common import simple_string

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

BOOL_TO_MODE = {True: "success", False: "never"}


class DockerAutoRemove(Rule):
    code = "AU111"
    name = "docker-auto-remove"
    summary = 'DockerOperator `auto_remove=True/False` -> `"success"`/`"never"` (docker provider >= 3)'
    tokens = (b"auto_remove",)
    min_target = (2, 11)
    fix = SAFE
    node_types = (ast.Call,)

    def check(self, node: ast.Call) -> Iterator[Finding]:
        if not is_airflow_class(
            self.ctx.imports.qualified_name(node.func),
            frozenset({"DockerOperator", "DockerSwarmOperator"}),
        ):
            return
        keyword = next((k for k in node.keywords if k.arg == "auto_remove"), None)
        if keyword is None:
            return
        value = keyword.value
        if isinstance(value, ast.Constant) and isinstance(value.value, bool):
            mode = BOOL_TO_MODE[value.value]
            yield Finding(
                keyword,
                f'`auto_remove={value.value}` must be `auto_remove="{mode}"` with the docker provider >= 3.0',
                Fix.safe(Rewrite(keyword, lambda arg: arg.with_changes(value=cst.SimpleString(f'"{mode}"')))),
            )
            return
        if simple_string(value, self.ctx.lines):
            return  # already a mode string
        yield Finding(
            keyword,
            '`auto_remove` must be one of "never", "success", "force" with the docker provider >= 3.0; '
            "this value is not a literal: check it by hand",
        )
