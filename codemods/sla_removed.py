"""AU192: SLAs - the `SlaMiss` model, `sla=` on tasks, `sla_miss_callback=` on DAGs.

Airflow 3.0 removed the SLA feature (Deadline Alerts replace it from 3.1): `airflow.models.SlaMiss`
is gone (importing it fails the DAG file), and `sla=` / `sla_miss_callback=` are accepted with a
warning and do nothing. Dropping them silently would hide that alerts stop, so each is reported.

Example::

    PythonOperator(task_id="load", python_callable=load, sla=timedelta(hours=2))

is reported: "`sla` has no effect on Airflow 3.0 ...".

## Example
```python target=3
from datetime import timedelta

from airflow.operators.bash_operator import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh", sla=timedelta(hours=1), dag=dag)
```
Use instead:
```python
from airflow.operators.bash_operator import BashOperator

# Airflow 3 has no SLAs: alert from the task's own timeout or an external monitor
run = BashOperator(task_id="run", bash_command="run.sh", dag=dag)
```
"""

from __future__ import annotations

import ast

from codemods._base import NO_FIX, Rule
from codemods._import_spans import alias_spans
from codemods._name_uses import NameUses, describe_lines

MODELS = frozenset({"airflow.models.SlaMiss", "airflow.models.slamiss.SlaMiss"})
_NO_EFFECT = (
    "the SLA feature was removed in Airflow 3.0 (accepted with a warning, no effect; Deadline "
    "Alerts replace it from 3.1): remove it, and alert another way"
)


class SlaRemoved(Rule):
    code = "AU192"
    name = "sla-removed"
    summary = "Report `SlaMiss`, `sla=` and `sla_miss_callback=` (the SLA feature is gone in 3.0)"
    tokens = (b"sla", b"SlaMiss")
    min_target = (3, 0)
    fix = NO_FIX
    ast_types = (ast.ImportFrom, ast.keyword, ast.Assign)

    def inspect(self, node: ast.AST) -> bool:
        if isinstance(node, ast.ImportFrom):
            self._report_model_import(node)
        elif isinstance(node, ast.keyword):
            if node.arg in ("sla", "sla_miss_callback"):
                self.ctx.report_ast(
                    node, self.code, f"`{node.arg}=`: {_NO_EFFECT}", fix=NO_FIX, length=len(node.arg)
                )
            elif node.arg == "default_args":
                self._report_default_args(node.value)
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and "default_args" in target.id for target in node.targets
        ):
            self._report_default_args(node.value)
        return False

    def _report_default_args(self, value: ast.expr) -> None:
        if isinstance(value, ast.Dict):
            for key in value.keys:
                if isinstance(key, ast.Constant) and key.value == "sla":
                    self.ctx.report_ast(key, self.code, f"default_args `sla`: {_NO_EFFECT}", fix=NO_FIX)

    def _report_model_import(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module or self.ctx.imports.guarded(node.lineno):
            return
        for alias, (start, end) in zip(node.names, alias_spans(node, self.ctx.lines)):
            if f"{node.module}.{alias.name}" not in MODELS:
                continue
            assert self.ctx.tree is not None
            lines = NameUses(self.ctx.tree).lines(alias.asname or alias.name)
            used = f" (used at {describe_lines(lines)})" if lines else ""
            self.ctx.report_span(
                start,
                end,
                self.code,
                f"`SlaMiss` is gone in Airflow 3.0 with the SLA feature (the `sla_miss` table too){used}: "
                "remove it and the code using it",
                fix=NO_FIX,
            )
