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

Bridge mode (`fix --bridge`): 1.10.15's own DockerOperator (`airflow.operators.docker_operator`,
contrib's DockerSwarmOperator) passes the value to the Docker daemon's AutoRemove, a bool (a
mode string there would be truthy, "never" included), so the value is chosen by the class the
running Airflow bound: `auto_remove="success" if DockerOperator.__module__.startswith("airflow.providers.")
else True` (the provider's class on the target, the 1.10 one on 1.10.15: the file's import
becomes a guarded pair). A file that imports the provider's class on 1.10 already (a backport
provider, which takes a bool too) is only reported. `fix --close-bridge` keeps the mode.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from codemods._base import SAFE, Finding, Fix, Rewrite, Rule
from codemods._context import ast_dotted_name
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
        qualified = self.ctx.imports.qualified_name(node.func)
        if not is_airflow_class(qualified, frozenset({"DockerOperator", "DockerSwarmOperator"})):
            return
        keyword = next((k for k in node.keywords if k.arg == "auto_remove"), None)
        if keyword is None:
            return
        value = keyword.value
        if isinstance(value, ast.Constant) and isinstance(value.value, bool):
            mode = BOOL_TO_MODE[value.value]
            message = (
                f'`auto_remove={value.value}` must be `auto_remove="{mode}"` with the docker provider >= 3.0'
            )
            if self.ctx.options.bridge:
                yield self._bridged(node, keyword, value.value, qualified or "", message)
                return
            yield Finding(keyword, message, Fix.safe(_with_value(keyword, f'"{mode}"')))
            return
        if self.ctx.options.close_bridge and _bridged_mode(value, node.func) is not None:
            mode = _bridged_mode(value, node.func)
            yield Finding(
                keyword,
                f'closing the bridge: Airflow 1.10\'s DockerOperator is gone, pass `auto_remove="{mode}"`',
                Fix.safe(_with_value(keyword, f'"{mode}"')),
            )
            return
        if simple_string(value, self.ctx.lines):
            return  # already a mode string
        if _bridged_mode(value, node.func) is not None:
            return  # what bridge mode writes
        yield Finding(
            keyword,
            '`auto_remove` must be one of "never", "success", "force" with the docker provider >= 3.0; '
            "this value is not a literal: check it by hand",
        )

    def _bridged(
        self, call: ast.Call, keyword: ast.keyword, flag: bool, qualified: str, message: str
    ) -> Finding:
        """Bridge mode: the mode for the provider's class, the bool for 1.10.15's (see the docstring)."""
        spelled = ast_dotted_name(call.func)
        if spelled is None or qualified.startswith(_PROVIDERS):
            return Finding(
                keyword,
                message + "; bridge mode: the file imports the provider's class on Airflow 1.10 already "
                "(a backport provider, which takes a bool): choose the value by hand",
            )
        form = f'"{BOOL_TO_MODE[flag]}" if {spelled}.__module__.startswith("{_PROVIDERS}") else {flag}'
        return Finding(
            keyword,
            message + f"; bridge mode passes `{form}` (1.10.15's own operator takes the bool)",
            Fix.safe(_with_value(keyword, form), bridged=True),
        )


_PROVIDERS = "airflow.providers."


def _with_value(keyword: ast.keyword, value: str) -> Rewrite:
    return Rewrite(keyword, lambda arg: arg.with_changes(value=cst.parse_expression(value)))


def _bridged_mode(value: ast.expr, func: ast.expr) -> Optional[str]:
    """The mode of `"mode" if <func>.__module__.startswith("airflow.providers.") else <bool>`
    (what bridge mode writes), or None."""
    if not isinstance(value, ast.IfExp):
        return None
    body, test, orelse = value.body, value.test, value.orelse
    if not (
        isinstance(body, ast.Constant)
        and isinstance(orelse, ast.Constant)
        and isinstance(orelse.value, bool)
        and body.value == BOOL_TO_MODE[orelse.value]
        and isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr == "startswith"
        and len(test.args) == 1
        and not test.keywords
        and isinstance(test.args[0], ast.Constant)
        and test.args[0].value == _PROVIDERS
        and isinstance(test.func.value, ast.Attribute)
        and test.func.value.attr == "__module__"
    ):
        return None
    spelled = ast_dotted_name(test.func.value.value)
    return body.value if spelled is not None and spelled == ast_dotted_name(func) else None
