"""Removing a keyword argument from a call, or an entry from a dict literal, as a byte edit,
decided on CPython's ast.

The LibCST removals (codemods/_edit.py `remove_elements`, `remove_dict_elements`) handle every
layout, at the price of parsing and printing the statement in fix mode. For the two layouts most
calls use, what they print is a plain deletion of source bytes:

- the argument alone on its line, the argument before it ending its own line with a comma
  (one argument per line): that line goes, with its comment; the lines around it stay as they
  were (`remove_elements` joins the kept argument's line end to the lines after the removed one);
- the argument between two others on one line (`a, provide_context=True, b`): it goes with the
  comma after it, what followed that comma stays (calls only).

`keyword_removal` returns that edit, or None for any other layout (the argument first, last on
a shared line, spread over lines, parenthesized, followed by a backslash ...): the rule then
hands the framework its LibCST rewrite. tests/codemods/test_keyword_removal.py checks the edit
against `remove_elements` over a table of layouts.
"""

from __future__ import annotations

import ast
import re
from typing import Optional

from codemods._base import Edit

# `name = value`, the value not in parentheses of its own (then its ast end is not the
# argument's end)
_KEYWORD_HEAD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*[ \t]*=[ \t]*")
# what may follow the argument alone on its line: its comma, a comment, the line break
_REST_OF_OWN_LINE = re.compile(rb"[ \t]*(,[ \t]*)?(#[^\r\n]*)?(\r\n|\n|\r)")
# the end of the previous argument's line: its comma, a comment, the line break
_COMMA_ENDING_LINE = re.compile(rb"[ \t]*,[ \t]*(#[^\r\n]*)?(\r\n|\n|\r)")
# a line between the two: blank, or a comment
_BLANK_OR_COMMENT = re.compile(rb"[ \t]*(#[^\r\n]*)?(\r\n|\n|\r)")
_SEPARATOR = re.compile(rb"[ \t]*,[ \t]*")
_COMMA_AFTER = re.compile(rb"[ \t]*,")


def keyword_removal(lines: list[bytes], call: ast.Call, keyword: ast.keyword) -> Optional[Edit]:
    """The edit deleting `keyword` from `call` in the file's `lines` (with their line breaks),
    when it is exactly what the LibCST removal prints; else None."""
    elements = sorted((*call.args, *call.keywords), key=lambda node: (node.lineno, node.col_offset))
    index = next((i for i, node in enumerate(elements) if node is keyword), None)
    if not index or keyword.arg is None or keyword.end_lineno != keyword.lineno:
        return None  # not found, the first argument, `**kwargs`, or over several lines
    value = keyword.value
    if (value.end_lineno, value.end_col_offset) != (keyword.end_lineno, keyword.end_col_offset):
        return None
    line = lines[keyword.lineno - 1]
    start, end = keyword.col_offset, keyword.end_col_offset
    head = _KEYWORD_HEAD.match(line, start)
    if (
        head is None
        or head.end() != value.col_offset
        or not holds(line[start:end], "f({})", _call_of(keyword))
    ):
        return None
    previous = elements[index - 1]
    is_last = index == len(elements) - 1
    if previous.end_lineno == keyword.lineno:
        return _within_line(line, keyword, previous, is_last)
    return _own_line(lines, previous, keyword.lineno, start, end, is_last)


def dict_entry_removal(lines: list[bytes], node: ast.Dict, index: int) -> Optional[Edit]:
    """The edit deleting entry `index` of the dict literal `node`, when it stands alone on its
    line after an entry that ends its own line with a comma: what the LibCST removal
    (`remove_dict_elements`) prints; else None."""
    key, value = node.keys[index], node.values[index]
    if not index or key is None or key.lineno != value.end_lineno or value.end_col_offset is None:
        return None
    previous = node.values[index - 1]  # its end is the entry's, `**mapping` or not
    if previous.end_lineno == key.lineno:
        return None
    entry = lines[key.lineno - 1][key.col_offset : value.end_col_offset]
    if not holds(entry, "{{{}}}", ast.Dict(keys=[key], values=[value])):
        return None
    return _own_line(
        lines, previous, key.lineno, key.col_offset, value.end_col_offset, index == len(node.keys) - 1
    )


def holds(text: bytes, template: str, node: ast.AST) -> bool:
    """The bytes at the node's position, put in `template`, parse to that node: the positions
    are the source's, checked rather than trusted (a byte edit at a wrong position would corrupt
    the file)."""
    try:
        parsed = ast.parse(template.format(text.decode("utf-8")), mode="eval").body
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        return False
    return _same_tree(parsed, node)


def _same_tree(one: object, other: object) -> bool:
    """`ast.dump(one) == ast.dump(other)` without printing either: the same node types with the
    same fields (positions are attributes, not fields), values of the same type (`1` is not
    `True`)."""
    if type(one) is not type(other):
        return False
    if isinstance(one, ast.AST):
        return all(_same_tree(getattr(one, name, None), getattr(other, name, None)) for name in one._fields)
    if isinstance(one, list):
        return len(one) == len(other) and all(map(_same_tree, one, other))  # type: ignore[arg-type]
    return one == other


def _call_of(keyword: ast.keyword) -> ast.Call:
    return ast.Call(func=ast.Name(id="f", ctx=ast.Load()), args=[], keywords=[keyword])


def _own_line(
    lines: list[bytes], previous: ast.AST, lineno: int, start: int, end: int, is_last: bool
) -> Optional[Edit]:
    """Line `lineno` holds only the element (bytes start:end), its comma and a comment, and
    the previous element ends its line with a comma: the line goes."""
    line = lines[lineno - 1]
    previous_line, previous_end = (
        getattr(previous, "end_lineno", None),
        getattr(previous, "end_col_offset", None),
    )
    if line[:start].strip(b" \t") or previous_line is None or previous_end is None:
        return None
    rest = _REST_OF_OWN_LINE.match(line, end)
    if rest is None or rest.end() != len(line) or (rest.group(1) is None and not is_last):
        return None
    if not _COMMA_ENDING_LINE.fullmatch(lines[previous_line - 1], previous_end):
        return None
    if not all(_BLANK_OR_COMMENT.fullmatch(text) for text in lines[previous_line : lineno - 1]):
        return None
    return Edit(lineno, 0, len(line), b"", reparse=True)


def keywords_removal(
    lines: list[bytes], call: ast.Call, keywords: list[ast.keyword]
) -> Optional[tuple[Edit, ...]]:
    """The edits deleting all of `keywords` from `call`, or None. Several go only as whole
    lines: two removals on one line interact (the comma the first leaves is the second's)."""
    edits = tuple(keyword_removal(lines, call, keyword) for keyword in keywords)
    if not edits or None in edits:
        return None
    if len(edits) > 1 and any(edit.start or edit.end != len(lines[edit.line - 1]) for edit in edits):  # type: ignore[union-attr]
        return None
    return edits  # type: ignore[return-value]


def _within_line(line: bytes, keyword: ast.keyword, previous: ast.AST, is_last: bool) -> Optional[Edit]:
    """`a, name=value, b` on one line: the argument and the comma after it go."""
    if is_last:
        return None
    between = _SEPARATOR.fullmatch(line, previous.end_col_offset, keyword.col_offset)  # type: ignore[attr-defined]
    after = _COMMA_AFTER.match(line, keyword.end_col_offset)  # type: ignore[arg-type]
    if between is None or after is None:
        return None
    comma_end = line.index(b",", previous.end_col_offset) + 1  # type: ignore[attr-defined]
    return Edit(keyword.lineno, comma_end, after.end(), b"", reparse=True)
