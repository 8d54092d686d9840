"""Where a name used in a statement was bound: Python's scoping rules on CPython's ast.

Rules that rewrite an expression only when they can prove what a name holds (a DAG, an
operator) ask for every binding the name can resolve to at one statement: the bindings of
the innermost function scope that binds it (or of the module). Anything that binds a name -
assignment, `with ... as`, `for` target, parameter, import, def/class, `global`, `del`,
except-as, walrus - counts, so a name is "proven" only when all of them agree.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

from codemods._ast_nodes import TreeCache, children, of_type, parents, statement_lists

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_NEW_SCOPES = _SCOPES + (ast.ClassDef, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_built = TreeCache()  # tree -> its FileScopes


@dataclass
class Binding:
    """One place that binds a name: the node that binds it and the statement holding it."""

    node: ast.AST  # ast.Assign, ast.withitem, ast.arg, ast.alias, ast.For, ...
    statement: ast.stmt
    body: Optional[list] = None  # the statement list holding `statement`


@dataclass
class FileScopes:
    """Parents, enclosing statement lists and per-scope bindings of one module, built once."""

    tree: ast.Module
    parents: dict = field(default_factory=dict)  # id(node) -> parent node
    bodies: dict = field(default_factory=dict)  # id(statement) -> (statement list, index)
    _bindings: dict = field(default_factory=dict)  # id(scope) -> name -> [Binding]
    _binders: Optional[set] = None  # see _binding_subtrees

    @classmethod
    def build(cls, tree: ast.Module) -> FileScopes:
        """The scopes of `tree`, made once per tree: the rules that ask share them."""
        scopes = _built.get(tree)
        if scopes is not None:
            return scopes
        # the parents and statement lists come with the file's node list (one pass for both)
        scopes = cls(tree, parents(tree), statement_lists(tree))
        _built.put(tree, scopes)
        return scopes

    def parent(self, node: ast.AST) -> Optional[ast.AST]:
        return self.parents.get(id(node))

    def statement_of(self, node: ast.AST) -> ast.stmt:
        while not isinstance(node, ast.stmt):
            node = self.parents[id(node)]
        return node

    def scope_of(self, node: ast.AST) -> ast.AST:
        """The function (or the module) whose local names `node` sees."""
        current = self.parent(node)
        while current is not None and not isinstance(current, _SCOPES):
            current = self.parent(current)
        return current if current is not None else self.tree

    def enclosing_scopes(self, node: ast.AST) -> list[ast.AST]:
        scopes = []
        current = self.parent(node)
        while current is not None:
            if isinstance(current, _SCOPES):
                scopes.append(current)
            current = self.parent(current)
        return scopes + [self.tree]

    def bindings_at(self, node: ast.AST, name: str) -> list[Binding]:
        """Every binding `name` may resolve to where `node` is (empty: a builtin or undefined)."""
        scopes = self.enclosing_scopes(node)
        for scope in scopes:
            found = self.bindings_in(scope).get(name)
            if found:
                if any(isinstance(b.node, ast.Global) for b in found):
                    return self.bindings_in(self.tree).get(name, [])
                return found
        return []

    def bindings_in(self, scope: ast.AST) -> dict[str, list[Binding]]:
        cached = self._bindings.get(id(scope))
        if cached is None:
            cached = {}
            self._collect(scope, cached)
            self._bindings[id(scope)] = cached
        return cached

    def _collect(self, scope: ast.AST, found: dict[str, list[Binding]]) -> None:
        if isinstance(scope, ast.Lambda):
            roots: list[ast.AST] = [scope.args, scope.body]
        elif isinstance(scope, ast.Module):
            roots = list(scope.body)
        else:
            roots = [scope.args] + list(scope.body)  # type: ignore[attr-defined]
        # (node, the innermost statement holding it, None below a root that is no statement)
        stack: list[tuple[ast.AST, Optional[ast.stmt]]] = [(root, None) for root in reversed(roots)]
        binding = self._binding_subtrees()
        while stack:
            node, statement = stack.pop()
            if isinstance(node, ast.stmt):
                statement = node
            if node.__class__ in _BINDERS:
                names = _bound_names(node)
                if names:
                    held_by = statement if statement is not None else self.statement_of(node)
                    body = self.bodies.get(id(held_by), (None, 0))[0]
                    for name in names:
                        found.setdefault(name, []).append(Binding(node, held_by, body))
            if isinstance(node, _NEW_SCOPES):
                continue  # their own names; the def/class name itself was counted above
            stack.extend((child, statement) for child in reversed(children(node)) if id(child) in binding)

    def _binding_subtrees(self) -> set[int]:
        """ids of the nodes that bind a name and of every node above them: the walks of the
        scopes enter no other subtree (a call's arguments, a string, ...)."""
        if self._binders is None:
            found: set[int] = set()
            for kind in _BINDERS:
                for node in of_type(self.tree, kind):
                    if kind is ast.Name and not isinstance(node.ctx, (ast.Store, ast.Del)):
                        continue
                    key = id(node)
                    while key not in found:
                        found.add(key)
                        above = self.parents.get(key)
                        if above is None:
                            break
                        key = id(above)
            self._binders = found
        return self._binders


# the node types _bound_names may find a name in
_BINDERS = frozenset(
    (ast.Name, ast.arg, ast.alias, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Global)
    + (ast.Nonlocal, ast.ExceptHandler)
)


def _bound_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        return [node.id]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.alias):
        return [node.asname or node.name.split(".", 1)[0]] if node.name != "*" else []
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
        return []  # the target Name (Store) is counted itself
    return []


def assigned_value(binding: Binding, name: str) -> Optional[ast.expr]:
    """`name = <value>` (one plain Name target): the value; None for any other binding."""
    statement = binding.statement
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and statement.targets[0].id == name
        and binding.node is statement.targets[0]
    ):
        return statement.value
    return None


def with_item_value(binding: Binding, name: str) -> Optional[ast.expr]:
    """`with <value> as name:`: the value; None for any other binding."""
    statement = binding.statement
    if not isinstance(statement, (ast.With, ast.AsyncWith)):
        return None
    for item in statement.items:
        target = item.optional_vars
        if isinstance(target, ast.Name) and target.id == name and target is binding.node:
            return item.context_expr
    return None
