"""AU110: `provide_context=` is a leftover of 1.10 (the context is always passed since 2.0).

Airflow 2.0 passes the task context to a python_callable whose signature accepts it
(`**kwargs` or named context keys), so the argument means nothing any more. PythonOperator
(and its Branch/ShortCircuit subclasses) drops `provide_context=True` with a DeprecationWarning,
but passes `provide_context=False` on to BaseOperator, which rejects unknown arguments, and
PythonSensor rejects it either way; the 3.x operators reject it too. In default_args it is
ignored. Removing it is safe on every 2.x/3.x target.
"""

from __future__ import annotations

import libcst as cst

from codemods._base import SAFE, Rule
from codemods._edit import is_airflow_class, keyword_arg, remove_elements, string_key

PYTHON_CALLABLE_OPERATORS = frozenset(
    {
        "PythonOperator",
        "BranchPythonOperator",
        "ShortCircuitOperator",
        "PythonSensor",
        "PythonVirtualenvOperator",
    }
)
MESSAGE = "`provide_context` is not needed since Airflow 2.0 (the context is always passed): remove it"


class ProvideContextRemover(Rule):
    code = "AU110"
    name = "provide-context"
    summary = "Remove `provide_context=` from Python operators and from default_args dicts"
    tokens = (b"provide_context",)
    fix = SAFE

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.in_import_guard:
            return updated
        qualified = self.ctx.imports.qualified_name(original.func)
        if is_airflow_class(qualified, PYTHON_CALLABLE_OPERATORS):
            arg = keyword_arg(original, "provide_context")
            if arg is not None:
                return self._remove_from_call(arg, updated)
        # `dict(provide_context=True, ...)` used as default_args
        if isinstance(original.func, cst.Name) and original.func.value == "dict" and self._in_default_args:
            arg = keyword_arg(original, "provide_context")
            if arg is not None:
                return self._remove_from_call(arg, updated)
        return updated

    def _remove_from_call(self, arg: cst.Arg, updated: cst.Call) -> cst.Call:
        fixing = self.may_fix()
        self.report(arg, MESSAGE, applied=fixing)
        if not fixing:
            return updated
        return updated.with_changes(
            args=remove_elements(
                updated.args, lambda a: a.keyword is not None and a.keyword.value == "provide_context"
            )
        )

    # default_args = {...} / args = {...} / DAG(default_args={...})
    _default_args_depth = 0

    @property
    def _in_default_args(self) -> bool:
        return self._default_args_depth > 0

    def visit_Assign(self, node: cst.Assign) -> None:
        if any(_names_default_args(t.target) for t in node.targets):
            self._default_args_depth += 1

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if any(_names_default_args(t.target) for t in original.targets):
            self._default_args_depth -= 1
        return updated

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value == "default_args":
            self._default_args_depth += 1

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        if original.keyword is not None and original.keyword.value == "default_args":
            self._default_args_depth -= 1
        return updated

    def leave_Dict(self, original: cst.Dict, updated: cst.Dict) -> cst.Dict:
        if not self._in_default_args or self.ctx.in_import_guard:
            return updated
        doomed = [e for e in original.elements if string_key(e) == "provide_context"]
        if not doomed:
            return updated
        fixing = self.may_fix()
        for element in doomed:
            self.report(element, MESSAGE + " from default_args", applied=fixing)
        if not fixing:
            return updated
        return updated.with_changes(
            elements=remove_elements(updated.elements, lambda e: string_key(e) == "provide_context")
        )


def _names_default_args(target: cst.BaseExpression) -> bool:
    # `default_args`, `args`, `DEFAULT_ARGS`, `dag_args`: the names DAG repos give it
    # (not `op_args`/`op_kwargs`, which are the callable's own arguments).
    if not isinstance(target, cst.Name):
        return False
    name = target.value.lower()
    return name in ("args", "dag_args") or "default_args" in name
