"""AU310: `params` values that are not JSON: Airflow 3 rejects them at DAG import.

1.10 and 2.x kept any Python object in `params` (DAG, operator or default_args); Airflow 3
validates every param at parse time: "ParamValidationError: All provided parameters must be
json-serializable" for a datetime, date, timedelta, set, bytes, function, ... There is no
exact rewrite (a template rendering `{{ params.start }}` would give the same text from an ISO
string, but Python code reading `params["start"].year` would not), so it is reported: store a
string or number and convert it where it is used.

## Example
```python target=3
from datetime import datetime

from airflow import DAG

dag = DAG("etl", schedule="@daily", catchup=False, params={"since": datetime(2021, 1, 1)})
```
Use instead:
```python
from airflow import DAG

dag = DAG("etl", schedule="@daily", catchup=False, params={"since": "2021-01-01"})
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Optional

from codemods._base import NO_FIX, Finding, Rule
from codemods._bindings import assigned_value
from codemods._dag_calls import is_dag_call, is_operator_call, names_default_args

_DATETIME_TYPES = {
    "datetime.datetime": "a datetime",
    "datetime.date": "a date",
    "datetime.time": "a time",
    "datetime.timedelta": "a timedelta",
    "airflow.utils.dates.days_ago": "a datetime (days_ago)",
    "airflow.utils.timezone.datetime": "a datetime",
    "airflow.utils.timezone.utcnow": "a datetime",
}


def non_json(node: ast.expr, qualified) -> Optional[str]:
    """What in this literal is certainly not JSON (None when nothing certainly is)."""
    if isinstance(node, ast.Constant):
        return "bytes" if isinstance(node.value, bytes) else None
    if isinstance(node, (ast.Set, ast.SetComp)):
        return "a set"
    if isinstance(node, ast.Lambda):
        return "a function"
    if isinstance(node, (ast.List, ast.Tuple)):
        return next((found for item in node.elts if (found := non_json(item, qualified))), None)
    if isinstance(node, ast.Dict):
        return next((found for item in node.values if (found := non_json(item, qualified))), None)
    if isinstance(node, ast.Call):
        name = qualified(node.func) or ""
        if isinstance(node.func, ast.Attribute):  # datetime.now(), date.today(), datetime.datetime.now()
            owner = qualified(node.func.value) or ""
            if owner in _DATETIME_TYPES and owner.startswith("datetime."):
                return _DATETIME_TYPES[owner]
        if name in _DATETIME_TYPES:
            return _DATETIME_TYPES[name]
        if name.startswith("pendulum.") and name.rsplit(".", 1)[-1] in (
            "datetime",
            "date",
            "now",
            "today",
            "duration",
        ):
            return "a pendulum date/time"
    return None


class NonJsonParams(Rule):
    code = "AU310"
    name = "non-json-params"
    summary = "Report `params` values that are not JSON (datetime, set, bytes, ...): Airflow 3 rejects them"
    tokens = (b"params",)
    min_target = (3, 0)
    fix = NO_FIX
    node_types = (ast.Call, ast.Assign)

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            if is_dag_call(node, self.ctx.imports) or is_operator_call(node, self.ctx.imports):
                for keyword in node.keywords:
                    if keyword.arg == "params":
                        yield from self._check(self._literal(keyword.value, node), "params")
                    elif keyword.arg == "default_args" and isinstance(keyword.value, ast.Dict):
                        yield from self._check_default_args(keyword.value)
        elif isinstance(node, ast.Assign) and any(names_default_args(t) for t in node.targets):
            if isinstance(node.value, ast.Dict):
                yield from self._check_default_args(node.value)

    def _literal(self, value: ast.expr, at: ast.AST) -> Optional[ast.expr]:
        """The dict literal itself, or the one a name is bound to (when bound once)."""
        if isinstance(value, ast.Dict):
            return value
        if isinstance(value, ast.Name):
            bindings = self.scopes.bindings_at(at, value.id)
            if len(bindings) == 1:
                bound = assigned_value(bindings[0], value.id)
                return bound if isinstance(bound, ast.Dict) else None
        return None

    def _check_default_args(self, node: ast.Dict) -> Iterator[Finding]:
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and key.value == "params" and isinstance(value, ast.Dict):
                yield from self._check(value, "params in default_args")

    def _check(self, params: Optional[ast.expr], where: str) -> Iterator[Finding]:
        if not isinstance(params, ast.Dict):
            return
        if not hasattr(self, "_seen"):
            self._seen: set[int] = set()
        for key, value in zip(params.keys, params.values):
            found = non_json(value, self.ctx.imports.qualified_name)
            if found is None or id(value) in self._seen:
                continue
            self._seen.add(id(value))
            name = f"`{key.value}`" if isinstance(key, ast.Constant) else "a value"
            yield Finding(
                value,
                f"{where} {name} is {found}, not JSON: Airflow 3 rejects it at DAG import (ParamValidationError: "
                "parameters must be json-serializable): store a string or number (e.g. an ISO date) and "
                "convert it where it is used",
            )
