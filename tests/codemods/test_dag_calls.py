"""codemods/_dag_calls.py: the keyword a fix appends is laid out like the call's arguments."""

from __future__ import annotations

import pytest

from codemods._dag_calls import append_keyword
from codemods._libcst import cst


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("DAG()", "DAG(x=1)"),
        ("DAG(a)", "DAG(a, x=1)"),
        ("DAG(a=1, b=2)", "DAG(a=1, b=2, x=1)"),
        ("DAG(a=1, b=2,)", "DAG(a=1, b=2, x=1,)"),
        ("DAG(a=1, **kw)", "DAG(a=1, **kw, x=1)"),
        # one per line, with or without a trailing comma
        ("DAG(\n    a=1,\n    b=2\n)", "DAG(\n    a=1,\n    b=2,\n    x=1\n)"),
        ("DAG(\n    a=1,\n    b=2,\n)", "DAG(\n    a=1,\n    b=2,\n    x=1,\n)"),
        ("DAG(\n    a=1\n)", "DAG(\n    a=1,\n    x=1\n)"),
        ("DAG(  # c\n    a=1\n)", "DAG(  # c\n    a=1,\n    x=1\n)"),
        # hanging after the first argument
        ("DAG(a=1,\n    b=2)", "DAG(a=1,\n    b=2,\n    x=1)"),
        # several on one line inside the parentheses
        ("DAG(\n    a=1, b=2\n)", "DAG(\n    a=1, b=2, x=1\n)"),
        # comments stay on their lines; blank lines before `)` stay there
        ("DAG(\n    a=1,  # id\n    b=2,  # bee\n)", "DAG(\n    a=1,  # id\n    b=2,  # bee\n    x=1,\n)"),
        ("DAG(\n    a=1,  # id\n    b=2  # bee\n)", "DAG(\n    a=1,  # id\n    b=2,  # bee\n    x=1\n)"),
        ("DAG(\n    a=1,\n\n    b=2\n\n)", "DAG(\n    a=1,\n\n    b=2,\n    x=1\n\n)"),
    ],
)
def test_append_keyword(source, expected):
    call = cst.parse_expression(source)
    assert isinstance(call, cst.Call)
    assert cst.Module([]).code_for_node(append_keyword(call, "x", "1")) == expected
