"""Where a file uses the names its imports bind, found on CPython's ast.

Rules that drop an import once the code no longer needs it (a decorator removed, a call
rewritten) must know every other use of the local name: a `Name` read anywhere in the file
(including the head of `mod.attr` chains), never the names bound by the import itself.
"""

from __future__ import annotations

import ast
from collections import defaultdict

from codemods._ast_nodes import TreeCache, walk


def _find(tree: ast.AST) -> tuple[dict, dict]:
    reads: dict[str, list[ast.Name]] = defaultdict(list)
    chains: dict[int, ast.Attribute] = {}
    for node in walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            reads[node.id].append(node)
        elif isinstance(node, ast.Attribute):
            head = node.value
            while isinstance(head, ast.Attribute):
                head = head.value
            if isinstance(head, ast.Name):
                # the walk is breadth first: the outermost attribute of a chain comes first.
                chains.setdefault(id(head), node)
    for nodes in reads.values():
        nodes.sort(key=lambda n: (n.lineno, n.col_offset))
    return dict(reads), chains


_made = TreeCache()  # tree -> (reads, chains)


class NameUses:
    """Local name -> the `ast.Name` nodes that read it, in source order."""

    def __init__(self, tree: ast.AST) -> None:
        made = _made.get(tree)  # a tree never changes once parsed: its uses are found once
        if made is None:
            made = _find(tree)
            _made.put(tree, made)
        self.reads: dict[str, list[ast.Name]] = made[0]
        # id of a Name node -> the Attribute chain it heads (`a` in `a.b.c`: the outermost).
        self.chains: dict[int, ast.Attribute] = made[1]

    def lines(self, local: str, *, excluding: frozenset[int] = frozenset()) -> list[int]:
        """Lines where `local` is read, leaving out the Name nodes whose id is in `excluding`."""
        return sorted({node.lineno for node in self.reads.get(local, ()) if id(node) not in excluding})

    def chain(self, name: ast.Name) -> ast.Attribute | None:
        """The attribute chain `name` heads (`name.a.b`), or None when it is read alone."""
        return self.chains.get(id(name))


def attribute_after(chain: ast.Attribute, depth: int) -> ast.Attribute | None:
    """In `a.b.c.d`, the attribute `depth` levels above the head (1: `a.b`, 2: `a.b.c`)."""
    parts: list[ast.Attribute] = []
    node: ast.AST = chain
    while isinstance(node, ast.Attribute):
        parts.append(node)
        node = node.value
    parts.reverse()  # innermost first
    return parts[depth - 1] if 0 < depth <= len(parts) else None


def describe_lines(lines: list[int], limit: int = 3) -> str:
    """`line 12`, `lines 12, 30`, `lines 12, 30, 41 and 2 more`."""
    if not lines:
        return ""
    shown = ", ".join(str(line) for line in lines[:limit])
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"
