"""AU202: deprecated task-context keys read from Python (`kwargs["execution_date"]`, ...).

The task context a python_callable receives (`**kwargs`, `**context`), the `context` argument of
`execute()` and of callbacks, and `get_current_context()` lost `execution_date`,
`next_execution_date`, `next_ds`, `prev_ds`, `yesterday_ds`... : deprecated in Airflow 2.2
(AIP-39 data intervals), removed in 3.0 (a KeyError at run time). Context keys are also passed
by parameter name (`def f(ds, execution_date, **_)`), so such parameters are renamed with their
uses. Replacements follow Airflow 2.x airflow/utils/context.py; targets 2.0/2.1 keep the old keys.

## Example
```python target=2.2
def load(**kwargs):
    day = kwargs["execution_date"]
    return day
```
Use instead:
```python
def load(**kwargs):
    day = kwargs["logical_date"]
    return day
```
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from codemods._base import NO_FIX, SAFE, UNSAFE, Rule
from codemods._jinja import REPLACEMENTS, RUN_OBJECTS

# key -> the key replacing it, and the fix's safety (the templates' table: only `logical_date`
# is exact for every run; the data-interval keys differ for manually triggered runs)
_SIMPLE: dict[str, tuple[str, str]] = {
    key: (REPLACEMENTS[key].expression, REPLACEMENTS[key].fix)  # type: ignore[misc]
    for key in ("execution_date", "next_execution_date", "prev_execution_date_success")
}
# key -> (Python expression template over the context variable `{c}`, fix safety)
_EXPRESSIONS: dict[str, tuple[str, str]] = {
    # Airflow's `ds` filter is value.strftime("%Y-%m-%d"); `ds_nodash` "%Y%m%d".
    "next_ds": ("{c}[{q}data_interval_end{q}].strftime({q}%Y-%m-%d{q})", REPLACEMENTS["next_ds"].fix),
    "next_ds_nodash": (
        "{c}[{q}data_interval_end{q}].strftime({q}%Y%m%d{q})",
        REPLACEMENTS["next_ds_nodash"].fix,
    ),
    "yesterday_ds": ("{c}[{q}macros{q}].ds_add({c}[{q}ds{q}], -1)", UNSAFE),
    "tomorrow_ds": ("{c}[{q}macros{q}].ds_add({c}[{q}ds{q}], 1)", UNSAFE),
    "yesterday_ds_nodash": ("{c}[{q}macros{q}].ds_add({c}[{q}ds{q}], -1).replace({q}-{q}, {q}{q})", UNSAFE),
    "tomorrow_ds_nodash": ("{c}[{q}macros{q}].ds_add({c}[{q}ds{q}], 1).replace({q}-{q}, {q}{q})", UNSAFE),
}
TOKENS = tuple(
    name.encode() for name in ("execution_date", "next_ds", "prev_ds", "tomorrow_ds", "yesterday_ds")
)
TOKENS += (b'"conf"', b"'conf'")


def _removed(key: str) -> str:
    return f"context key `{key}` is deprecated since Airflow 2.2 and gone in 3.0"


@dataclass
class _Frame:
    context_names: set[str] = field(default_factory=set)
    renames: dict[str, str] = field(default_factory=dict)
    run_params: set[str] = field(default_factory=set)  # dag_run / ti parameters of a context callable


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
        return node.evaluated_value
    return None


def _with_value(node: cst.SimpleString, value: str) -> cst.SimpleString:
    return node.with_changes(value=f"{node.prefix}{node.quote}{value}{node.quote}")


class ContextKeyRewriter(Rule):
    code = "AU202"
    name = "context-keys"
    summary = "Rewrite deprecated task-context keys read in Python (kwargs['execution_date'], get_current_context())"
    tokens = TOKENS
    min_target = (2, 2)
    fix = SAFE
    # The names holding a context are a function's parameters and locals: a function is
    # walked whole (its parameters renamed with their uses), other blocks may be cut.
    kept_whole = (ast.FunctionDef, ast.AsyncFunctionDef)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._frames: list[_Frame] = []

    # -- which names hold a task context -------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        frame = _Frame()
        params = node.params
        star = params.star_kwarg
        if star is not None:
            frame.context_names.add(star.name.value)
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        for param in every:
            if param.name.value == "context":
                frame.context_names.add("context")
        if star is not None:
            self._plan_renames(node, frame, every)
            frame.run_params = {p.name.value for p in every} & RUN_OBJECTS
        self._frames.append(frame)

    def _plan_renames(self, node: cst.FunctionDef, frame: _Frame, params: list[cst.Param]) -> None:
        # Airflow passes context keys by parameter name to a callable taking **kwargs.
        taken = {param.name.value for param in params}
        for param in params:
            key = param.name.value
            if key not in REPLACEMENTS:
                continue
            new, safety = _SIMPLE.get(key, (None, NO_FIX))
            if new is None or new in taken or _mentions_name(node.body, new):
                detail = f"rename it to `{new}`" if new else REPLACEMENTS[key].note
                self.report(param, f"parameter `{key}`: {_removed(key)}: {detail}", fix=NO_FIX)
                continue
            fixing = self.may_fix(safety)
            self.report(
                param,
                f"parameter `{key}`: {_removed(key)}: renamed to `{new}` ({REPLACEMENTS[key].note})",
                fix=safety,
                applied=fixing,
            )
            if fixing:
                frame.renames[key] = new

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        frame = self._frames.pop()
        if not frame.renames:
            return updated
        params = updated.params

        def renamed(items):
            return [
                p.with_changes(name=cst.Name(frame.renames[p.name.value]))
                if p.name.value in frame.renames
                else p
                for p in items
            ]

        params = params.with_changes(
            posonly_params=renamed(params.posonly_params),
            params=renamed(params.params),
            kwonly_params=renamed(params.kwonly_params),
        )
        return updated.with_changes(params=params, body=updated.body.visit(_Renamer(frame.renames)))

    def visit_Assign(self, node: cst.Assign) -> None:
        if self._frames and isinstance(node.value, cst.Call) and self._is_get_current_context(node.value):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self._frames[-1].context_names.add(target.target.value)

    def _is_get_current_context(self, call: cst.Call) -> bool:
        qualified = self.ctx.imports.qualified_name(call.func) or ""
        return qualified.endswith(".get_current_context") or (
            isinstance(call.func, cst.Name) and call.func.value == "get_current_context"
        )

    def _holds_context(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            return any(node.value in frame.context_names for frame in self._frames)
        return isinstance(node, cst.Call) and self._is_get_current_context(node)

    # -- the reads -----------------------------------------------------------------------
    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        if len(original.slice) != 1 or not isinstance(original.slice[0].slice, cst.Index):
            return updated
        key_node = original.slice[0].slice.value
        if self.ctx.options.close_bridge and isinstance(key_node, cst.IfExp):
            return self._closed(original, updated, key_node)
        key = _string(key_node)
        if key not in REPLACEMENTS or not self._holds_context(original.value):
            return updated
        if key in _SIMPLE:
            new, safety = _SIMPLE[key]
            # Bridge mode on 3.x: 1.10's context has no `logical_date`, 3.0's no `execution_date`;
            # `c["logical_date" if "logical_date" in c else "execution_date"]` reads the one it has.
            bridging = (
                self.ctx.options.bridge and self.ctx.target >= (3, 0) and isinstance(original.value, cst.Name)
            )
            fixing = self.may_fix(safety, bridged=bridging)
            message = f"{_removed(key)}: use `{new}` ({REPLACEMENTS[key].note})"
            if bridging:
                message += (
                    f"; bridge mode reads `{new}` where the context has it, else `{key}` (Airflow 1.10)"
                )
            self.report(original, message, fix=safety, applied=fixing)
            if not fixing:
                return updated
            index = updated.slice[0].slice
            assert isinstance(index, cst.Index) and isinstance(key_node, cst.SimpleString)
            value: cst.BaseExpression = _with_value(key_node, new)
            if bridging:
                q = key_node.quote
                holder = original.value.value  # type: ignore[attr-defined]
                value = cst.parse_expression(f"{q}{new}{q} if {q}{new}{q} in {holder} else {key_node.value}")
            element = updated.slice[0].with_changes(slice=index.with_changes(value=value))
            return updated.with_changes(slice=[element])
        if key in _EXPRESSIONS and isinstance(key_node, cst.SimpleString):
            template, safety = _EXPRESSIONS[key]
            value_code = self.ctx.module.code_for_node(original.value)
            expression = template.format(c=value_code, q=key_node.quote)
            fixing = self.may_fix(safety)
            self.report(
                original,
                f"{_removed(key)}: use `{expression}` ({REPLACEMENTS[key].note})",
                fix=safety,
                applied=fixing,
            )
            return cst.parse_expression(expression) if fixing else updated
        self.report(original, f"{_removed(key)}: rewrite by hand ({REPLACEMENTS[key].note})", fix=NO_FIX)
        return updated

    def _closed(self, original: cst.Subscript, updated: cst.Subscript, key_node: cst.IfExp) -> cst.Subscript:
        """Closing the bridge: `c["logical_date" if "logical_date" in c else "execution_date"]`
        is `c["logical_date"]` (the form bridge mode writes, see leave_Subscript)."""
        test, body, old = key_node.test, _string(key_node.body), _string(key_node.orelse)
        if not (
            old in _SIMPLE
            and body == _SIMPLE[old][0]
            and isinstance(original.value, cst.Name)
            and isinstance(test, cst.Comparison)
            and _string(test.left) == body
            and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].operator, cst.In)
            and isinstance(test.comparisons[0].comparator, cst.Name)
            and test.comparisons[0].comparator.value == original.value.value
        ):
            return updated
        fixing = self.may_fix(SAFE)
        self.report(
            original, f"closing the bridge: the context key is `{body}` alone", fix=SAFE, applied=fixing
        )
        if not fixing:
            return updated
        index = updated.slice[0].slice
        assert isinstance(index, cst.Index)
        element = updated.slice[0].with_changes(slice=index.with_changes(value=key_node.body))
        return updated.with_changes(slice=[element])

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        # context["dag_run"].execution_date, kwargs["ti"].execution_date, def f(dag_run, **kw)
        if original.attr.value != "execution_date":
            return updated
        owner = original.value
        if (
            isinstance(owner, cst.Subscript)
            and len(owner.slice) == 1
            and isinstance(owner.slice[0].slice, cst.Index)
        ):
            key_node = owner.slice[0].slice.value
            key = _string(key_node)
            if key not in RUN_OBJECTS or not self._holds_context(owner.value):
                return updated
            fixing = self.may_fix()
            new_owner = (
                f"{self.ctx.module.code_for_node(owner.value)}[{key_node.quote}dag_run{key_node.quote}]"  # type: ignore[union-attr]
            )
            self.report(
                original,
                ATTRIBUTE_MESSAGE + f"use `{new_owner}.logical_date` (exact for every run)",
                applied=fixing,
            )
            if not fixing or not isinstance(updated.value, cst.Subscript):
                return updated
            index = updated.value.slice[0].slice
            assert isinstance(index, cst.Index) and isinstance(key_node, cst.SimpleString)
            element = updated.value.slice[0].with_changes(
                slice=index.with_changes(value=_with_value(key_node, "dag_run"))
            )
            return updated.with_changes(
                value=updated.value.with_changes(slice=[element]), attr=cst.Name("logical_date")
            )
        if isinstance(owner, cst.Name) and any(owner.value in f.run_params for f in self._frames):
            if owner.value != "dag_run":
                # Airflow 3's runtime task instance has no logical_date; take the dag_run parameter.
                self.report(
                    original,
                    ATTRIBUTE_MESSAGE + "use `dag_run.logical_date` (add a `dag_run` parameter)",
                    fix=NO_FIX,
                )
                return updated
            fixing = self.may_fix()
            self.report(
                original,
                ATTRIBUTE_MESSAGE + "use `dag_run.logical_date` (exact for every run)",
                applied=fixing,
            )
            return updated.with_changes(attr=cst.Name("logical_date")) if fixing else updated
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        # context.get("execution_date") / kwargs.get("next_ds", None)
        func = original.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "get" and original.args):
            return updated
        key = _string(original.args[0].value)
        if key not in REPLACEMENTS or not self._holds_context(func.value):
            return updated
        if key not in _SIMPLE:
            self.report(original, f"{_removed(key)}: rewrite by hand ({REPLACEMENTS[key].note})", fix=NO_FIX)
            return updated
        new, safety = _SIMPLE[key]
        fixing = self.may_fix(safety)
        self.report(
            original, f"{_removed(key)}: use `{new}` ({REPLACEMENTS[key].note})", fix=safety, applied=fixing
        )
        if not fixing:
            return updated
        first = updated.args[0]
        key_node = first.value
        assert isinstance(key_node, cst.SimpleString)
        return updated.with_changes(
            args=[first.with_changes(value=_with_value(key_node, new)), *updated.args[1:]]
        )


ATTRIBUTE_MESSAGE = (
    "`.execution_date` of the dag run / task instance is deprecated since Airflow 2.2 and removed in 3.0: "
)


def _mentions_name(body: cst.CSTNode, name: str) -> bool:
    found = False

    class _Finder(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            nonlocal found
            found = found or node.value == name

    body.visit(_Finder())
    return found


class _Renamer(cst.CSTTransformer):
    """Rename a function's parameters and their uses; leaves attribute and keyword names alone."""

    def __init__(self, renames: dict[str, str]) -> None:
        super().__init__()
        self.renames = renames
        self._shadowed = 0

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._shadowed += _rebinds(node.params, self.renames)

    def leave_Lambda(self, original: cst.Lambda, updated: cst.Lambda) -> cst.Lambda:
        self._shadowed -= _rebinds(original.params, self.renames)
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._shadowed += self._nested(node)

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self._shadowed -= self._nested(original)
        return updated

    def _nested(self, node: cst.FunctionDef) -> int:
        return _rebinds(node.params, self.renames)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        if self._shadowed or original.value not in self.renames:
            return updated
        return updated.with_changes(value=self.renames[original.value])


def _rebinds(params: cst.Parameters, renames: dict[str, str]) -> int:
    names = {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
    return 1 if names & set(renames) else 0
