"""The import changes of a file's fixes, in one place. The requests any rule can make:

- `add_import(ctx, module, name, asname)`: the file needs this import (placed by the rule below);
- `remove_import(ctx, statement, names)`: these local names leave this import statement (the
  rule decided they go: AU140's `apply_defaults`, AU131's SubDagOperator); the statement goes
  once none of its names is left, the line once none of its statements is, a block left
  empty keeps a `pass`;
- `remove_import_if_unused(ctx, qualified, rewritten)`: `remove_import` of the names bound to
  `qualified` that no read outside the fix's rewrites needs (AU305's `days_ago`);
- `ImportTransform` (codemods/_base.py), the base of an import line's own rewrite (AU101's
  renames).

LibCST's AddImportsVisitor / RemoveImportsVisitor on this project's rule API: what changes is
decided on CPython's ast when the rule asks, and each answer is a `Rewrite` the rule puts in its
`Fix`. The service keeps one plan per file (`ctx.memo`): every fix that needs the same import
gets the same Rewrite, which the framework makes once however many applied fixes hold it; the
removals asked of one line, by any fixes of any rules, are one Rewrite of the line holding
every name asked so far, so that whichever of those fixes apply, each name goes once.

## Where an added import goes (the one rule)

1. Nowhere when an import at module level (outside def/class bodies; try/except ImportError
   and version switches included) already binds the local name: to that import, or to something
   else (then the rule must not use the name: `k8s_alias` picks another).
2. For `from M import N`: merged into the first `from M import ...` of the first import block
   that stands alone on its line (`from M import a, N as A`).
3. Else in place of the first (in source order) top-level import line the file's fixes drop
   names from (`remove_import`, `remove_import_if_unused`), asked before the addition: before
   what is left of it, with the comments above it (`from airflow.utils.dates import days_ago`
   -> `import pendulum`; AU131's SubDagOperator import -> the TaskGroup one).
4. Else after the last statement of the first import block: the first run of consecutive
   top-level `import` / `from ... import` statements (`from __future__` ones included; a
   docstring or code before it is passed over). A `try:` of imports only (the bridge's
   `try: new / except ImportError: old` pairs) belongs to the block, so a bridged file and its
   plain fix get the import at the same place; nothing is added inside it. An `if` on the
   Airflow version is not an import: it ends the block.
5. A module without top-level imports: after its docstring, else before its first statement.
   A module without statements gets nothing (nothing in it can use the name).

Added imports are applied after the other transforms of their statement (the framework runs
`ImportTransform`s last, codemods/_rewrites.py): whatever another fix made of it, split, pruned
or removed, the import lands after (or in place of) what is left.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Optional, Union

from codemods._ast_nodes import statement_lists
from codemods._base import ImportTransform, Rewrite
from codemods._edit import remove_elements
from codemods._name_uses import NameUses

if TYPE_CHECKING:
    import libcst as cst

    _Result = Union[cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel]
else:
    from codemods._libcst import cst

_COMPOUND = (
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor, ast.While,
    ast.With, ast.AsyncWith, ast.Try,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ()),  # Python 3.11
    *((ast.Match,) if hasattr(ast, "Match") else ()),  # Python 3.10
)  # fmt: skip


def add_import(
    ctx, module: str, name: Optional[str] = None, asname: Optional[str] = None
) -> Optional[Rewrite]:
    """The Rewrite adding `from module import name as asname` (`import module as asname` when
    `name` is None) to the file, for the fix that needs it; None when the file has nothing to
    add (rule 1 above) or no statement to put it by."""
    return _plan(ctx).add(module, name, asname)


def remove_import(ctx, statement: Union[ast.Import, ast.ImportFrom], names: Iterable[str]) -> list[Rewrite]:
    """The Rewrites dropping the local names `names` from the import `statement` (`import a.b`
    binds `a`), wherever it is: at module level or in a block, alone on its line or not; none
    when it binds none of them. The rule decides which names go; requests for one line, from
    any rules, compose (see `FileImports.remove`)."""
    return _plan(ctx).remove(statement, names)


def remove_import_if_unused(ctx, qualified: str, rewritten: Iterable[ast.Name]) -> list[Rewrite]:
    """The Rewrites dropping, from the top-level `from ... import` statements alone on their
    lines, each local name bound to `qualified` whose every read is in `rewritten` (the reads
    the same fix replaces; a name the fix reads none of, or one read elsewhere too, is left for
    others, AU104): `remove_import` of those names."""
    return _plan(ctx).remove_if_unused(qualified, rewritten)


def _plan(ctx) -> FileImports:
    plan = ctx.memo.get(FileImports)
    if plan is None:
        plan = ctx.memo[FileImports] = FileImports(ctx.tree, ctx.imports.bindings, ctx.lines)
    return plan


class FileImports:
    """One file's import requests: the Rewrites handed out, by what they add or drop."""

    def __init__(
        self, tree: ast.Module, bindings: dict[str, str], lines: Optional[list[bytes]] = None
    ) -> None:
        self.tree = tree
        self.lines = lines  # the file's, to tell `if x: import a` (a suite) from a line
        self.module_bindings = _module_level_bindings(tree)
        self.alone = _alone(tree.body)  # top-level statements alone on their lines
        self.bindings = bindings
        self.added: dict[tuple[str, Optional[str], Optional[str]], Optional[Rewrite]] = {}
        # id of the first statement of a line -> the Rewrites dropping names of its imports
        self.removed: dict[int, list[Rewrite]] = {}
        self.removed_statements: list[ast.stmt] = []  # top-level lines names were dropped from
        # id of the first statement of a line -> index of an import on it -> the names it loses
        self.names_removed: dict[int, dict[int, frozenset[str]]] = {}
        # comments and blank lines above a line a removal took away (id of its first statement):
        # for an import added in its place, else for the statement after it
        self.leading_lines: dict[int, tuple] = {}

    def add(self, module: str, name: Optional[str], asname: Optional[str]) -> Optional[Rewrite]:
        key = (module, name, asname)
        if key not in self.added:
            self.added[key] = self._new_addition(module, name, asname)
        return self.added[key]

    def _new_addition(self, module: str, name: Optional[str], asname: Optional[str]) -> Optional[Rewrite]:
        local = asname or name or module.split(".", 1)[0]
        if local in self.module_bindings:
            return None
        block = first_import_block(self.tree)
        if name is not None:
            for statement in block:
                if (
                    isinstance(statement, ast.ImportFrom)
                    and statement.module == module
                    and not statement.level
                    and all(a.name != "*" for a in statement.names)
                    and id(statement) in self.alone
                ):
                    return Rewrite(
                        statement, _Added(self, asname, module, name, "merge"), "SimpleStatementLine"
                    )
        if self.removed_statements:
            statement = min(self.removed_statements, key=lambda s: s.lineno)
            return Rewrite(
                statement,
                _Added(self, asname, module, name, "instead", id(statement)),
                "SimpleStatementLine",
            )
        if block:
            # the block's last statement, whatever other fixes made of it (a bridge AU103 closed)
            return Rewrite(block[-1], _Added(self, asname, module, name, "after"), "BaseStatement")
        body = self.tree.body
        if not body:
            return None
        first = body[0]
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            return Rewrite(first, _Added(self, asname, module, name, "after"), "SimpleStatementLine")
        return Rewrite(first, _Added(self, asname, module, name, "before"), "BaseStatement")

    def remove(self, statement: Union[ast.Import, ast.ImportFrom], names: Iterable[str]) -> list[Rewrite]:
        """One Rewrite per line: a request dropping names not asked of the line before makes a
        new one holding every name asked so far (the fixes holding the older ones drop what they
        asked, the names they share are dropped once whichever fixes apply). A top-level line
        is where an import asked afterwards goes (rule 3). A line that may go with blank or
        comment lines above it also gets a Rewrite of the statement after it, which takes those
        lines when nothing is added in its place (where LibCST parsed them with the line)."""
        doomed = {_local(statement, alias) for alias in statement.names if alias.name != "*"} & set(names)
        if not doomed:
            return []
        body, at, start, end = self._line(statement)
        first = body[start]
        index = at - start  # on the line
        known = self.names_removed.setdefault(id(first), {})
        if not doomed <= known.get(index, frozenset()):
            known[index] = known.get(index, frozenset()) | doomed
            top = body is self.tree.body
            # a block (or a suite) made of this line alone keeps a `pass` if nothing is left of it
            whole_block = not top and start == 0 and end == len(body)
            suite = not top and self._in_suite(first)
            line = body[start:end]
            bound = tuple(
                frozenset(_local(s, a) for a in s.names)
                if isinstance(s, (ast.Import, ast.ImportFrom))
                else None
                for s in line
            )
            names = tuple(known.get(i, frozenset()) for i in range(len(line)))
            previous = id(body[self._line(body[start - 1])[2]]) if start else 0
            rewrites = [
                Rewrite(
                    first,
                    _Removed(self, bound, names, id(first), whole_block or suite, previous),
                    "SimpleStatementSuite" if suite else "SimpleStatementLine",
                )
            ]
            goes = all(b is not None and b <= n for b, n in zip(bound, names))
            if goes and end < len(body) and not suite and self._lines_above(first):
                following = body[end]
                # whatever statement stands there once the other fixes made it: a bridge that
                # AU103 closed by byte edits is a plain import line by then
                rewrites.append(Rewrite(following, _Carried(self, id(first)), "BaseStatement"))
            self.removed[id(first)] = rewrites
            if top and first not in self.removed_statements:
                self.removed_statements.append(first)
        return self.removed[id(first)]

    def remove_if_unused(self, qualified: str, rewritten: Iterable[ast.Name]) -> list[Rewrite]:
        counts: dict[str, int] = {}
        for node in rewritten:
            counts[node.id] = counts.get(node.id, 0) + 1
        reads = NameUses(self.tree).reads
        unused = {
            local
            for local, count in counts.items()
            if count == len(reads.get(local, ())) and self.bindings.get(local) == qualified
        }
        rewrites = []
        for statement in self.tree.body:
            if isinstance(statement, ast.ImportFrom) and id(statement) in self.alone:
                rewrites += self.remove(statement, unused)
        return rewrites

    def _line(self, statement: ast.stmt) -> tuple[list[ast.stmt], int, int, int]:
        """(the block holding `statement`, its index there, the slice start:end of the block
        on its line): LibCST holds `a; b` in one SimpleStatementLine."""
        body, index = statement_lists(self.tree)[id(statement)]  # the file's shared index
        start, end = index, index + 1
        while start and _last_line(body[start - 1]) >= body[start].lineno:
            start -= 1
        while end < len(body) and body[end].lineno <= _last_line(body[end - 1]):
            end += 1
        return body, index, start, end

    def _lines_above(self, first: ast.stmt) -> bool:
        """A blank or comment line right above the line of `first` (its leading lines)."""
        if self.lines is None or first.lineno < 2:
            return False
        above = self.lines[first.lineno - 2].strip()
        return not above or above.startswith(b"#")

    def _in_suite(self, first: ast.stmt) -> bool:
        """`if x: import a`: the line's statements follow a compound statement's colon."""
        if self.lines is None:
            return False
        return bool(self.lines[first.lineno - 1][: first.col_offset].strip())


