"""Where the LibCST rewrites of applied fixes land: the concrete node of each ast node.

A rule decides on CPython's ast and hands the framework a Rewrite of an ast node (see
codemods/_base.py). In fix mode the engine parses the statements holding such nodes with LibCST
(RewriteApplier below walks them); this module finds, in one parsed chunk, the LibCST node at
each ast node's position. Positions come from the same codegen LibCST's PositionProvider runs;
the ast's are byte offsets of the original line, moved by the byte edits applied before the
chunk was parsed, then counted in characters as LibCST does.

Only fix mode imports this module, and LibCST with it: a check, cached or not, never does.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import Optional

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata.position_provider import NEWLINE_RE

from codemods._base import ImportTransform, Rewrite

# LibCST classes that stand for an ast class of another name.
_CST_NAMES = {
    "keyword": ("Arg",),
    "arg": ("Param",),
    "Constant": ("SimpleString", "ConcatenatedString", "Integer", "Float", "Imaginary", "Name", "Ellipsis"),
    "JoinedStr": ("FormattedString", "ConcatenatedString"),
    "AsyncFunctionDef": ("FunctionDef",),
    "AsyncWith": ("With",),
    "AsyncFor": ("For",),
}


class RewriteNotFound(Exception):
    """A fix's node has no LibCST node at its position: the file is left unchanged."""


def _cst_names(rewrite: Rewrite) -> tuple[str, ...]:
    if rewrite.cst_type is not None:
        return (rewrite.cst_type,)
    kind = type(rewrite.node).__name__
    return _CST_NAMES.get(kind, (kind,))


class RewriteTargets:
    """The applied rewrites of one file, found chunk by chunk."""

    def __init__(self, rewrites: Sequence[Rewrite], lines: list[bytes], byte_edits: list) -> None:
        self.rewrites = list(rewrites)
        self.lines = lines  # after the byte edits
        self._shifts: dict[int, list[tuple[int, int]]] = {}  # 0-based line -> (end, delta)
        for line, start, end, new in byte_edits:
            self._shifts.setdefault(line, []).append((end, len(new) - (end - start)))
        # A byte edit may delete a whole line or its line break (AU103 closing a bridge): the
        # lines after it stand higher in the chunk's text. 0-based line -> the line breaks
        # before it, when some edited line lost its own.
        self._breaks_before: Optional[list[int]] = None
        if any(not lines[line].endswith((b"\n", b"\r")) for line in self._shifts if line < len(lines) - 1):
            self._breaks_before = [0]
            for text in lines:
                self._breaks_before.append(self._breaks_before[-1] + text.endswith((b"\n", b"\r")))

    def _row(self, line: int, start: int) -> int:
        """The 1-based row in a chunk's module (the file's lines from `start`) of the 0-based
        file `line`."""
        if self._breaks_before is None:
            return line - start + 1
        return self._breaks_before[line] - self._breaks_before[start] + 1

    def lines_wanted(self) -> list[int]:
        return sorted({rewrite.node.lineno - 1 for rewrite in self.rewrites})  # type: ignore[attr-defined]

    def kept_whole(self) -> frozenset[int]:
        """ids of the statements a rewrite replaces as a whole: never cut into their bodies."""
        return frozenset(id(r.node) for r in self.rewrites if isinstance(r.node, ast.stmt))

    def _char_column(self, line: int, byte_offset: int) -> int:
        """(0-based line, byte offset in the original line) -> characters in the edited line."""
        moved = byte_offset + sum(delta for end, delta in self._shifts.get(line, ()) if end <= byte_offset)
        return len(self.lines[line][:moved].decode("utf-8", "replace"))

    def in_chunk(
        self, module: cst.Module, start: int, end: int, indent: int, ranges: Optional[dict] = None
    ) -> ChunkRewrites:
        """The rewrites landing in `module` (the lines start:end, dedented by `indent`
        characters): the LibCST nodes they replace and the nodes holding those."""
        pending = [r for r in self.rewrites if start <= r.node.lineno - 1 < end]  # type: ignore[attr-defined]
        if not pending:
            return ChunkRewrites({}, None)
        if ranges is None:
            ranges = _code_ranges(module)
        by_start: dict[tuple[int, int], list] = {}
        for node, code_range in ranges.items():
            by_start.setdefault(code_range[0], []).append((node, code_range))
        found: dict[int, list] = {}
        spans: list[tuple] = []
        dropped = _DroppedFormFeeds(module, self.lines, start, indent, self._row)
        for rewrite in pending:
            node = rewrite.node
            first = (
                self._row(node.lineno - 1, start),  # type: ignore[attr-defined]
                self._char_column(node.lineno - 1, node.col_offset) - indent - dropped(node.lineno - 1),  # type: ignore[attr-defined]
            )
            last_line = node.end_lineno or node.lineno  # type: ignore[attr-defined]
            last = (
                self._row(last_line - 1, start),
                self._char_column(last_line - 1, node.end_col_offset) - indent - dropped(last_line - 1),  # type: ignore[attr-defined]
            )
            target = _match(by_start, ranges, first, last, _cst_names(rewrite))
            if target is None:
                raise RewriteNotFound(
                    f"no LibCST {'/'.join(_cst_names(rewrite))} at {node.lineno}:{node.col_offset}"  # type: ignore[attr-defined]
                )
            found.setdefault(id(target), []).append(rewrite.transform)
            spans.append(ranges[target])
        return ChunkRewrites(found, _holding(ranges, spans))


