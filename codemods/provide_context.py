"""AU110: `provide_context=` is a leftover of 1.10 (the context is always passed since 2.0).

Airflow 2.0 passes the task context to a python_callable whose signature accepts it
(`**kwargs` or named context keys), so the argument means nothing any more. PythonOperator
(and its Branch/ShortCircuit subclasses) drops `provide_context=True` with a DeprecationWarning,
but passes `provide_context=False` on to BaseOperator, which rejects unknown arguments, and
PythonSensor rejects it either way; the 3.x operators reject it too. In default_args it is
ignored. Removing it is safe on every 2.x/3.x target.

Any other Airflow operator never took the argument (in 1.10.15 only the Python operators and
PythonSensor name it): 1.10's BaseOperator accepted the unknown keyword with a
PendingDeprecationWarning and ignored it, 2.0 rejects it ("Invalid arguments were passed").
Removing it there is exact too. Operators of the company's own code may take it: left alone,
except in the `super().__init__(...)` of a subclass of an Airflow operator, where the argument
goes to that Airflow operator (`class LogOp(PythonOperator)` passing `provide_context=True`).

## Example
```python
from airflow.operators.python_operator import PythonOperator

load = PythonOperator(task_id="load", python_callable=load_rows, provide_context=True, dag=dag)
```
Use instead:
```python
from airflow.operators.python_operator import PythonOperator

load = PythonOperator(task_id="load", python_callable=load_rows, dag=dag)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from codemods._ast_nodes import walk
from codemods._base import SAFE, Edit, Finding, Fix, Rewrite, Rule
from codemods._compat_calls import helper_available, helper_qualified, unpacked, unpacking_allowed, use_helper
from codemods._dag_calls import file_superclass_init_calls, is_operator_class, names_default_args
from codemods._edit import is_airflow_class, remove_dict_elements, remove_elements, string_key
from codemods._keyword_removal import dict_entry_removal, keyword_removal

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

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
NOT_AN_ARGUMENT = (
    "`provide_context` was never an argument of {name}: Airflow 1.10 ignored it (with a warning), "
    "Airflow 2.0 rejects it (Invalid arguments were passed): remove it"
)


def _airflow_operator(qualified) -> bool:
    return bool(qualified and qualified.startswith("airflow.") and qualified.endswith(("Operator", "Sensor")))


def _message(qualified: str) -> str:
    if is_airflow_class(qualified, PYTHON_CALLABLE_OPERATORS):
        return MESSAGE
    return NOT_AN_ARGUMENT.format(name=qualified.rsplit(".", 1)[-1])


class ProvideContextRemover(Rule):
    code = "AU110"
    name = "provide-context"
    summary = "Remove `provide_context=` from Airflow operators (Python ones: not needed; others: ignored in 1.10) and default_args"
    tokens = (b"provide_context",)
    fix = SAFE
    # In bridge mode (`fix --bridge`) only where 1.10.15 did without the argument: on operators
    # that ignored it, and `provide_context=False` (1.10's default) on the Python ones. 1.10's
    # PythonOperator needs `True` to pass the context, and 2.x drops `True` itself; default_args
    # entries reach only operators that declare the parameter (1.10's Python ones), see `_kept`.
    bridge_compatible = True
    node_types = (ast.Call, ast.Assign)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._reported: set[int] = set()  # ast nodes, by id: a dict inside two default_args contexts
        self._init_calls: frozenset | None = None  # super().__init__ calls of operator subclasses

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Assign):
            if any(names_default_args(t) for t in node.targets):
                yield from self._in_default_args(node.value)
            return
        assert isinstance(node, ast.Call)
        qualified = self.ctx.imports.qualified_name(node.func)
        operator = _airflow_operator(qualified)
        init = not operator and self._ast_superclass_init(node)
        if operator:
            value = next((k.value for k in node.keywords if k.arg == "provide_context"), None)
            kept = self._kept(qualified, isinstance(value, ast.Constant) and value.value is False)
            yield from self._keyword(node, _message(qualified), kept, self._bridges(node, qualified))  # type: ignore[arg-type]
        elif init:
            yield from self._keyword(
                node,
                MESSAGE + " (it goes to the Airflow operator this class extends)",
                self._kept(None),
                self._bridges(node, None),
            )
        if self.ctx.options.close_bridge and (operator or init):
            yield from self._closed(node)
        for keyword in node.keywords:
            if keyword.arg == "default_args":
                yield from self._in_default_args(keyword.value)

    def _rejected_by_target(self, qualified: Optional[str]) -> bool:
        """The target's operator rejects `provide_context=`: every one on 3.x; on 2.x only the
        Python operators that do not extend PythonOperator (whose 2.0+ __init__ pops it with a
        deprecation warning): PythonSensor."""
        if self.ctx.target >= (3, 0):
            return True
        return bool(qualified) and qualified.rsplit(".", 1)[-1] == "PythonSensor"  # type: ignore[union-attr]

    def _bridges(self, call: ast.Call, qualified: Optional[str]) -> Optional[str]:
        """Bridge mode where the target rejects the keyword 1.10.15 needs on this call: it is
        passed on 1.10 only, as `**provide_context_kwargs(value)` (compat/context.py). None when
        not, else "" or why it cannot be."""
        if not self.ctx.options.bridge or not self._rejected_by_target(qualified):
            return None
        keyword = next((k for k in call.keywords if k.arg == "provide_context"), None)
        if keyword is None:
            return None
        if any(
            isinstance(a, ast.Starred) and (a.lineno, a.col_offset) > (keyword.lineno, keyword.col_offset)
            for a in call.args
        ):
            return "a `*args` argument follows it"
        if not helper_available(self.ctx, "provide_context_kwargs"):
            return "the name `provide_context_kwargs` is bound to something else in this file"
        return ""

    def _is_bridged(self, value) -> bool:
        """`provide_context_kwargs(...)` of the compat package (an ast or a LibCST call)."""
        func = getattr(value, "func", None)
        if func is None:
            return False
        return self.ctx.imports.qualified_name(func) == helper_qualified(self.ctx, "provide_context_kwargs")

    def _closed(self, call: ast.Call) -> Iterator[Finding]:
        fix = Fix.safe(Rewrite(call, self._without_bridge))
        for keyword in call.keywords:
            if keyword.arg is None and self._is_bridged(keyword.value) and id(keyword) not in self._reported:
                self._reported.add(id(keyword))
                yield Finding(
                    keyword,
                    "closing the bridge: `**provide_context_kwargs(...)` passed `provide_context` on Airflow "
                    "1.10 only; the context is always passed since 2.0: remove it",
                    fix,
                )

    def _kept(self, qualified: str | None, false_literal: bool = False) -> bool:
        """Bridge mode: does 1.10.15 need this `provide_context=`? `qualified` is the Airflow
        operator it is passed to; None for default_args and a subclass's super().__init__."""
        if not self.ctx.options.bridge:
            return False
        if qualified is None:
            return True
        return is_airflow_class(qualified, PYTHON_CALLABLE_OPERATORS) and not false_literal

    def _ast_superclass_init(self, node: ast.Call) -> bool:
        if not (isinstance(node.func, ast.Attribute) and node.func.attr == "__init__"):
            return False
        if self._init_calls is None:
            assert self.ctx.tree is not None
            self._init_calls = file_superclass_init_calls(self.ctx, is_operator_class)
        return (node.lineno, node.col_offset) in self._init_calls

    def _keyword(
        self, call: ast.Call, message: str, kept: bool, bridged: Optional[str] = None
    ) -> Iterator[Finding]:
        for keyword in call.keywords:
            if keyword.arg == "provide_context" and id(keyword) not in self._reported:
                self._reported.add(id(keyword))
                if kept and bridged is not None:
                    yield self._bridged(call, keyword, message, bridged)
                else:
                    # a byte edit where it prints the same: no LibCST parse of the statement
                    removal = keyword_removal(self.ctx.lines, call, keyword)
                    yield self._finding(
                        keyword, keyword, message, kept, removal or Rewrite(call, _without_provide_context)
                    )
                return

    def _bridged(self, call: ast.Call, keyword: ast.keyword, message: str, problem: str) -> Finding:
        if problem:
            message += (
                f" once Airflow 1.10 is gone; the target rejects it and 1.10.15 needs it, but {problem}: "
                "pass `**provide_context_kwargs(...)` (compat.context) by hand"
            )
            return Finding(keyword, message)
        message += (
            " once Airflow 1.10 is gone; the target rejects it and 1.10.15 needs it: "
            "`**provide_context_kwargs(...)` (compat.context) passes it on 1.10 only"
        )
        return Finding(keyword, message, Fix.safe(Rewrite(call, self._bridge_call), bridged=True))

    def _in_default_args(self, value: ast.expr) -> Iterator[Finding]:
        for node in walk(value):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
                yield from self._keyword(node, MESSAGE, self._kept(None))
            elif isinstance(node, ast.Dict):
                doomed = [
                    index
                    for index, key in enumerate(node.keys)
                    if isinstance(key, ast.Constant) and key.value == "provide_context"
                ]
                # one entry alone on its line: a byte edit, what the LibCST rewrite prints
                removal = dict_entry_removal(self.ctx.lines, node, doomed[0]) if len(doomed) == 1 else None
                change = removal or Rewrite(node, _without_provide_context_key)
                for index in doomed:
                    key, item = node.keys[index], node.values[index]
                    if id(key) not in self._reported:
                        self._reported.add(id(key))
                        yield self._finding(
                            key, item, MESSAGE + " from default_args", self._kept(None), change
                        )

    def _finding(
        self, first: ast.AST, last: ast.AST, message: str, kept: bool, change: Edit | Rewrite
    ) -> Finding:
        if kept:
            message += (
                " once Airflow 1.10 is gone (bridge mode keeps it: 1.10.15 needs it to pass the context)"
            )
            return Finding(first, message, end=last, label=self.fix)
        return Finding(first, message, Fix.safe(change), end=last)

    def _without_bridge(self, call: cst.Call) -> cst.Call:
        return call.with_changes(
            args=remove_elements(call.args, lambda a: a.star == "**" and self._is_bridged(a.value))
        )

    def _bridge_call(self, call: cst.Call) -> cst.Call:
        """`provide_context=X` -> `**provide_context_kwargs(X)` (passed on 1.10 only)."""
        index = next(
            (
                i
                for i, a in enumerate(call.args)
                if a.keyword is not None and a.keyword.value == "provide_context"
            ),
            None,
        )
        if index is None or not unpacking_allowed(call, index):
            return call
        helper = use_helper(self.ctx, "provide_context_kwargs")
        if helper is None:
            return call
        args = list(call.args)
        args[index] = unpacked(args[index], helper, [cst.Arg(value=args[index].value)])
        return call.with_changes(args=args)


def _without_provide_context(call: cst.Call) -> cst.Call:
    return call.with_changes(
        args=remove_elements(
            call.args, lambda a: a.keyword is not None and a.keyword.value == "provide_context"
        )
    )


def _without_provide_context_key(node: cst.Dict) -> cst.Dict:
    return remove_dict_elements(node, lambda e: string_key(e) == "provide_context")
