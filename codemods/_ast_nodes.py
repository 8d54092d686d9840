"""Every node of a file's CPython ast, listed once per tree and shared by the rules.

Several rules and helpers look at all the nodes of the file (the names it reads, what binds a
name, the calls in it). `ast.walk` is a generator doing a Python-level `iter_fields` per node;
a file's tree is never changed once parsed, so the list is made once and reused. The same pass
over a module notes each node's parent, each statement's list and the nodes by type: the
helpers that need them (codemods/_bindings.py, _name_uses.py) do not walk the tree again.
"""

from __future__ import annotations

import ast
from functools import cache
from typing import Optional

# Fields holding only the expression-context and operator singletons (Load/Store, Add, ...),
# or no nodes at all: a third of the nodes of a tree, never what a rule looks for.
LEAF_FIELDS = frozenset({"ctx", "op", "ops", "type_ignores", "kind", "type_comment"})
# Fields that the ast grammar (Parser/Python.asdl) types as identifier, int, string or constant,
# never a node: Name.id and Constant.value are on half the nodes of a tree.
_SCALAR_FIELDS = frozenset(
    {
        ("Name", "id"),
        ("Attribute", "attr"),
        ("Constant", "value"),
        ("keyword", "arg"),
        ("arg", "arg"),
        ("alias", "name"),
        ("alias", "asname"),
        ("ImportFrom", "module"),
        ("ImportFrom", "level"),
        ("FunctionDef", "name"),
        ("AsyncFunctionDef", "name"),
        ("ClassDef", "name"),
        ("Global", "names"),
        ("Nonlocal", "names"),
        ("FormattedValue", "conversion"),
        ("comprehension", "is_async"),
        ("AnnAssign", "simple"),
        ("ExceptHandler", "name"),
        ("MatchAs", "name"),
        ("MatchStar", "name"),
        ("MatchMapping", "rest"),
        ("MatchClass", "kwd_attrs"),
        ("MatchSingleton", "value"),
    }
)


class TreeCache:
    """Values computed for the nodes of the file being processed. Emptied when the tree of
    another module is stored: the memory held is one file's, whatever the run's length (a
    weak mapping would never let go: the values hold their tree)."""

    def __init__(self) -> None:
        self._entries: dict[int, tuple[ast.AST, object]] = {}
        self._module: Optional[ast.AST] = None

    def get(self, node: ast.AST):
        entry = self._entries.get(id(node))
        return entry[1] if entry is not None and entry[0] is node else None

    def put(self, node: ast.AST, value) -> None:
        if isinstance(node, ast.Module) and node is not self._module:
            self._entries.clear()
            self._module = node
        self._entries[id(node)] = (node, value)


_walks = TreeCache()
_by_type = TreeCache()


@cache
def child_fields(node_class: type) -> tuple[str, ...]:
    """The fields of a node type that may hold child nodes."""
    return tuple(
        name
        for name in node_class._fields
        if name not in LEAF_FIELDS and (node_class.__name__, name) not in _SCALAR_FIELDS
    )


def children(node: ast.AST) -> list[ast.AST]:
    """`ast.iter_child_nodes(node)` as a list, less the context and operator singletons."""
    found: list[ast.AST] = []
    for name in child_fields(type(node)):
        value = getattr(node, name, None)
        if isinstance(value, list):
            found.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            found.append(value)
    return found


def walk(tree: ast.AST) -> list[ast.AST]:
    """The nodes of `tree` in `ast.walk`'s order (breadth first), less the context and
    operator singletons (see LEAF_FIELDS); made once per tree."""
    return _index(tree)[0]


def nodes_of(tree: ast.AST) -> list[ast.AST]:
    """`walk`'s nodes of a tree that is not the file's (a rewritten statement parsed again to
    check it), not kept: the cache holds the file's."""
    return _walk_nodes(tree, False)[0]


def parents(tree: ast.AST) -> dict[int, ast.AST]:
    """id(node) -> its parent, for every node of `tree` but `tree` itself."""
    return _index(tree, True)[1]  # type: ignore[return-value]


def statement_lists(tree: ast.AST) -> dict[int, tuple[list, int]]:
    """id(statement) -> (the statement list holding it, its index there), for `tree`'s nodes."""
    return _index(tree, True)[2]  # type: ignore[return-value]


_FIELDS: dict[type, tuple[str, ...]] = {}  # child_fields without a call per node


def _index(tree: ast.AST, with_parents: bool = False) -> tuple[list[ast.AST], Optional[dict], Optional[dict]]:
    # A module's walk also notes each node's parent: the rules that need the parents
    # (codemods/_bindings.py) would walk the whole tree again for them. The walks of a
    # statement or an expression (of_type of a function) only list the nodes.
    entry = _walks.get(tree)
    if entry is None or (with_parents and entry[1] is None):
        entry = _walk_nodes(tree, with_parents or isinstance(tree, ast.Module))
        _walks.put(tree, entry)
    return entry


def _walk_nodes(tree: ast.AST, with_parents: bool) -> tuple[list[ast.AST], Optional[dict], Optional[dict]]:
    nodes = [tree]
    append = nodes.append
    fields = _FIELDS
    node_type, stmt_type = ast.AST, ast.stmt
    if not with_parents:
        for node in nodes:  # grows while it is read: breadth first
            kind = node.__class__
            names = fields.get(kind)
            if names is None:
                names = fields[kind] = child_fields(kind)
            for name in names:
                value = getattr(node, name, None)
                if value.__class__ is list:  # the parser's lists are plain lists
                    for item in value:
                        if isinstance(item, node_type):
                            append(item)
                elif isinstance(value, node_type):
                    append(value)
        return nodes, None, None
    parent_of: dict[int, ast.AST] = {}
    bodies: dict[int, tuple[list, int]] = {}
    by_type: dict[type, list[ast.AST]] = {}  # of_type's table, made on the way
    for node in nodes:
        kind = node.__class__
        same = by_type.get(kind)
        if same is None:
            by_type[kind] = [node]
        else:
            same.append(node)
        names = fields.get(kind)
        if names is None:
            names = fields[kind] = child_fields(kind)
        for name in names:
            value = getattr(node, name, None)
            if value.__class__ is list:
                for index, item in enumerate(value):
                    if isinstance(item, node_type):
                        append(item)
                        parent_of[id(item)] = node
                        if isinstance(item, stmt_type):
                            bodies[id(item)] = (value, index)
            elif isinstance(value, node_type):
                append(value)
                parent_of[id(value)] = node
    _by_type.put(tree, by_type)
    return nodes, parent_of, bodies


def of_type(tree: ast.AST, kind: type) -> list:
    """The nodes of `tree` of exactly this type, in `walk` order."""
    table = _by_type.get(tree)
    if table is None and isinstance(tree, ast.Module):
        _index(tree)  # a module's walk makes the table
        table = _by_type.get(tree)
    if table is None:
        table = {}
        for node in walk(tree):
            table.setdefault(type(node), []).append(node)
        _by_type.put(tree, table)
    return table.get(kind, [])


def with_ancestors(nodes: list[ast.AST], parent_of: dict[int, ast.AST]) -> set[int]:
    """ids of `nodes` and of every node above them."""
    found: set[int] = set()
    for node in nodes:
        key = id(node)
        while key not in found:
            found.add(key)
            above = parent_of.get(key)
            if above is None:
                break
            key = id(above)
    return found