def _lead(line: bytes) -> bytes:
    return line[: len(line) - len(line.lstrip(b" \t\f"))]


class _DroppedFormFeeds:
    """LibCST drops the leading whitespace of a statement's line up to a form feed in it (a
    page break: CPython's tokenizer counts the indentation from there), so its columns on that
    line are fewer than the file's: by what the chunk's generated code lacks of the lead."""

    def __init__(
        self, module: cst.Module, lines: list[bytes], start: int, indent: int, row: Callable[[int, int], int]
    ) -> None:
        self.module = module
        self.lines = lines
        self.start = start
        self.indent = indent
        self.row = row  # RewriteTargets._row
        self._generated: Optional[list[bytes]] = None

    def __call__(self, line: int) -> int:
        """For a 0-based file line."""
        lead = _lead(self.lines[line])
        if b"\f" not in lead:
            return 0
        if self._generated is None:
            # bytes: str.splitlines would also split at form feeds
            self._generated = self.module.code.encode("utf-8", "surrogatepass").splitlines(keepends=True)
        row = self.row(line, self.start) - 1
        generated = _lead(self._generated[row]) if 0 <= row < len(self._generated) else b""
        return max(0, len(lead.decode("utf-8", "replace")) - self.indent - len(generated))


class ChunkRewrites:
    """`transforms`: id of a LibCST node of the chunk -> the transforms to apply to it, in the
    order the fixes were taken. `holding`: ids of the nodes whose code holds a rewritten node
    (None: all); the walk skips every other subtree that has a position."""

    def __init__(self, transforms: dict[int, list], holding: Optional[tuple[frozenset[int], frozenset[int]]]):
        self.transforms = transforms
        self.holding = holding

    def descend(self, node: cst.CSTNode) -> bool:
        if self.holding is None:
            return True
        holding, positioned = self.holding
        return id(node) in holding or id(node) not in positioned


def _holding(ranges: dict, spans: list[tuple]) -> tuple[frozenset[int], frozenset[int]]:
    if len(spans) == 1:
        ((start, end),) = spans
        holding = {id(node) for node, (first, last) in ranges.items() if first <= start and end <= last}
    else:
        holding = {
            id(node)
            for node, (first, last) in ranges.items()
            if any(first <= start and end <= last for start, end in spans)
        }
    return frozenset(holding), frozenset(map(id, ranges))


def _is_of(node: cst.CSTNode, names: tuple[str, ...]) -> bool:
    """The node is of one of the LibCST classes named, or of a class deriving from one
    (`BaseStatement`: whatever statement stands there)."""
    return any(cls.__name__ in names for cls in type(node).__mro__)


