"""AU306: trigger rules removed in Airflow 3.0: `none_failed_or_skipped`, `dummy`.

Airflow 2.2 renamed `none_failed_or_skipped` to `none_failed_min_one_success` and `dummy` to
`always` (same behaviour, old names deprecated); 3.0 dropped the old names, and an operator
given one fails the DAG import. Rewrites `trigger_rule="..."` in operator calls and default_args
dicts, and `TriggerRule.NONE_FAILED_OR_SKIPPED` / `TriggerRule.DUMMY`.

## Example
```python target=3
from airflow.operators.bash_operator import BashOperator

report = BashOperator(task_id="report", bash_command="report.sh", trigger_rule="none_failed_or_skipped", dag=dag)
```
Use instead:
```python
from airflow.operators.bash_operator import BashOperator

report = BashOperator(task_id="report", bash_command="report.sh", trigger_rule="none_failed_min_one_success", dag=dag)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Optional

from codemods._base import SAFE, Edit, Finding, Fix, Rule
from codemods._dag_calls import ast_dict_keys, is_operator_call, names_default_args
from codemods._edit import string_literal

RENAMED = {"none_failed_or_skipped": "none_failed_min_one_success", "dummy": "always"}
MEMBERS = {old.upper(): new.upper() for old, new in RENAMED.items()}


def _message(old: str, new: str) -> str:
    return f"trigger rule `{old}` was renamed `{new}` in Airflow 2.2 and removed in 3.0: use `{new}`"


class TriggerRuleRenames(Rule):
    code = "AU306"
    name = "trigger-rule-renames"
    summary = (
        "`none_failed_or_skipped` -> `none_failed_min_one_success`, `dummy` -> `always` (removed in 3.0)"
    )
    tokens = (b"none_failed_or_skipped", b"NONE_FAILED_OR_SKIPPED", b"dummy", b"DUMMY")
    min_target = (3, 0)
    fix = SAFE
    node_types = (ast.Call, ast.Assign, ast.Attribute)
    in_import_guards = True  # version-switched code is renamed too

    def _renamed(self, node: ast.expr) -> Optional[Edit]:
        """The edit that writes the new name in the string literal `node`, if it holds an old one."""
        literal = string_literal(node, self.ctx.lines)
        if literal is None or node.value not in RENAMED:  # type: ignore[attr-defined]
            return None
        prefix, quote = literal
        start = node.col_offset + len(prefix) + len(quote)
        end = node.end_col_offset - len(quote)  # type: ignore[operator]
        return Edit(node.lineno, start, end, RENAMED[node.value].encode())  # type: ignore[attr-defined]

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Attribute):
            yield from self._member(node)
            return
        if isinstance(node, ast.Call):
            keyword = next((k for k in node.keywords if k.arg == "trigger_rule"), None)
            if keyword is None or not is_operator_call(node, self.ctx.imports):
                return
            edit = self._renamed(keyword.value)
            if edit is not None:
                old = keyword.value.value  # type: ignore[attr-defined]
                yield Finding(keyword.value, _message(old, RENAMED[old]), Fix.safe(edit))
            return
        assert isinstance(node, ast.Assign)
        if not isinstance(node.value, ast.Dict) or not any(names_default_args(t) for t in node.targets):
            return
        values = [
            value for key, _, value, _ in ast_dict_keys(node.value, self.ctx.lines) if key == "trigger_rule"
        ]
        edit = self._renamed(values[-1]) if values else None
        if edit is None:
            return
        edits = [e for e in (self._renamed(value) for value in values) if e is not None]
        old = values[-1].value  # type: ignore[attr-defined]
        yield Finding(values[-1], _message(old, RENAMED[old]) + " (in default_args)", Fix.safe(*edits))

    def _member(self, node: ast.Attribute) -> Iterator[Finding]:
        if node.attr not in MEMBERS:
            return
        qualified = self.ctx.imports.qualified_name(node.value) or ""
        if not (qualified.startswith("airflow") and qualified.endswith(".TriggerRule")):
            return
        old, new = node.attr, MEMBERS[node.attr]
        end = node.end_col_offset
        edit = Edit(node.end_lineno or node.lineno, end - len(old), end, new.encode())  # type: ignore[operator]
        yield Finding(
            node, _message(old.lower(), new.lower()).replace("trigger rule", "TriggerRule"), Fix.safe(edit)
        )
