"""AU103: close an import bridge once the old Airflow is gone (`fix --close-bridge`).

What it does: collapses `try: <import> / except ImportError: <1.10 import>` pairs, written by
`fix --bridge` or by hand, to their `try` branch when that branch already imports what the
target wants (no name in it has moved or been removed on the target) and binds every name the
`except` branch, which imports from Airflow, bound. The `except` branch may also give a 1.10 module a class's new name
(`gcs_to_bq.GCSToBigQueryOperator = gcs_to_bq.GoogleCloudStorageToBigQueryOperator`, as
`fix --bridge` writes it).

Why: bridge mode keeps one DAG commit loading on Airflow 1.10.15 and the target during a staged
upgrade. Once no 1.10 scheduler or worker parses the repo, the `except` branch is dead code.

## Example
```python target=2 close_bridge
try:
    from airflow.operators.bash import BashOperator
except ImportError:  # Airflow 1.10
    from airflow.operators.bash_operator import BashOperator
```
Use instead:
```python
from airflow.operators.bash import BashOperator
```

## Fix safety
Safe on the target (the `try` branch is what runs there), and opt-in: the rule runs
only with `--close-bridge` (`close-bridge = true`), since hand-written compat code is otherwise
left alone. Comments inside the `except` branch go with it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from codemods._base import SAFE, Edit, Finding, Fix, Rule
from codemods._bridge import binds, bridge_pair, is_airflow_import
from codemods._generated import tables as _tables
from codemods._targets import table_key


class ImportBridge(Rule):
    code = "AU103"
    name = "import-bridge"
    summary = "With --close-bridge: collapse `try: <new import> except ImportError: <1.10 import>` to the new import"
    tokens = (b"ImportError",)
    fix = SAFE
    node_types = (ast.Try,)
    in_import_guards = True  # the bridges are the import guards

    def relevant(self) -> bool:
        return self.ctx.options.close_bridge

    def check(self, node: ast.Try) -> Iterator[Finding]:
        pair = bridge_pair(node)
        if pair is None:
            return
        body, fallback = pair
        if not any(is_airflow_import(i) for i in fallback):
            return  # a fallback for another library (`import Queue as queue`): not a bridge
        if not binds(fallback) <= binds(body) or not all(self._at_home(i) for i in body):
            return
        lines = self.ctx.lines
        first, last = body[0].lineno, body[-1].end_lineno or body[-1].lineno
        outer = lines[node.lineno - 1][: node.col_offset]
        inner = lines[first - 1][: body[0].col_offset]
        if not inner.startswith(outer) or any(
            line.strip() and not line.startswith(inner) for line in lines[first - 1 : last]
        ):
            return  # the branch's lines are not plainly indented: leave it
        # the `try` branch's lines, dedented to the `try`; every other line of the statement goes
        extra = len(inner) - len(outer)
        edits = []
        for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
            text = lines[line - 1]
            if first <= line <= last:
                if text.strip():
                    edits.append(Edit(line, 0, extra, b""))
            else:
                edits.append(Edit(line, 0, len(text), b""))
        yield Finding(
            node,
            "import bridge: the `except ImportError` branch is for an Airflow older than the target; "
            "keep only the `try` branch",
            Fix.safe(*edits),
            length=len("try"),
        )

    def _at_home(self, node: ast.Import | ast.ImportFrom) -> bool:
        key = table_key(self.ctx.target)
        moved = _tables.IMPORT_RENAMES[key]
        removed = _tables.REMOVED[key]
        modules = _tables.MODULE_RENAMES[key]
        if isinstance(node, ast.Import):
            return all(a.name not in modules and a.name not in removed for a in node.names)
        if node.level or not node.module:
            return False
        if node.module in modules or node.module in removed:
            return False
        return all(
            f"{node.module}.{a.name}" not in moved and f"{node.module}.{a.name}" not in removed
            for a in node.names
        )
