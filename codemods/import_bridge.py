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
left alone. Comments inside the `except` branch go with it. A pair may catch
`builtins.ImportError` (what `fix --bridge` writes in a file that binds `ImportError` itself):
the `import builtins` before it goes too once no other use of `builtins` is left.
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

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # (the `builtins` names a collapsed pair's `except` read, its finding)
        self._builtins_reads: list[tuple[set[int], Finding]] = []

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
        finding = Finding(
            node,
            "import bridge: the `except ImportError` branch is for an Airflow older than the target; "
            "keep only the `try` branch",
            Fix.safe(*edits),
            length=len("try"),
        )
        reads = {
            id(n) for n in ast.walk(node.handlers[0].type) if isinstance(n, ast.Name) and n.id == "builtins"
        }  # type: ignore[arg-type]
        if reads:
            self._builtins_reads.append((reads, finding))
        yield finding

    def finish(self) -> Iterator[Finding]:
        """`import builtins` (top level, alone on its line) goes once the collapsed pairs read it
        no more and nothing else in the file uses `builtins`."""
        if not self._builtins_reads:
            return
        assert self.ctx.tree is not None
        closed = {n for reads, finding in self._builtins_reads if self.ctx.applied(finding) for n in reads}
        imports = []
        for node in ast.walk(self.ctx.tree):
            if isinstance(node, ast.Name) and node.id == "builtins":
                if id(node) not in closed:
                    return  # still read, or bound otherwise
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and "builtins" in binds([node]):
                if not (
                    isinstance(node, ast.Import)
                    and [(a.name, a.asname) for a in node.names] == [("builtins", None)]
                    and node in self.ctx.tree.body
                    and not self.ctx.lines[node.lineno - 1][: node.col_offset].strip()
                    and not self.ctx.lines[node.lineno - 1][node.end_col_offset :].strip()
                ):
                    return
                imports.append(node)
        for node in imports:
            line = self.ctx.lines[node.lineno - 1]
            yield Finding(
                node,
                "import bridge: `builtins` was imported for the `except builtins.ImportError` of the "
                "bridges closed here: remove it",
                Fix.safe(Edit(node.lineno, 0, len(line), b"")),
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
