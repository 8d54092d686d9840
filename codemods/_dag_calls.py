"""Recognising DAG constructions and operator calls, shared by the DAG-argument rules."""

from __future__ import annotations

import ast
from typing import Optional, Union

import libcst as cst

from codemods._context import ImportTracker
from codemods._edit import string_key

# airflow.DAG, airflow.models.DAG, airflow.models.dag.DAG, airflow.sdk.DAG, ...; the TaskFlow
# decorator airflow.decorators.dag / airflow.sdk.dag takes the same arguments.
_DAG_DECORATORS = frozenset({"airflow.decorators.dag", "airflow.sdk.dag", "airflow.models.dag.dag"})


AnyCall = Union[cst.Call, ast.Call]


def _keywords(call: AnyCall) -> list[str]:
    if isinstance(call, ast.Call):
        return [keyword.arg for keyword in call.keywords if keyword.arg]
    return [arg.keyword.value for arg in call.args if arg.keyword is not None]


def is_dag_call(call: AnyCall, imports: ImportTracker) -> bool:
    qualified = imports.qualified_name(call.func)
    if not qualified or not qualified.startswith("airflow"):
        return False
    return qualified.rsplit(".", 1)[-1] == "DAG" or qualified in _DAG_DECORATORS


class DagCallsOnly:
    """For a Rule whose handlers only change `DAG(...)` calls: the engine hands it just the
    statements holding one, chosen on the ast (its `dag` token is in nearly every statement
    of a DAG file, `dag=dag`)."""

    ast_types: tuple[type[ast.AST], ...] = (ast.Call,)

    def inspect(self, node: ast.AST) -> bool:
        return is_dag_call(node, self.ctx.imports)  # type: ignore[arg-type, attr-defined]


def is_operator_call(call: AnyCall, imports: ImportTracker) -> bool:
    """An Airflow operator/sensor, or any call given a task_id (custom operators)."""
    qualified = imports.qualified_name(call.func) or ""
    if qualified.startswith("airflow.") and qualified.endswith(("Operator", "Sensor")):
        return True
    return "task_id" in _keywords(call)


def names_default_args(target: Union[cst.BaseExpression, ast.expr]) -> bool:
    # `default_args`, `args`, `DEFAULT_ARGS`, `dag_args`: the names DAG repos give it.
    if isinstance(target, ast.Name):
        name = target.id.lower()
    elif isinstance(target, cst.Name):
        name = target.value.lower()
    else:
        return False
    return name in ("args", "dag_args") or "default_args" in name


def default_args_dict(node: cst.Assign) -> Optional[cst.Dict]:
    """The dict literal of `default_args = {...}`, if this assignment is one."""
    if isinstance(node.value, cst.Dict) and any(names_default_args(t.target) for t in node.targets):
        return node.value
    return None


def dict_keys(node: cst.Dict) -> list[tuple[str, cst.DictElement]]:
    keys = []
    for element in node.elements:
        key = string_key(element)
        if key is not None and isinstance(element, cst.DictElement):
            keys.append((key, element))
    return keys


def rename_keyword(arg: cst.Arg, new: str) -> cst.Arg:
    assert arg.keyword is not None
    return arg.with_changes(keyword=arg.keyword.with_changes(value=new))


def append_keyword(call: cst.Call, name: str, value: str) -> cst.Call:
    """Add `name=value` after the last argument, laid out like the arguments already there."""
    args = list(call.args)
    new = cst.Arg(
        keyword=cst.Name(name),
        value=cst.parse_expression(value),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    separator = args[-2].comma if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma) else None
    if separator is None:
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args[-1] = last.with_changes(comma=separator)
    args.append(new.with_changes(comma=last.comma))
    return call.with_changes(args=args)
