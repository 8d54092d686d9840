"""A module-level name that provably holds one literal for the whole run of the file.

`compute_resources = {"request_cpu": "200m"}` at the top of a DAG file, then
`KubernetesPodOperator(resources=compute_resources)`: a rule that rewrites the literal at the
call (for the argument's new shape) may copy it there only when nothing else can change or
see what the name holds. Decided on CPython's ast of the whole file, conservatively:

- the name is bound exactly once, by a top-level `NAME = <literal>` statement that comes
  before the use (no other assignment, `del`, parameter, import, `global`, def, loop target,
  ... of that name anywhere in the file, no `from m import *`);
- every other occurrence of the name is a use the caller accepts (for AU121: the value of a
  `resources=` argument), so it is never mutated (`d["k"] = v`, `d.update(...)`) or passed on;
- the file does not reach its namespace dynamically (`globals()`, `vars()`, `exec`, `eval`);
- the literal's values are constants (str, int, float, bool, None), which copying cannot alias.
"""

from __future__ import annotations

import ast
from typing import Callable, Optional

_DYNAMIC = frozenset({"globals", "vars", "locals", "exec", "eval", "__import__"})


def _binds(node: ast.AST, name: str) -> bool:
    """`node` binds `name` other than by a plain ast.Name store (parameters, imports, ...)."""
    if isinstance(node, ast.arg):
        return node.arg == name
    if isinstance(node, ast.alias):
        return node.name == "*" or (node.asname or node.name.split(".", 1)[0]) == name
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return name in node.names
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name == name
    if isinstance(node, ast.ExceptHandler):
        return node.name == name
    match_as = getattr(ast, "MatchAs", None)
    match_star = getattr(ast, "MatchStar", None)
    if match_as is not None and isinstance(node, (match_as, match_star)):
        return getattr(node, "name", None) == name
    return False


def constant_dict(
    tree: ast.Module, name: str, use_line: int, accepted_use: Callable[[ast.Name], bool]
) -> Optional[ast.Dict]:
    """The dict literal `name` holds wherever it is used, or None when that is not proven."""
    definition: Optional[ast.Assign] = None
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == name
        ):
            if definition is not None:
                return None
            definition = statement
    if definition is None or definition.lineno >= use_line or not isinstance(definition.value, ast.Dict):
        return None
    target = definition.targets[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id in _DYNAMIC:
                return None
            if node.id != name or node is target:
                continue
            if not isinstance(node.ctx, ast.Load) or not accepted_use(node):
                return None
        elif _binds(node, name):
            return None
    literal = definition.value
    if any(key is None for key in literal.keys):  # `{**other}`
        return None
    for value in literal.values:
        if not (
            isinstance(value, ast.Constant) and isinstance(value.value, (str, int, float, bool, type(None)))
        ):
            return None
    return literal
