"""The source pieces of a string literal as CPython's ast gives it.

`"a" "b"` is one `ast.Constant` ("ab"), `"a" f"{b}"` one `ast.JoinedStr`; LibCST and the
template rules see each piece (token) apart. `pieces` finds them in the file's lines with
Python's tokenizer, each with its position (byte offsets, as the ast gives them) as a
placeholder ast node to report at, and `edits` turns offsets in a piece's text into byte
edits of the file (codemods/_base.py Edit), one line each.
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from typing import Optional

from codemods._base import Edit

_FSTRING_START = getattr(tokenize, "FSTRING_START", -1)
_FSTRING_END = getattr(tokenize, "FSTRING_END", -2)


@dataclass(frozen=True)
class Piece:
    """One string token: its source text and where it is (1-based line, byte offsets)."""

    text: str
    line: int
    col: int
    end_line: int
    end_col: int

    @property
    def prefix(self) -> str:
        index = 0
        while self.text[index] not in "\"'":
            index += 1
        return self.text[:index]

    @property
    def quote(self) -> str:
        rest = self.text[len(self.prefix) :]
        return rest[:3] if rest[:3] in ('"""', "'''") else rest[0]

    @property
    def formatted(self) -> bool:
        return "f" in self.prefix.lower()

    @property
    def body(self) -> str:
        head = len(self.prefix) + len(self.quote)
        return self.text[head : len(self.text) - len(self.quote)]

    @property
    def node(self) -> ast.AST:
        """An ast node at the piece's position (what a Finding is reported at)."""
        return ast.Constant(
            value=None,
            lineno=self.line,
            col_offset=self.col,
            end_lineno=self.end_line,
            end_col_offset=self.end_col,
        )

    def value(self) -> object:
        """What a plain (not formatted) piece evaluates to."""
        return ast.literal_eval(self.text)


def source(lines: list[bytes], node: ast.AST) -> str:
    """The source text of an ast node (from the file's lines)."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1  # type: ignore[attr-defined]
    col, end_col = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
    if first == last:
        return lines[first][col:end_col].decode("utf-8")
    return (lines[first][col:] + b"".join(lines[first + 1 : last]) + lines[last][:end_col]).decode("utf-8")


def pieces(lines: list[bytes], node: ast.AST) -> list[Piece]:
    """The string tokens of a string node (Constant or JoinedStr), in source order."""
    text = source(lines, node)
    wrapped = "(" + text + ")"  # the newlines between pieces are inside brackets
    rows = wrapped.split("\n")
    first = node.lineno  # type: ignore[attr-defined]
    col = node.col_offset  # type: ignore[attr-defined]

    def position(row: int, column: int) -> tuple[int, int]:
        before = rows[row - 1][:column]
        if row == 1:
            return first, col + len(before[1:].encode("utf-8"))
        return first + row - 1, len(before.encode("utf-8"))

    found: list[Piece] = []
    depth = 0
    start: Optional[tuple[int, int]] = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(wrapped).readline):
            if token.type == _FSTRING_START:
                if depth == 0:
                    start = token.start
                depth += 1
            elif token.type == _FSTRING_END:
                depth -= 1
                if depth == 0 and start is not None:
                    found.append(_piece(wrapped, rows, start, token.end, position))
            elif token.type == tokenize.STRING and depth == 0:
                found.append(_piece(wrapped, rows, token.start, token.end, position))
    except (tokenize.TokenError, SyntaxError):
        return found
    return found


def _piece(wrapped, rows, start, end, position) -> Piece:
    if start[0] == end[0]:
        text = rows[start[0] - 1][start[1] : end[1]]
    else:
        text = "\n".join(
            [rows[start[0] - 1][start[1] :], *rows[start[0] : end[0] - 1], rows[end[0] - 1][: end[1]]]
        )
    line, col = position(*start)
    end_line, end_col = position(*end)
    return Piece(text, line, col, end_line, end_col)


def edits(piece: Piece, replacements: list[tuple[int, int, str]]) -> list[Edit]:
    """Byte edits of the file replacing `text[start:end]` of the piece by each new text (the
    replaced ranges hold no newline)."""
    rows = piece.text.split("\n")
    row_starts = []
    offset = 0
    for row in rows:
        row_starts.append(offset)
        offset += len(row) + 1
    out = []
    for start, end, new in replacements:
        index = max(i for i, row_start in enumerate(row_starts) if row_start <= start)
        row = rows[index]
        column = start - row_starts[index]
        base = piece.col if index == 0 else 0
        byte_start = base + len(row[:column].encode("utf-8"))
        byte_end = byte_start + len(row[column : column + end - start].encode("utf-8"))
        out.append(Edit(piece.line + index, byte_start, byte_end, new.encode("utf-8")))
    return out