def _local(statement: Union[ast.Import, ast.ImportFrom], alias: ast.alias) -> str:
    """The local name an imported name binds (`import a.b` binds `a`)."""
    if alias.asname or isinstance(statement, ast.ImportFrom):
        return alias.asname or alias.name
    return alias.name.split(".", 1)[0]


def _last_line(statement: ast.stmt) -> int:
    return statement.end_lineno or statement.lineno


def _blocks(node: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists of a compound statement (function and class bodies included)."""
    blocks = []
    for field_name in ("body", "orelse", "finalbody"):
        block = getattr(node, field_name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            blocks.append(block)
    blocks.extend(handler.body for handler in getattr(node, "handlers", ()))
    blocks.extend(case.body for case in getattr(node, "cases", ()))
    return blocks


def _module_level_bindings(tree: ast.Module) -> set[str]:
    """Local names imports at module level bind (not in def/class bodies)."""
    bound: set[str] = set()
    stack = [tree.body]
    while stack:
        for statement in stack.pop():
            if isinstance(statement, ast.Import):
                bound.update(a.asname or a.name.split(".", 1)[0] for a in statement.names)
            elif isinstance(statement, ast.ImportFrom):
                bound.update(a.asname or a.name for a in statement.names if a.name != "*")
            elif not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stack.extend(_blocks(statement))
    return bound


def first_import_block(tree: ast.Module) -> list[ast.stmt]:
    """The file's first run of top-level imports (rule 4): `import`, `from ... import` and
    `try:` statements of imports only."""
    block: list[ast.stmt] = []
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)) or is_import_try(statement):
            block.append(statement)
        elif block:
            break
    return block


def is_import_try(node: ast.stmt) -> bool:
    """`try:` whose every branch holds imports only (a guarded import pair)."""
    if not isinstance(node, ast.Try):
        return False
    statements = [*node.body, *(s for h in node.handlers for s in h.body), *node.orelse, *node.finalbody]
    return all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in statements)


def _alone(body: list[ast.stmt]) -> set[int]:
    """ids of the statements of `body` that share no line with another one (no `a; b`)."""
    alone = set()
    for index, statement in enumerate(body):
        before = body[index - 1] if index else None
        after = body[index + 1] if index + 1 < len(body) else None
        if before is not None and (before.end_lineno or before.lineno) >= statement.lineno:
            continue
        if after is None or after.lineno > (statement.end_lineno or statement.lineno):
            alone.add(id(statement))
    return alone


def _dotted(dotted: str) -> Union[cst.Name, cst.Attribute]:
    head, *rest = dotted.split(".")
    node: Union[cst.Name, cst.Attribute] = cst.Name(head)
    for part in rest:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _import_line(alias: cst.ImportAlias, module: str, name: Optional[str]) -> cst.SimpleStatementLine:
    if name is None:
        return cst.SimpleStatementLine(body=[cst.Import(names=[alias])])
    return cst.SimpleStatementLine(body=[cst.ImportFrom(module=_dotted(module), names=[alias])])


def _nodes(result: _Result) -> list[cst.CSTNode]:
    if isinstance(result, cst.FlattenSentinel):
        return list(result.nodes)
    if isinstance(result, cst.RemovalSentinel):
        return []
    return [result]


@dataclass(frozen=True, eq=False)
class _Added(ImportTransform):
    """Adds one import at its statement (`where`: after it, before it, merged into it, or
    instead of the names a removal took from its line), after the statement's other transforms."""

    plan: FileImports
    asname: Optional[str]
    module: str
    name: Optional[str]
    where: str
    statement: int = 0  # id of the ast statement, for `instead`

    @property
    def alias(self) -> cst.ImportAlias:
        """Made when the transform runs (fix mode): deciding the fix imports no LibCST."""
        asname = cst.AsName(name=cst.Name(self.asname)) if self.asname else None
        return cst.ImportAlias(name=_dotted(self.name or self.module), asname=asname)

    def __call__(self, result: _Result) -> _Result:  # type: ignore[override]
        nodes = _nodes(result)
        new = _import_line(self.alias, self.module, self.name)
        if self.where == "merge":
            for index, node in enumerate(nodes):
                merged = _merged(node, self.module, self.alias)
                if merged is not None:
                    nodes[index] = merged
                    return cst.FlattenSentinel(nodes) if len(nodes) > 1 else merged
        if self.where == "before":
            return cst.FlattenSentinel([new, *nodes])
        if self.where == "instead":
            if nodes and isinstance(nodes[0], cst.SimpleStatementLine):
                new = new.with_changes(leading_lines=nodes[0].leading_lines)
                nodes[0] = nodes[0].with_changes(leading_lines=[])
            elif not nodes:
                new = new.with_changes(leading_lines=self.plan.leading_lines.pop(self.statement, ()))
            return cst.FlattenSentinel([new, *nodes])
        return cst.FlattenSentinel([*nodes, new])


def _merged(node: cst.CSTNode, module: str, alias: cst.ImportAlias) -> Optional[cst.SimpleStatementLine]:
    """`from module import a` with `alias` added at the end, or None if `node` is not that."""
    if not (isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1):
        return None
    statement = node.body[0]
    if not isinstance(statement, cst.ImportFrom) or statement.relative or statement.module is None:
        return None
    if isinstance(statement.names, cst.ImportStar) or _dotted_text(statement.module) != module:
        return None
    names = list(statement.names)
    last = names[-1]
    if isinstance(last.comma, cst.Comma) and statement.lpar is not None:
        # `(\n    a,\n    b,\n)`: the new name on its own line too, with the trailing comma
        between = names[-2].comma if len(names) > 1 else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        names[-1] = last.with_changes(comma=between)
        names.append(alias.with_changes(comma=last.comma))
    else:
        names[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        names.append(alias.with_changes(comma=last.comma))
    return node.with_changes(body=[statement.with_changes(names=names)])


def _dotted_text(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted_text(node.value)}.{node.attr.value}"
    return ""


@dataclass(frozen=True, eq=False)
class _Removed:
    """Drops names from the imports of a line. An import left without names goes; a line left
    without statements too, its comments kept for an import added in its place, or it becomes
    `pass` where a block would be left empty (`keep_pass`).

    Each statement of the line as the file has it: `bound`, the local names it binds (None: not
    an import) and `names`, those that go. Another Rewrite of the line (a request of another
    fix) may have dropped statements of it already: what is left is matched to them in order."""

    plan: FileImports
    bound: tuple[Optional[frozenset[str]], ...]
    names: tuple[frozenset[str], ...]
    statement: int  # id of the line's first ast statement
    keep_pass: bool = False
    previous: int = 0  # id of the first statement of the line before, if a removal may take it

    def __call__(self, line: Union[cst.SimpleStatementLine, cst.SimpleStatementSuite]):
        line = _carried(self.plan, self.previous, line)  # type: ignore[assignment]
        new: list[cst.BaseSmallStatement] = []
        position = 0
        for node in line.body:
            bound = _cst_bound(node)
            while position < len(self.bound) and not _fits(bound, self.bound[position]):
                position += 1
            doomed = self.names[position] if position < len(self.names) else frozenset()
            position += 1
            if (
                doomed
                and isinstance(node, (cst.Import, cst.ImportFrom))
                and bound
                and not doomed.isdisjoint(bound)
            ):
                kept = remove_elements(list(node.names), partial(_named, doomed))  # type: ignore[arg-type]
                if not kept:
                    continue
                node = node.with_changes(names=kept)
            new.append(node)
        if len(new) == len(line.body) and all(a is b for a, b in zip(new, line.body)):
            return line
        if not new:
            if self.keep_pass:
                return line.with_changes(body=[cst.Pass()])
            self.plan.leading_lines[self.statement] = tuple(line.leading_lines)  # type: ignore[union-attr]
            return cst.RemoveFromParent()
        if new[-1] is not line.body[-1]:  # the new last statement ends the line: no `;`
            new[-1] = new[-1].with_changes(semicolon=line.body[-1].semicolon)
        return line.with_changes(body=new)


@dataclass(frozen=True, eq=False)
class _Carried:
    """The statement after a removed line takes the blank and comment lines above that line,
    when nothing added in its place took them: where they were."""

    plan: FileImports
    previous: int  # id of the first statement of the removed line

    def __call__(self, statement: cst.CSTNode) -> cst.CSTNode:
        return _carried(self.plan, self.previous, statement)


def _carried(plan: FileImports, previous: int, statement: cst.CSTNode) -> cst.CSTNode:
    lines = plan.leading_lines.pop(previous, ()) if previous else ()
    if not lines or not hasattr(statement, "leading_lines"):
        return statement
    return statement.with_changes(leading_lines=[*lines, *statement.leading_lines])


def _fits(bound: Optional[frozenset[str]], original: Optional[frozenset[str]]) -> bool:
    """What is left of a statement (its bound names) can be the statement `original`."""
    if bound is None or original is None:
        return bound is original
    return bound <= original


def _cst_bound(node: cst.BaseSmallStatement) -> Optional[frozenset[str]]:
    if isinstance(node, cst.ImportFrom) and isinstance(node.names, cst.ImportStar):
        return frozenset({"*"})
    if isinstance(node, (cst.Import, cst.ImportFrom)):
        return frozenset(filter(None, map(_cst_local, node.names)))  # type: ignore[arg-type]
    return None


def _named(names: frozenset[str], alias: cst.ImportAlias) -> bool:
    return _cst_local(alias) in names


def _cst_local(alias: cst.ImportAlias) -> Optional[str]:
    """The local name a LibCST import alias binds (`import a.b` binds `a`)."""
    if alias.asname is not None:
        return alias.asname.name.value if isinstance(alias.asname.name, cst.Name) else None
    name = alias.name
    while isinstance(name, cst.Attribute):
        name = name.value
    return name.value if isinstance(name, cst.Name) else None
