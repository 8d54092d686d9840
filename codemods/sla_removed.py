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
from collections.abc import Iterator

from codemods._base import NO_FIX, Finding, Rule
from codemods._import_spans import positioned_aliases
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
    node_types = (ast.ImportFrom, ast.keyword, ast.Assign)
    # `sla=` has no effect wherever it is passed; a guarded import of SlaMiss is compat code
    in_import_guards = True

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.ImportFrom):
            yield from self._model_import(node)
        elif isinstance(node, ast.keyword):
            if node.arg in ("sla", "sla_miss_callback"):
                yield Finding(node, f"`{node.arg}=`: {_NO_EFFECT}", length=len(node.arg))
            elif node.arg == "default_args":
                yield from self._default_args(node.value)
        elif isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and "default_args" in target.id for target in node.targets
        ):
            yield from self._default_args(node.value)

    def _default_args(self, value: ast.expr) -> Iterator[Finding]:
        if isinstance(value, ast.Dict):
            for key in value.keys:
                if isinstance(key, ast.Constant) and key.value == "sla":
                    yield Finding(key, f"default_args `sla`: {_NO_EFFECT}")

    def _model_import(self, node: ast.ImportFrom) -> Iterator[Finding]:
        if node.level or not node.module or self.ctx.imports.guarded(node.lineno):
            return
        for alias in positioned_aliases(node, self.ctx.lines):
            if f"{node.module}.{alias.name}" not in MODELS:
                continue
            assert self.ctx.tree is not None
            lines = NameUses(self.ctx.tree).lines(alias.asname or alias.name)
            used = f" (used at {describe_lines(lines)})" if lines else ""
            yield Finding(
                alias,
                f"`SlaMiss` is gone in Airflow 3.0 with the SLA feature (the `sla_miss` table too){used}: "
                "remove it and the code using it",
            )
