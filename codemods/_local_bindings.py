"""Which imported names a rename may not respell at their uses.

Renaming an imported class (`DummyOperator` -> `EmptyOperator`, 2.4) renames its uses by
spelling. That is right only when every `DummyOperator` in the file is the import: a
parameter, a lambda argument, a class attribute, a local variable, a class or function of the
same name, a `global`, an except-handler name, a nested import, or a string that names it
(`__all__ = ["DummyOperator"]`, `getattr(module, "DummyOperator")`, a string annotation) make
some uses something else, or make the name part of what the module exports. For such a name
the import keeps the local name (`from airflow.operators.empty import EmptyOperator as
DummyOperator`): every use, whatever it refers to, then behaves as before.
"""

from __future__ import annotations

import ast
import re

from codemods._ast_nodes import of_type

# The node types _bound_names, _annotations or the string test below look at.
_BINDING_OR_NAMING = frozenset(
    [
        ast.Name,
        ast.arg,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Global,
        ast.Nonlocal,
        ast.ExceptHandler,
        ast.Import,
        ast.ImportFrom,
        ast.Constant,
        ast.AnnAssign,
    ]
    + [getattr(ast, name) for name in ("MatchAs", "MatchStar", "MatchMapping") if hasattr(ast, name)]
)
# most of a file's nodes, looked at on their own above
_COMMON = frozenset([ast.Name, ast.Constant])


def names_bound_elsewhere(tree: ast.Module, names: frozenset[str] | set[str]) -> frozenset[str]:
    """The `names` (bound by module-level imports) that something else binds or names too."""
    if not names:
        return frozenset()
    found: set[str] = set()
    top_level_imports = {id(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))}
    # a Name binds when stored or deleted
    found.update(
        node.id
        for node in of_type(tree, ast.Name)
        if node.id in names and isinstance(node.ctx, (ast.Store, ast.Del))
    )
    found.update(  # __all__, getattr(module, "X"), a string annotation "X"
        node.value
        for node in of_type(tree, ast.Constant)
        if isinstance(node.value, str) and node.value in names
    )
    for node in (node for kind in _BINDING_OR_NAMING - _COMMON for node in of_type(tree, kind)):
        for name in _bound_names(node, top_level_imports):
            if name in names:
                found.add(name)
        for annotation in _annotations(node):
            for text in _strings(annotation):
                found.update(name for name in names if re.search(rf"\b{re.escape(name)}\b", text))
    return frozenset(found)


def _bound_names(node: ast.AST, top_level_imports: set[int]):
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        yield node.id
    elif isinstance(node, ast.arg):
        yield node.arg
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name
    elif isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top_level_imports:
        for alias in node.names:
            yield alias.asname or alias.name.split(".", 1)[0]
    elif type(node).__name__ in ("MatchAs", "MatchStar") and getattr(node, "name", None):
        yield node.name
    elif type(node).__name__ == "MatchMapping" and getattr(node, "rest", None):
        yield node.rest


def _annotations(node: ast.AST):
    if isinstance(node, ast.arg) and node.annotation is not None:
        yield node.annotation
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
        yield node.returns
    elif isinstance(node, ast.AnnAssign):
        yield node.annotation


def _strings(annotation: ast.AST):
    for inner in ast.walk(annotation):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            yield inner.value
