"""Per-file state shared by the rules during the one walk over a file's tree."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from codemods._base import SAFE, UNSAFE, Diagnostic


@dataclass
class RunOptions:
    target: tuple[int, int]
    fix: bool = False  # rewrite code (fix / --diff) or only report (check)
    unsafe_fixes: bool = False
    include_templates: bool = False


class ImportTracker:
    """Local name -> qualified name, from the file's import statements, in walk order.

    Cheaper than LibCST's QualifiedNameProvider (which needs a full scope analysis pass) and
    enough for DAG files: imports sit at the top, before the names are used.
    """

    def __init__(self) -> None:
        self.bindings: dict[str, str] = {}

    @classmethod
    def from_ast(cls, tree: ast.Module) -> ImportTracker:
        """Every import of the file, in source order, before any statement is walked.

        The engine parses only the statements a rule may change (see upgrade/engine.py), so the
        bindings come from CPython's ast of the whole file, not from the LibCST walk.
        """
        tracker = cls()
        nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset)):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        tracker.bindings[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".", 1)[0]
                        tracker.bindings[head] = head
            elif not node.level and node.module:
                for alias in node.names:
                    if alias.name != "*":
                        tracker.bindings[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        return tracker

    def record(self, node: cst.Import | cst.ImportFrom) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                dotted = dotted_name(alias.name)
                if dotted is None:
                    continue
                if alias.asname is not None:
                    self.bindings[_asname(alias)] = dotted
                else:
                    # `import a.b.c` binds `a`; `a.b.c.X` then resolves to itself.
                    head = dotted.split(".", 1)[0]
                    self.bindings[head] = head
            return
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = dotted_name(node.module)
        for alias in node.names:
            name = dotted_name(alias.name)
            local = _asname(alias) if alias.asname is not None else name
            self.bindings[local] = f"{module}.{name}"

    def qualified_name(self, expr: cst.BaseExpression) -> Optional[str]:
        """`bq.BigQueryOperator` -> `airflow.contrib.operators.bigquery_operator.BigQueryOperator`."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        bound = self.bindings.get(head)
        if bound is None:
            return None
        return f"{bound}.{rest}" if rest else bound


def dotted_name(expr: cst.CSTNode) -> Optional[str]:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = dotted_name(expr.value)
        return None if base is None else f"{base}.{expr.attr.value}"
    return None


def _asname(alias: cst.ImportAlias) -> str:
    assert alias.asname is not None
    return alias.asname.name.value  # type: ignore[union-attr]


def build_dotted(dotted: str) -> cst.Name | cst.Attribute:
    """`a.b.c` -> the CST expression for it."""
    parts = dotted.split(".")
    expr: cst.Name | cst.Attribute = cst.Name(parts[0])
    for part in parts[1:]:
        expr = cst.Attribute(value=expr, attr=cst.Name(part))
    return expr


@dataclass
class FileContext:
    path: str
    module: Optional[cst.Module]  # the module being walked: the whole file or one statement chunk
    options: RunOptions
    imports: ImportTracker = field(default_factory=ImportTracker)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Depth of enclosing `try:` blocks whose handlers catch ImportError: code there is
    # already written to run on several Airflow versions and is left alone.
    import_guard_depth: int = 0
    # Codes the user selected; a rule never reports nor fixes under a code not in it.
    selected_codes: frozenset = frozenset()
    line_offset: int = 0  # lines of the file before the walked chunk
    col_offset: int = 0  # indentation removed from the chunk's lines (a statement inside a block)
    chunk_depth: int = 0  # how many blocks enclose the walked chunk (0 = module level)
    # Edits made so far: every applied fix counts (report(applied=True) or note_change());
    # the engine regenerates code only for chunks where this moved.
    changes: int = 0
    _positions: Optional[object] = None

    def begin_chunk(self, module: cst.Module, line_offset: int, col_offset: int = 0, depth: int = 0) -> None:
        self.module = module
        self.line_offset = line_offset
        self.col_offset = col_offset
        self.chunk_depth = depth
        self._positions = None

    @property
    def target(self) -> tuple[int, int]:
        return self.options.target

    @property
    def in_import_guard(self) -> bool:
        return self.import_guard_depth > 0

    def may_fix(self, safety: Optional[str], code: str) -> bool:
        if not self.options.fix or safety is None or code not in self.selected_codes:
            return False
        return safety == SAFE or (safety == UNSAFE and self.options.unsafe_fixes)

    def report(
        self, node: cst.CSTNode, code: str, message: str, *, fix: Optional[str], applied: bool
    ) -> None:
        if code not in self.selected_codes:
            return
        if applied:
            self.changes += 1
        start, end = self.position(node)
        self.diagnostics.append(
            Diagnostic(
                path=self.path,
                line=start[0],
                col=start[1],
                code=code,
                message=message,
                fix=fix,
                applied=applied,
                end_line=end[0],
                end_col=end[1],
            )
        )

    def note_change(self) -> None:
        """An edit that follows from a reported one (e.g. a renamed class at each of its uses)."""
        self.changes += 1

    def position(self, node: cst.CSTNode) -> tuple[tuple[int, int], tuple[int, int]]:
        """(line, col) 1-based start and end of an ORIGINAL node; computed once per file, lazily."""
        if self._positions is None:
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self._positions = wrapper.resolve(PositionProvider)
        code_range = self._positions.get(node)  # type: ignore[attr-defined]
        if code_range is None:
            return (self.line_offset + 1, 1), (self.line_offset + 1, 1)
        return (
            (self.line_offset + code_range.start.line, self.col_offset + code_range.start.column + 1),
            (self.line_offset + code_range.end.line, self.col_offset + code_range.end.column + 1),
        )
