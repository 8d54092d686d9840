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

import libcst as cst

from codemods._base import SAFE, Rule
from codemods._dag_calls import default_args_dict, dict_keys, is_operator_call
from codemods._edit import keyword_arg

RENAMED = {"none_failed_or_skipped": "none_failed_min_one_success", "dummy": "always"}
MEMBERS = {old.upper(): new.upper() for old, new in RENAMED.items()}


def _message(old: str, new: str) -> str:
    return f"trigger rule `{old}` was renamed `{new}` in Airflow 2.2 and removed in 3.0: use `{new}`"


def _renamed_string(node: cst.BaseExpression) -> cst.SimpleString | None:
    if isinstance(node, cst.SimpleString) and node.evaluated_value in RENAMED:
        return node.with_changes(
            value=f"{node.prefix}{node.quote}{RENAMED[node.evaluated_value]}{node.quote}"
        )
    return None


def _old_value(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value in RENAMED


class TriggerRuleRenames(Rule):
    code = "AU306"
    name = "trigger-rule-renames"
    summary = (
        "`none_failed_or_skipped` -> `none_failed_min_one_success`, `dummy` -> `always` (removed in 3.0)"
    )
    tokens = (b"none_failed_or_skipped", b"NONE_FAILED_OR_SKIPPED", b"dummy", b"DUMMY")
    min_target = (3, 0)
    fix = SAFE
    # Chosen on the ast: `dummy` is in every 1.10 file using DummyOperator.
    ast_types = (ast.Call, ast.Assign, ast.Attribute)

    def inspect(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute):
            return node.attr in MEMBERS
        if isinstance(node, ast.Call):
            return any(k.arg == "trigger_rule" and _old_value(k.value) for k in node.keywords)
        assert isinstance(node, ast.Assign)
        if not isinstance(node.value, ast.Dict):
            return False
        return any(
            isinstance(key, ast.Constant) and key.value == "trigger_rule" and _old_value(value)
            for key, value in zip(node.value.keys, node.value.values)
        )

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        arg = keyword_arg(original, "trigger_rule")
        if arg is None or not is_operator_call(original, self.ctx.imports):
            return updated
        if _renamed_string(arg.value) is None:
            return updated
        old = arg.value.evaluated_value  # type: ignore[attr-defined]
        fixing = self.may_fix()
        self.report(arg.value, _message(old, RENAMED[old]), applied=fixing)
        if not fixing:
            return updated
        args = []
        for a in updated.args:
            if a.keyword is not None and a.keyword.value == "trigger_rule":
                new_value = _renamed_string(a.value)
                a = a.with_changes(value=new_value) if new_value is not None else a
            args.append(a)
        return updated.with_changes(args=args)

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        found = default_args_dict(original)
        if found is None:
            return updated
        element = dict(dict_keys(found)).get("trigger_rule")
        if element is None or _renamed_string(element.value) is None:
            return updated
        old = element.value.evaluated_value  # type: ignore[attr-defined]
        fixing = self.may_fix()
        self.report(element.value, _message(old, RENAMED[old]) + " (in default_args)", applied=fixing)
        if not fixing or not isinstance(updated.value, cst.Dict):
            return updated
        elements = []
        for item in updated.value.elements:
            if isinstance(item, cst.DictElement) and isinstance(item.key, cst.SimpleString):
                if item.key.evaluated_value == "trigger_rule":
                    new_value = _renamed_string(item.value)
                    item = item.with_changes(value=new_value) if new_value is not None else item
            elements.append(item)
        return updated.with_changes(value=updated.value.with_changes(elements=elements))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        if original.attr.value not in MEMBERS:
            return updated
        qualified = self.ctx.imports.qualified_name(original.value) or ""
        if not (qualified.startswith("airflow") and qualified.endswith(".TriggerRule")):
            return updated
        old, new = original.attr.value, MEMBERS[original.attr.value]
        fixing = self.may_fix()
        self.report(
            original,
            _message(old.lower(), new.lower()).replace("trigger rule", "TriggerRule"),
            applied=fixing,
        )
        return updated.with_changes(attr=cst.Name(new)) if fixing else updated
