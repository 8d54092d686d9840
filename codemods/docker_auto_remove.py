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

import libcst as cst

from codemods._base import SAFE, Rule
from codemods._edit import is_airflow_class, keyword_arg

BOOL_TO_MODE = {"True": "success", "False": "never"}


class DockerAutoRemove(Rule):
    code = "AU111"
    name = "docker-auto-remove"
    summary = 'DockerOperator `auto_remove=True/False` -> `"success"`/`"never"` (docker provider >= 3)'
    tokens = (b"auto_remove",)
    min_target = (2, 11)
    fix = SAFE

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.in_import_guard:
            return updated
        if not is_airflow_class(
            self.ctx.imports.qualified_name(original.func),
            frozenset({"DockerOperator", "DockerSwarmOperator"}),
        ):
            return updated
        arg = keyword_arg(original, "auto_remove")
        if arg is None:
            return updated
        value = arg.value
        if isinstance(value, cst.Name) and value.value in BOOL_TO_MODE:
            mode = BOOL_TO_MODE[value.value]
            fixing = self.may_fix()
            self.report(
                arg,
                f'`auto_remove={value.value}` must be `auto_remove="{mode}"` with the docker provider >= 3.0',
                applied=fixing,
            )
            if not fixing:
                return updated
            return updated.with_changes(
                args=[
                    a.with_changes(value=cst.SimpleString(f'"{mode}"'))
                    if a.keyword is not None and a.keyword.value == "auto_remove"
                    else a
                    for a in updated.args
                ]
            )
        if isinstance(value, cst.SimpleString):
            return updated  # already a mode string
        self.report(
            arg,
            '`auto_remove` must be one of "never", "success", "force" with the docker provider >= 3.0; '
            "this value is not a literal: check it by hand",
            fix=None,
        )
        return updated
