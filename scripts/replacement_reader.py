"""Read, with `ast`, how a deprecated operator class maps its arguments onto its replacement.

A provider that folds an operator into a generic one first keeps the old class as a thin
deprecated subclass whose `__init__` translates the old arguments, e.g. postgres 5.14.0:

    class PostgresOperator(SQLExecuteQueryOperator):
        def __init__(self, *, postgres_conn_id="postgres_default", database=None, runtime_parameters=None, **kwargs):
            if database is not None:
                hook_params = kwargs.pop("hook_params", {})
                kwargs["hook_params"] = {"database": database, **hook_params}
            if runtime_parameters:
                warnings.warn(...)
                ...
            super().__init__(conn_id=postgres_conn_id, **kwargs)

`read_mapping` turns such an `__init__` into data: `postgres_conn_id` is passed on as `conn_id`
(its default too), `database` becomes the `database` key of `hook_params` (the caller's own
`hook_params` keys win), `runtime_parameters` is handled by code this reader does not
recognise and is listed as unmapped (a call passing it cannot be rewritten). Only these shapes
are recognised; any other use of a parameter makes it unmapped, never guessed.

Used by scripts/gen_operator_replacements.py; nothing here imports provider code.
"""

from __future__ import annotations

import ast
from typing import Optional

HOOK_PARAMS = "hook_params"


def literal_text(node: Optional[ast.expr]) -> Optional[str]:
    """Source text of a literal default (`'postgres_default'`, `None`, `False`), else None."""
    if node is None:
        return None
    try:
        ast.literal_eval(node)
    except ValueError:
        return None
    return ast.unparse(node)


def init_of(cls: ast.ClassDef) -> Optional[ast.FunctionDef]:
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            return node
    return None


def parameters(init: ast.FunctionDef) -> dict[str, Optional[str]]:
    """Named parameters (without self) -> literal default text ("" when required, None when not literal)."""
    args = init.args
    positional = [*args.posonlyargs, *args.args]
    defaults: dict[str, Optional[str]] = {}
    padded = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(positional, padded):
        defaults[arg.arg] = "" if default is None else literal_text(default)
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        defaults[arg.arg] = "" if default is None else literal_text(default)
    defaults.pop("self", None)
    return defaults


def _is_super_init(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "__init__"
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "super"
    )


def _hook_params_assignment(statements: list[ast.stmt], kwargs_name: str) -> Optional[dict[str, str]]:
    """`hp = kwargs.pop("hook_params", {}); kwargs["hook_params"] = {"key": param, ..., **hp}`
    -> {key: param}, or None when the block is anything else."""
    if len(statements) != 2:
        return None
    pop, store = statements
    if not (
        isinstance(pop, ast.Assign)
        and len(pop.targets) == 1
        and isinstance(pop.targets[0], ast.Name)
        and isinstance(pop.value, ast.Call)
        and ast.unparse(pop.value.func) == f"{kwargs_name}.pop"
        and [literal_text(a) for a in pop.value.args] == [repr(HOOK_PARAMS), "{}"]
    ):
        return None
    popped = pop.targets[0].id
    if not (
        isinstance(store, ast.Assign)
        and len(store.targets) == 1
        and ast.unparse(store.targets[0]) == f"{kwargs_name}[{HOOK_PARAMS!r}]"
        and isinstance(store.value, ast.Dict)
    ):
        return None
    keys: dict[str, str] = {}
    spread_last = False
    for key, value in zip(store.value.keys, store.value.values):
        if key is None:  # `**hp`: the caller's hook_params, which must come last (they win)
            spread_last = isinstance(value, ast.Name) and value.id == popped
            continue
        if spread_last or not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        if not isinstance(value, ast.Name):
            return None
        keys[key.value] = value.id
    return keys if spread_last else None


def _guard(test: ast.expr) -> Optional[tuple[str, list[str]]]:
    """`p is not None` -> ("not-none", [p]); `any([p, q, ...])` -> ("any", [p, q, ...])."""
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        return "not-none", [test.left.id]
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "any"
        and len(test.args) == 1
        and isinstance(test.args[0], (ast.List, ast.Tuple))
        and all(isinstance(e, ast.Name) for e in test.args[0].elts)
    ):
        return "any", [e.id for e in test.args[0].elts]  # type: ignore[attr-defined]
    return None


def read_mapping(cls: ast.ClassDef) -> Optional[dict]:
    """The argument mapping of a deprecated subclass's `__init__`, or None if it has none of
    the recognised shape (no `super().__init__(..., **kwargs)` passing the rest through)."""
    init = init_of(cls)
    if init is None or init.args.kwarg is None:
        return None
    kwargs_name = init.args.kwarg.arg
    params = parameters(init)
    renamed: dict[str, str] = {}
    hook_params: list[dict] = []
    explained: set[str] = set()
    super_calls = [node for node in init.body if isinstance(node, ast.Expr) and _is_super_init(node.value)]
    if len(super_calls) != 1 or init.body[-1] is not super_calls[0]:
        return None
    call = super_calls[0].value
    assert isinstance(call, ast.Call)
    if call.args or not any(k.arg is None and ast.unparse(k.value) == kwargs_name for k in call.keywords):
        return None
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        if isinstance(keyword.value, ast.Name) and keyword.value.id in params:
            renamed[keyword.value.id] = keyword.arg
            explained.add(keyword.value.id)
        else:
            return None  # a computed value passed up: not a mapping of arguments
    for statement in init.body[:-1]:
        if isinstance(statement, ast.If) and not statement.orelse:
            guard = _guard(statement.test)
            keys = _hook_params_assignment(statement.body, kwargs_name) if guard else None
            if guard and keys is not None and set(guard[1]) == set(keys.values()) <= set(params):
                hook_params.append({"when": guard[0], "keys": keys})
                explained.update(keys.values())
                continue
        # Any other statement: the parameters it touches are not mapped.
    unmapped = sorted(
        name
        for name in params
        if name not in explained and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(init))
    )
    explained_defaults = {name: params[name] for name in sorted(explained)}
    if any(default is None or default == "" for default in explained_defaults.values()):
        return None  # a required or computed default: the caller's omission cannot be written out
    return {
        "renamed": dict(sorted(renamed.items())),
        "hook_params": hook_params,
        "unmapped": unmapped,
        "defaults": explained_defaults,
    }


def class_attribute(cls: ast.ClassDef, name: str) -> Optional[ast.expr]:
    for node in cls.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return node.value
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return node.value
    return None


def execute_returns_value(cls: ast.ClassDef) -> Optional[bool]:
    """Does `execute` return a value (pushed to XCom)? None when the class defines no execute."""
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "execute":
            return any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(node))
    return None
