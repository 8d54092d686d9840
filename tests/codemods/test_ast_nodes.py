"""codemods/_ast_nodes.py: the shared walk gives ast.walk's nodes (less the context and
operator singletons), each node's parent and statement list, and the nodes by type."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from codemods._ast_nodes import nodes_of, of_type, parents, statement_lists, walk

_SINGLETONS = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop, ast.TypeIgnore)

# Every kind of node the grammar has (3.10+ for match) and the fields that may hold None or
# names: dict unpacking, keyword-only arguments without defaults, global, except-as, walrus.
EVERY_KIND = """\
import os.path as p, sys
from .pkg import a as b, c
from m import *
x: int = 1
y = z = (1, *rest)
del y
@decorator(arg=1)
async def f(a, /, b: "B" = 2, *args, c, d=3, **kwargs) -> None:
    global g
    async with ctx() as (u, v):
        async for i in aiter():
            await i
    return lambda q, *, r=None: {**q, "k": r, **{s: t for s, t in q.items() if s}}
class C(Base, metaclass=M):
    def g(self):
        nonlocal_free = [w async for w in self] if self else {e for e in ()}
        yield from (h for h in nonlocal_free)
try:
    pass
except (ValueError, TypeError) as err:
    raise RuntimeError() from err
else:
    assert x, "m"
finally:
    x += 1
while (n := x) > 0 and not n:
    break
for k, v in {}.items():
    continue
else:
    print(f"{k!r:>{v}} {x=}", b"b", ..., None, -1, x[1:2, ::3], x.attr)
with open(p) as fh, lock:
    pass
if x is not None:
    x = x if x else y
"""
MATCH = """\
match command:
    case [1, *others] | (2 as two):
        pass
    case {"k": value, **rest}:
        pass
    case Point(0, y=1) if y:
        pass
    case None | True | "s" | _:
        pass
"""


def _expected(tree: ast.AST) -> tuple[list, dict, dict]:
    nodes = [node for node in ast.walk(tree) if not isinstance(node, _SINGLETONS)]
    parent_of = {id(child): node for node in nodes for child in ast.iter_child_nodes(node)}
    parent_of = {key: node for key, node in parent_of.items() if key in {id(n) for n in nodes}}
    bodies = {}
    for node in nodes:
        for _, value in ast.iter_fields(node):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, ast.stmt):
                        bodies[id(item)] = (value, index)
    return nodes, parent_of, bodies


def _sources() -> list[str]:
    sources = [EVERY_KIND] + ([MATCH] if sys.version_info >= (3, 10) else [])
    root = Path(__file__).resolve().parents[2]
    sources += [path.read_text(encoding="utf-8") for path in sorted((root / "codemods").glob("*.py"))]
    return sources


@pytest.mark.parametrize("source", _sources(), ids=lambda source: source.split("\n", 1)[0][:40])
def test_walk_parents_statement_lists_and_types(source: str) -> None:
    tree = ast.parse(source)
    nodes, parent_of, bodies = _expected(tree)
    assert [id(node) for node in walk(tree)] == [id(node) for node in nodes]
    assert {key: id(node) for key, node in parents(tree).items()} == {
        key: id(node) for key, node in parent_of.items()
    }
    found = statement_lists(tree)
    assert {key: (id(body), index) for key, (body, index) in found.items()} == {
        key: (id(body), index) for key, (body, index) in bodies.items()
    }
    for kind in {type(node) for node in nodes}:
        assert [id(node) for node in of_type(tree, kind)] == [
            id(node) for node in nodes if type(node) is kind
        ]
    listed = walk(tree)
    other = ast.parse(source)  # another tree: listed alike, and the file's index is kept
    assert [type(node) for node in nodes_of(other)] == [type(node) for node in nodes]
    assert walk(tree) is listed


def test_a_statement_is_walked_on_its_own() -> None:
    tree = ast.parse(EVERY_KIND)
    function = next(node for node in tree.body if isinstance(node, ast.AsyncFunctionDef))
    nodes = [node for node in ast.walk(function) if not isinstance(node, _SINGLETONS)]
    assert [id(node) for node in walk(function)] == [id(node) for node in nodes]
    calls = [node for node in nodes if type(node) is ast.Call]
    assert [id(node) for node in of_type(function, ast.Call)] == [id(node) for node in calls]
    assert id(function) not in parents(function) and len(parents(function)) == len(nodes) - 1
