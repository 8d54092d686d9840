"""Small CST edits that keep the surrounding formatting intact."""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Callable, Optional, TypeVar, Union

if TYPE_CHECKING:
    import libcst as cst

    Element = TypeVar("Element", cst.Arg, cst.DictElement, cst.Param)
else:
    from codemods._libcst import cst


def remove_elements(elements: Sequence[Element], doomed: Callable[[Element], bool]) -> list[Element]:
    """Drop elements from an argument/dict list, moving commas so the layout stays as it was.

    When the last element goes, the new last one takes its comma (or lack of one), so that
    `f(a, b=1)` -> `f(a)` and a one-per-line call keeps its closing bracket where it was.
    """
    kept: list[Element] = []
    for index, element in enumerate(elements):
        if not doomed(element):
            kept.append(element)
            continue
        if not kept:
            continue
        previous = kept[-1]
        is_last = all(doomed(rest) for rest in elements[index + 1 :])
        own_line = isinstance(previous.comma, cst.Comma) and isinstance(
            previous.comma.whitespace_after, cst.ParenthesizedWhitespace
        )
        if is_last:
            if isinstance(element.comma, cst.Comma):
                after = element.comma.whitespace_after
            else:  # what stands between the element and the closing bracket
                after = getattr(
                    element, "whitespace_after_arg", getattr(element, "whitespace_after_param", None)
                )
            if own_line and isinstance(after, cst.ParenthesizedWhitespace):
                # One element per line: the previous one keeps its comma and its comment; the
                # closing bracket keeps its line and indentation.
                kept[-1] = previous.with_changes(
                    comma=previous.comma.with_changes(
                        whitespace_after=_joined(previous.comma.whitespace_after, after)
                    )
                )
            else:
                kept[-1] = previous.with_changes(comma=element.comma)
        elif isinstance(element.comma, cst.Comma) and isinstance(previous.comma, cst.Comma):
            # What follows the removed element's comma (comments on the lines below it, the
            # indentation of the next element) belongs to the next element: keep it. The
            # comment at the end of the previous element's line stays its own.
            after = element.comma.whitespace_after
            if own_line and isinstance(after, cst.ParenthesizedWhitespace):
                after = _joined(previous.comma.whitespace_after, after)
            kept[-1] = previous.with_changes(comma=previous.comma.with_changes(whitespace_after=after))
    return kept


def remove_dict_elements(node: cst.Dict, doomed: Callable[[cst.BaseDictElement], bool]) -> cst.Dict:
    """remove_elements for a dict literal. There the end of the last element's line (its
    comment, the line break before `}`) belongs to the closing brace: when the last elements
    go, the kept one keeps its own comment and `}` its line."""
    elements = list(node.elements)
    end = len(elements)
    while end and doomed(elements[end - 1]):
        end -= 1
    brace = node.rbrace.whitespace_before
    opening = node.lbrace.whitespace_after
    if end == 0 and elements and not getattr(opening, "empty_lines", None):
        return node.with_changes(  # every element goes (no comment lines of its own): `{}`
            elements=[],
            lbrace=node.lbrace.with_changes(whitespace_after=cst.SimpleWhitespace("")),
            rbrace=node.rbrace.with_changes(whitespace_before=cst.SimpleWhitespace("")),
        )
    if 0 < end < len(elements) and isinstance(brace, cst.ParenthesizedWhitespace):
        kept = remove_elements(elements[:end], doomed)
        last = kept[-1]
        if isinstance(last.comma, cst.Comma) and isinstance(
            last.comma.whitespace_after, cst.ParenthesizedWhitespace
        ):
            kept[-1] = last.with_changes(
                comma=last.comma.with_changes(whitespace_after=_joined(last.comma.whitespace_after, brace))
            )
            return node.with_changes(
                elements=kept, rbrace=node.rbrace.with_changes(whitespace_before=cst.SimpleWhitespace(""))
            )
    return node.with_changes(elements=remove_elements(elements, doomed))


def _joined(
    own: cst.ParenthesizedWhitespace, following: cst.ParenthesizedWhitespace
) -> cst.ParenthesizedWhitespace:
    """The end of a kept element's line (its own comment), then the lines and indentation that
    followed the removed element (comment lines above the next one, its indentation)."""
    return own.with_changes(
        empty_lines=[*own.empty_lines, *following.empty_lines],
        indent=following.indent,
        last_line=following.last_line,
    )


def keyword_arg(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def string_key(element: cst.BaseDictElement) -> Optional[str]:
    if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
        return element.key.evaluated_value if isinstance(element.key.evaluated_value, str) else None
    return None


def is_airflow_class(qualified: Optional[str], class_names: frozenset[str]) -> bool:
    """`qualified` names one of these classes from any Airflow/provider module (1.10, 2.x, 3.x paths)."""
    if not qualified or not qualified.startswith("airflow."):
        return False
    return qualified.rsplit(".", 1)[-1] in class_names


def ast_source(node: ast.AST, lines: Sequence[bytes]) -> bytes:
    """The original source bytes of an ast node (ctx.lines: the file's lines, with their ends)."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1  # type: ignore[attr-defined]
    start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
    if first == last:
        return lines[first][start:end]
    return lines[first][start:] + b"".join(lines[first + 1 : last]) + lines[last][:end]


_STRING_START = re.compile(rb"([rRuUbB]{0,2})('\'\'|\"\"\"|'|\")")
_ESCAPE = re.compile(rb"\\.", re.S)


def string_literal(node: ast.AST, lines: Sequence[bytes]) -> Optional[tuple[bytes, bytes]]:
    """(prefix, quote) when `node` is one string literal in the source (what LibCST calls a
    SimpleString: not an implicit concatenation, not an f-string), else None."""
    if not isinstance(node, ast.Constant) or not isinstance(node.value, (str, bytes)):
        return None
    text = ast_source(node, lines)
    match = _STRING_START.match(text)
    if match is None:
        return None
    prefix, quote = match.group(1), match.group(2)
    inner = text[match.end() :]
    if not inner.endswith(quote) or len(inner) < len(quote):
        return None
    if quote in _ESCAPE.sub(b"", inner[: -len(quote)]):
        return None  # `"a" "b"`: several literals
    return prefix, quote


def simple_string_value(node: ast.AST, lines: Sequence[bytes]) -> Union[str, bytes, None]:
    """The value of a single string literal (LibCST's SimpleString.evaluated_value), else None."""
    if string_literal(node, lines) is None:
        return None
    return node.value  # type: ignore[attr-defined]
