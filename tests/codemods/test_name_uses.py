"""codemods/_name_uses.py: the reads of a local name, less those Python's scoping gives to another binding."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from codemods._ast_nodes import of_type
from codemods._name_uses import NameUses, _bindable, _shadowed_reads

# (source, name, the lines where it reads the import)
CASES = [
    ("from m import d\nd(1)\nx = d\n", "d", [2, 3]),
    ("from m import d\ndef f(d):\n    return d(1)\nd(2)\n", "d", [4]),
    ("from m import d\ndef f():\n    d = 3\n    return d\nd(2)\n", "d", [5]),
    ("from m import d\ndef f():\n    return d(1)\n", "d", [3]),
    ("from m import d\ndef f():\n    from m import d\n    return d(1)\n", "d", [4]),
    ("from m import d\ndef f():\n    global d\n    d = 1\n    return d\n", "d", [5]),
    ("from m import d\nxs = [d for d in range(3)]\nd(1)\n", "d", [3]),
    ("from m import d\nxs = [d(i) for i in range(3)]\n", "d", [2]),
    ("from m import d\nfor d in range(3):\n    print(d)\nprint(d)\n", "d", [4]),
    ("from m import d\nfor i in range(3):\n    print(d)\n", "d", [3]),
    ("from m import d\nf = lambda d: d\ng = lambda: d\n", "d", [3]),
    ("from m import d\ndef f(x=d):\n    d = 1\n    return d\n", "d", [2]),
    ("from m import d\ndef outer(d):\n    def inner():\n        return d\n    return inner\n", "d", []),
    ("from m import d\ntry:\n    pass\nexcept E as d:\n    print(d)\nprint(d)\n", "d", [5, 6]),
    ("from m import d\nif (d := 1):\n    print(d)\n", "d", [3]),
    ("from m import d\nclass C:\n    d = 1\n    x = d\n", "d", [4]),
    ("from m import d\ndel d\n", "d", [2]),  # `del` needs the binding: a use
    ("import m.d\nm.d.f()\nm.x\n", "m", [2, 3]),
    ("from m import d\n", "d", []),
]


@pytest.mark.parametrize("source, name, lines", CASES)
def test_reads_of_a_name(source, name, lines):
    assert NameUses(ast.parse(source)).lines(name) == lines


def _full_analysis(tree: ast.AST) -> dict[str, list[ast.Name]]:
    """Every name's reads with the shadow analysis run for all names at once."""
    shadowed = _shadowed_reads(tree, _bindable(tree))
    reads: dict[str, list[ast.Name]] = {}
    for node in of_type(tree, ast.Name):
        if not isinstance(node.ctx, ast.Store) and id(node) not in shadowed:
            reads.setdefault(node.id, []).append(node)
    return {name: sorted(nodes, key=lambda n: (n.lineno, n.col_offset)) for name, nodes in reads.items()}


SOURCES = [source for source, _, _ in CASES] + [
    path.read_text() for path in sorted((Path(__file__).parent.parent.parent / "codemods").glob("*.py"))
]


@pytest.mark.parametrize("source", SOURCES)
def test_a_name_nothing_else_binds_is_read_wherever_it_stands(source):
    # the per-name answer skips the shadow analysis for a name no parameter, assignment, loop,
    # comprehension, definition or handler binds: it must equal the analysis of every name
    tree = ast.parse(source)
    full = _full_analysis(tree)
    uses = NameUses(ast.parse(source))
    names = {node.id for node in of_type(tree, ast.Name)}
    for name in names:
        assert [(n.lineno, n.col_offset) for n in uses.reads.get(name, ())] == [
            (n.lineno, n.col_offset) for n in full.get(name, ())
        ]
