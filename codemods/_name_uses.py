"""Where a file uses the names its imports bind, found on CPython's ast.

Rules that drop an import once the code no longer needs it (a decorator removed, a call
rewritten) must know every other use of the local name: a `Name` read anywhere in the file
(including the head of `mod.attr` chains), never the names bound by the import itself.

A read that Python's scoping proves reads another binding of the same name is no use of the
import: a parameter or local variable of an enclosing function, a comprehension variable, or
the target of a module-level `for` loop read inside that loop's body (`for days_ago in
range(3): ...` after `from airflow.utils.dates import days_ago`). Anything less certain (a
read after the loop, a module-level reassignment, a `global` statement) still counts as a use.
"""

from __future__ import annotations

import ast
from collections import defaultdict

from codemods._ast_nodes import TreeCache, children, of_type, parents, with_ancestors


class _Reads:
    """Local name -> its reads, worked out per name when asked: most rules ask for a few import
    locals (`days_ago`), which nothing else binds, and a read of a name nothing else binds
    can be shadowed by nothing (every binding `_shadowed_reads` follows is in `_bindable`)."""

    def __init__(self, tree: ast.AST) -> None:
        self._tree = tree
        self._by_name: dict[str, list[ast.Name]] | None = None
        self._bindable: set[str] | None = None
        self._shadowed: set[int] | None = None
        self._found: dict[str, list[ast.Name]] = {}

    def get(self, name: str, default=None):
        found = self._found.get(name)
        if found is None:
            found = self._found[name] = self._reads_of(name)
        return found if found else default

    def _reads_of(self, name: str) -> list[ast.Name]:
        if self._by_name is None:
            self._by_name = defaultdict(list)
            for node in of_type(self._tree, ast.Name):  # walk order
                if not isinstance(node.ctx, ast.Store):
                    self._by_name[node.id].append(node)
        nodes = self._by_name.get(name, [])
        if nodes:
            if self._bindable is None:
                self._bindable = _bindable(self._tree)
            if name in self._bindable:
                if self._shadowed is None:
                    self._shadowed = _shadowed_reads(self._tree, self._bindable)
                nodes = [node for node in nodes if id(node) not in self._shadowed]
        return sorted(nodes, key=lambda n: (n.lineno, n.col_offset))


def _chains(tree: ast.AST) -> dict[int, ast.Attribute]:
    chains: dict[int, ast.Attribute] = {}
    for node in of_type(tree, ast.Attribute):
        head = node.value
        while isinstance(head, ast.Attribute):
            head = head.value
        if isinstance(head, ast.Name):
            # the walk is breadth first: the outermost attribute of a chain comes first.
            chains.setdefault(id(head), node)
    return chains


_made = TreeCache()  # tree -> (reads, chains or None until asked)


class NameUses:
    """Local name -> the `ast.Name` nodes that read it, in source order (`reads.get(name)`)."""

    def __init__(self, tree: ast.AST) -> None:
        made = _made.get(tree)  # a tree never changes once parsed: its uses are found once
        if made is None:
            made = [_Reads(tree), None]
            _made.put(tree, made)
        self._made = made
        self._tree = tree
        self.reads: _Reads = made[0]

    @property
    def chains(self) -> dict[int, ast.Attribute]:
        """id of a Name node -> the Attribute chain it heads (`a` in `a.b.c`: the outermost)."""
        if self._made[1] is None:
            self._made[1] = _chains(self._tree)
        return self._made[1]

    def lines(self, local: str, *, excluding: frozenset[int] = frozenset()) -> list[int]:
        """Lines where `local` is read, leaving out the Name nodes whose id is in `excluding`."""
        return sorted({node.lineno for node in self.reads.get(local, ()) if id(node) not in excluding})

    def chain(self, name: ast.Name) -> ast.Attribute | None:
        """The attribute chain `name` heads (`name.a.b`), or None when it is read alone."""
        return self.chains.get(id(name))


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_NO_NAMES: frozenset[str] = frozenset()


def _bindable(tree: ast.AST) -> set[str]:
    """Every name something other than an import binds: a read of any other name reads its
    import (or a builtin), whatever the scope."""
    bindable = {node.id for node in of_type(tree, ast.Name) if not isinstance(node.ctx, ast.Load)}
    bindable.update(node.arg for node in of_type(tree, ast.arg))
    bindable.update(node.name for kind in _DEFINITIONS for node in of_type(tree, kind))
    bindable.update(node.name for node in of_type(tree, ast.ExceptHandler) if node.name)
    for target in [
        *(node.target for node in of_type(tree, ast.For)),
        *(node.target for node in of_type(tree, ast.comprehension)),
    ]:
        bindable.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return bindable


