"""AU194: metadata-model columns renamed by Airflow's migrations (`DagModel.last_scheduler_run`).

Maintenance DAGs (db cleanup, broken-DAG reports) query Airflow's own tables. Airflow 2.0.2's
migration 0081 renamed `dag.last_scheduler_run` to `last_parsed_time` (the same column, renamed in
place), so `DagModel.last_scheduler_run` raises AttributeError at parse time from 2.0.2 on.

## Example
```python
from airflow.models import DagModel

AGE_CHECK = {"table": DagModel, "age_check_column": DagModel.last_scheduler_run}
```
Use instead:
```python
from airflow.models import DagModel

AGE_CHECK = {"table": DagModel, "age_check_column": DagModel.last_parsed_time}
```

## Fix safety
Safe; the migration renames the column and keeps its data.
"""

from __future__ import annotations

import ast

from codemods._base import SAFE, Rule

_DAG_MODEL = frozenset({"airflow.models.DagModel", "airflow.models.dag.DagModel"})
# (model qualified names, old attribute) -> (new attribute, the migration that renamed it)
RENAMED = {
    (_DAG_MODEL, "last_scheduler_run"): ("last_parsed_time", "Airflow 2.0.2's migration 0081"),
}


class RenamedModelAttribute(Rule):
    code = "AU194"
    name = "renamed-model-attribute"
    summary = "`DagModel.last_scheduler_run` -> `DagModel.last_parsed_time` (metadata columns renamed by a migration)"
    tokens = (b"last_scheduler_run",)
    fix = SAFE
    ast_types = (ast.Attribute,)

    def inspect(self, node: ast.AST) -> bool:
        assert isinstance(node, ast.Attribute)
        for (models, old), (new, why) in RENAMED.items():
            if node.attr != old or self.ctx.imports.qualified_name(node.value) not in models:
                continue
            line = self.ctx.lines[(node.end_lineno or node.lineno) - 1]
            start = (node.end_col_offset or 0) - len(old)
            in_place = line[start : node.end_col_offset] == old.encode()
            fixing = in_place and self.may_fix()
            self.ctx.report_ast(
                node,
                self.code,
                f"`{old}` was renamed `{new}` by {why}: use `{new}`",
                fix=SAFE if in_place else None,
                applied=fixing,
            )
            if fixing:
                self.ctx.replace_bytes(node.end_lineno or node.lineno, start, start + len(old), new.encode())
        return False