def _match(by_start, ranges, first, last, names) -> Optional[cst.CSTNode]:
    same_start = [(n, r) for n, r in by_start.get(first, ()) if _is_of(n, names)]
    for node, code_range in same_start:
        if code_range[1] == last:
            return node
    longer = [(r[1], n) for n, r in same_start if r[1] >= last]
    if longer:
        return min(longer, key=lambda pair: pair[0])[1]
    # Parenthesised: LibCST's range of an argument holds its value's parentheses.
    containing = [(r, n) for n, r in ranges.items() if _is_of(n, names) and r[0] <= first and r[1] >= last]
    if not containing:
        # The node's end moved: byte edits of another fix joined lines inside it (a name of a
        # parenthesized import removed with its line). The node of that kind starting there.
        return min(same_start, key=lambda pair: pair[1][1])[0] if same_start else None
    return min(containing, key=lambda pair: (pair[0][1], (-pair[0][0][0], -pair[0][0][1])))[1]


class RewriteApplier(cst.CSTTransformer):
    """The LibCST walk of one chunk: each node a rewrite landed on is replaced by what its
    transforms return (inner nodes first, so a transform sees the rewrites inside it)."""

    def __init__(self) -> None:
        super().__init__()
        self.chunk = ChunkRewrites({}, None)  # RewriteTargets.in_chunk

    # No per-attribute hooks: LibCST's default looks them up by name twice for every child
    # attribute of every node (about a tenth of a walk).
    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_visit(self, node: cst.CSTNode) -> bool:
        return self.chunk.descend(node)  # a subtree no rewrite lands in is left as it is

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode):
        result = updated_node
        transforms = self.chunk.transforms.get(id(original_node), ())
        for transform in transforms:
            if isinstance(transform, ImportTransform):
                continue  # after the others, see below
            if not isinstance(result, cst.CSTNode):
                break  # removed or flattened by an earlier transform
            result = transform(result)
        for transform in transforms:
            # imports added around this statement or rewritten in it, whatever the other
            # fixes made of it
            if isinstance(transform, ImportTransform):
                result = transform(result)
        return result


class _RangeState(CodegenState):
    """LibCST's codegen, recording every node's range as its PositionProvider does (the
    syntactic range where the node records one, else the range of all it printed), as
    ((line, column), (line, column)) in the order PositionProvider records them.

    PositionProvidingCodegenState, lighter: tuples instead of CodePosition/CodeRange objects, a
    token's newlines found without a regex split when it has none, and no generator-based
    context manager per syntactic position (about half of that codegen's time).
    """

    def __init__(self, default_indent: str, default_newline: str) -> None:
        super().__init__(default_indent=default_indent, default_newline=default_newline)
        self.line = 1  # one-indexed
        self.column = 0  # zero-indexed
        self.computed: dict = {}
        self._stack: list = []  # starts of the nodes being printed
        self._syntactic: list = []  # (node, start, start_node, end_node) of open positions

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for token in self.indent_tokens:
            self.add_position(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self.add_position(value)

    def add_position(self, value: str) -> None:
        if "\n" not in value and "\r" not in value:
            self.column += len(value)
            return
        segments = NEWLINE_RE.split(value)
        self.line += len(segments) - 1
        self.column = len(segments[-1])

    def before_codegen(self, node: cst.CSTNode) -> None:
        self._stack.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self._stack.pop()
        if node not in self.computed:  # a syntactic range was recorded
            self.computed[node] = (start, (self.line, self.column))

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):  # type: ignore[override]
        self._syntactic.append((node, (self.line, self.column), start_node, end_node))
        return self

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc_info) -> None:
        node, start, start_node, end_node = self._syntactic.pop()
        if start_node is not None:
            start = self.computed[start_node][0]
        end = self.computed[end_node][1] if end_node is not None else (self.line, self.column)
        self.computed[node] = (start, end)


def _code_ranges(module: cst.Module) -> dict:
    """Every node's syntactic range, as LibCST's PositionProvider gives it, in the code
    generated for the module with its indent and newline: node -> ((line, column), (line,
    column)).

    The same codegen PositionProvider runs, called directly: resolving it through a
    MetadataWrapper also visits the whole tree first.
    """
    state = _RangeState(module.default_indent, module.default_newline)
    module._codegen(state)
    return state.computed