def _shadowed_reads(tree: ast.AST, bindable: set[str]) -> set[int]:
    """ids of the `Name` reads that read a function-local, comprehension or loop binding."""
    shadowed: set[int] = set()
    declared_global = {name for node in of_type(tree, ast.Global) for name in node.names}
    # Outside functions, comprehensions and loops no read is shadowed: in that code only the
    # subtrees holding one of them are entered (`holders`: them and their ancestors).
    parent_of = parents(tree)
    holders = with_ancestors(
        [node for kind in (*_FUNCTIONS, *_COMPREHENSIONS, ast.For) for node in of_type(tree, kind)], parent_of
    )
    # Inside them a read is shadowed only when it reads a name something binds: the subtrees
    # holding neither such a read nor one of them are not entered either (`reading`).
    reads = [
        node
        for node in of_type(tree, ast.Name)
        if node.id in bindable and not isinstance(node.ctx, ast.Store)
    ]
    reading = holders | with_ancestors(reads, parent_of)
    # (node, names bound lexically here, module-level loop targets in effect, in module code)
    stack: list[tuple[ast.AST, frozenset[str], frozenset[str], bool]] = [(tree, _NO_NAMES, _NO_NAMES, True)]
    while stack:
        node, bound, looping, module_code = stack.pop()
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Store) and (node.id in bound or node.id in looping):
                shadowed.add(id(node))
            continue
        if isinstance(node, _FUNCTIONS):
            # Defaults, decorators and annotations run in the enclosing scope; the body sees the
            # function's own locals (and its enclosing functions' by closure), never a loop's.
            outer = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
            if not isinstance(node, ast.Lambda):
                outer += [*node.decorator_list, *_annotations(node)]
            stack.extend((child, bound, looping, module_code) for child in outer)
            inner = bound | _function_locals(node)
            body = [node.body] if isinstance(node, ast.Lambda) else node.body
            stack.extend((child, inner, _NO_NAMES, False) for child in body)
            continue
        if isinstance(node, _COMPREHENSIONS):
            first, *rest = node.generators
            stack.append((first.iter, bound, looping, module_code))
            inner = bound | {
                n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)
            }
            parts: list[ast.AST] = [first.target, *first.ifs, *rest]
            parts += [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
            stack.extend((child, inner, _NO_NAMES, False) for child in parts)
            continue
        if isinstance(node, ast.For) and module_code:  # at module level (or in a class body there)
            targets = {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
            # A name the body imports, deletes or assigns otherwise may be something else there.
            rebound = {
                n.id
                for child in node.body
                for n in ast.walk(child)
                if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)
            } | {
                (alias.asname or alias.name).split(".")[0]
                for child in node.body
                for n in ast.walk(child)
                if isinstance(n, (ast.Import, ast.ImportFrom))
                for alias in n.names
            }
            inside = looping | (targets - rebound - declared_global)
            stack.extend((child, bound, looping, True) for child in (node.target, node.iter, *node.orelse))
            stack.extend((child, bound, inside, True) for child in node.body)
            continue
        if bound or looping:
            stack.extend(
                (child, bound, looping, module_code) for child in children(node) if id(child) in reading
            )
        else:
            stack.extend(
                (child, bound, looping, module_code) for child in children(node) if id(child) in holders
            )
    return shadowed


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _annotations(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    args = node.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    found = [a.annotation for a in every if a is not None and a.annotation is not None]
    return found + ([node.returns] if node.returns is not None else [])


def _function_locals(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> frozenset[str]:
    """Parameters and names the body assigns (Python makes them local to the whole body), less
    `global` / `nonlocal` ones and local imports (left as uses: they name the same thing)."""
    args = node.args
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}
    if isinstance(node, ast.Lambda):
        return frozenset(names)
    declared: set[str] = set()
    imported: set[str] = set()
    pending: list[ast.AST] = list(node.body)
    while pending:  # this function's own scope: not into nested functions, classes, comprehensions
        child = pending.pop()
        if isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
            names.add(child.id)
        elif isinstance(child, (ast.Global, ast.Nonlocal)):
            declared.update(child.names)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            imported.update((alias.asname or alias.name).split(".")[0] for alias in child.names)
        elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(child.name)
            pending.extend(getattr(child, "decorator_list", []))
        elif isinstance(child, ast.ExceptHandler) and child.name:
            names.add(child.name)
            pending.extend(children(child))
        elif not isinstance(child, (ast.Lambda, *_COMPREHENSIONS)):
            pending.extend(children(child))
    return frozenset(names - declared - imported)


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
