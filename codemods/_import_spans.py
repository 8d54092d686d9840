"""Where the parts of an import statement are, found on CPython's ast and the file's bytes.

The import rules report and fix most imports without LibCST: they need the position of each
imported name (to report it) and of the module path (to replace it in place).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import Optional

from codemods._ast_nodes import walk

Span = tuple[tuple[int, int], tuple[int, int]]  # (line, byte offset) start and end, like ast's


def alias_spans(node: ast.Import | ast.ImportFrom, lines: list[bytes]) -> list[Span]:
    """One span per imported name (`name` or `name as local`), in order."""
    if all(hasattr(alias, "lineno") for alias in node.names):  # Python >= 3.10
        return [
            ((alias.lineno, alias.col_offset), (alias.end_lineno, alias.end_col_offset))  # type: ignore[attr-defined]
            for alias in node.names
        ]
    start = (node.lineno, node.col_offset)
    return _tokenized_alias_spans(node, lines) or [(start, start)] * len(node.names)


def place_aliases(tree: ast.Module, lines: list[bytes]) -> None:
    """Python 3.9's `ast.alias` has no position (3.10 added it): give each imported name of the
    tree the position it has on 3.10+, so that rules report at and edit aliases alike on every
    Python the tool runs on."""
    for node in walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not hasattr(node.names[0], "lineno"):
            for alias, (start, end) in zip(node.names, alias_spans(node, lines)):
                alias.lineno, alias.col_offset = start
                alias.end_lineno, alias.end_col_offset = end


def positioned_aliases(node: ast.Import | ast.ImportFrom, lines: list[bytes]) -> list[ast.alias]:
    """The imported names as ast nodes with their positions (to report at): the aliases
    themselves on Python >= 3.10, copies placed at their `alias_spans` before."""
    if all(hasattr(alias, "lineno") for alias in node.names):
        return list(node.names)
    return [
        ast.alias(
            name=alias.name,
            asname=alias.asname,
            lineno=start[0],
            col_offset=start[1],
            end_lineno=end[0],
            end_col_offset=end[1],
        )
        for alias, (start, end) in zip(node.names, alias_spans(node, lines))
    ]


def module_bytes_span(node: ast.ImportFrom, lines: list[bytes]) -> Optional[tuple[int, int]]:
    """Byte offsets of the module path of `from a.b import c` on its first line, when it is
    written plainly (`from` and the dotted path with no spaces inside, on one line)."""
    if node.level or not node.module:
        return None
    line = lines[node.lineno - 1]
    pattern = rb"from[ \t]+(" + re.escape(node.module.encode()) + rb")(?=[ \t\\(]|import)"
    match = re.compile(pattern).match(line, node.col_offset)
    if match is None:
        return None
    return match.start(1), match.end(1)


def _chars(lines: list[bytes], line: int, byte_offset: int) -> int:
    return len(lines[line - 1][:byte_offset].decode("utf-8", "replace"))


def _tokenized_alias_spans(node: ast.Import | ast.ImportFrom, lines: list[bytes]) -> list[Span]:
    # Python 3.9's ast.alias has no position: find the names with the tokenizer.
    first = node.lineno
    text = b"".join(lines[first - 1 : node.end_lineno]).decode("utf-8", "replace")
    start_col = _chars(lines, first, node.col_offset)
    groups: list[list[tokenize.TokenInfo]] = []
    seen_import = False
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.start < (1, start_col):
                continue
            if not seen_import:
                seen_import = token.type == tokenize.NAME and token.string == "import"
                if seen_import:
                    groups.append([])
                continue
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER) or token.string == ";":
                break
            if token.type in (tokenize.NL, tokenize.COMMENT) or token.string in ("(", ")"):
                continue
            if token.string == ",":
                groups.append([])
            else:
                groups[-1].append(token)
    except (tokenize.TokenError, IndentationError):
        return []
    groups = [group for group in groups if group]
    if len(groups) != len(node.names):
        return []
    spans = []
    for group in groups:
        (start_row, start_col), (end_row, end_col) = group[0].start, group[-1].end
        start_line, end_line = start_row + first - 1, end_row + first - 1
        spans.append(
            ((start_line, _bytes(lines, start_line, start_col)), (end_line, _bytes(lines, end_line, end_col)))
        )
    return spans


def _bytes(lines: list[bytes], line: int, char_offset: int) -> int:
    return len(lines[line - 1].decode("utf-8", "replace")[:char_offset].encode())
