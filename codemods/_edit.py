"""Small CST edits that keep the surrounding formatting intact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Callable, Optional, TypeVar

import libcst as cst

from codemods._context import ImportTracker

Element = TypeVar("Element", cst.Arg, cst.DictElement, cst.Param)


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
        is_last = all(doomed(rest) for rest in elements[index + 1 :])
        if is_last:
            kept[-1] = kept[-1].with_changes(comma=element.comma)
        elif isinstance(element.comma, cst.Comma) and isinstance(kept[-1].comma, cst.Comma):
            # What follows the removed element's comma (comments on the lines below it, the
            # indentation of the next element) belongs to the next element: keep it.
            kept[-1] = kept[-1].with_changes(
                comma=kept[-1].comma.with_changes(whitespace_after=element.comma.whitespace_after)
            )
    return kept


def keyword_arg(call: cst.Call, name: str) -> Optional[cst.Arg]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def call_qualified_name(call: cst.Call, imports: ImportTracker) -> Optional[str]:
    return imports.qualified_name(call.func)


def string_key(element: cst.BaseDictElement) -> Optional[str]:
    if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
        return element.key.evaluated_value if isinstance(element.key.evaluated_value, str) else None
    return None


def is_airflow_class(qualified: Optional[str], class_names: frozenset[str]) -> bool:
    """`qualified` names one of these classes from any Airflow/provider module (1.10, 2.x, 3.x paths)."""
    if not qualified or not qualified.startswith("airflow."):
        return False
    return qualified.rsplit(".", 1)[-1] in class_names
