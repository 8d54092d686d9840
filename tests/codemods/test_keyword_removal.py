"""codemods/_keyword_removal.py: the byte edit prints what LibCST's removal prints, or is None."""

from __future__ import annotations

import ast

import libcst as cst
import pytest

from codemods._edit import remove_dict_elements, remove_elements, string_key
from codemods._keyword_removal import _same_tree, dict_entry_removal, holds, keyword_removal, keywords_removal


def _by_libcst(source: str, name: str) -> str:
    class Remove(cst.CSTTransformer):
        def leave_Call(self, original, updated):
            return updated.with_changes(
                args=remove_elements(
                    updated.args, lambda a: a.keyword is not None and a.keyword.value == name
                )
            )

    return cst.parse_module(source).visit(Remove()).code


def _by_edit(source: str, name: str):
    tree = ast.parse(source)
    call = next(node for node in ast.walk(tree) if isinstance(node, ast.Call))
    keyword = next(k for k in call.keywords if k.arg == name)
    lines = source.encode().splitlines(keepends=True)
    edit = keyword_removal(lines, call, keyword)
    if edit is None:
        return None
    line = lines[edit.line - 1]
    lines[edit.line - 1] = line[: edit.start] + edit.new + line[edit.end :]
    return b"".join(lines).decode()


# (source, whether the layout is one the edit handles)
CASES = [
    # one argument per line
    ('Op(\n    task_id="a",\n    provide_context=True,\n    dag=dag,\n)\n', True),
    ('Op(\n    task_id="a",\n    provide_context=True,\n    dag=dag)\n', True),
    ('Op(\n    task_id="a",\n    provide_context=True\n)\n', True),
    ('Op(\n    task_id="a",\n    provide_context=True,\n)\n', True),
    ('Op(task_id="a",\n   provide_context=True,\n   dag=dag)\n', True),
    (
        'Op(\n    task_id="a",  # the id\n    provide_context=True,  # for the context\n    dag=dag,\n)\n',
        True,
    ),
    (
        'Op(\n    task_id="a",\n    # needed on 1.10\n    provide_context=True,\n    # the DAG\n    dag=dag,\n)\n',
        True,
    ),
    ('Op(\n    task_id="a",\n\n    provide_context=True,\n\n    dag=dag,\n)\n', True),
    ('Op(\n    task_id="a",\n    provide_context = True ,\n    dag=dag,\n)\n', True),
    ('Op(\n    task_id=("a"),\n    provide_context=True,\n    dag=dag,\n)\n', True),
    ('Op(\n    ("a"),\n    provide_context=True,\n    dag=dag,\n)\n', False),
    ("Op(\n    *args,\n    provide_context=True,\n    **kwargs\n)\n", True),
    ('Op(\n\ttask_id="a",\n\tprovide_context=flag,\n\tdag=dag,\n)\n', True),
    ('Op(\r\n    task_id="a",\r\n    provide_context=True,\r\n    dag=dag,\r\n)\r\n', True),
    ('x = [Op(\n        task_id="a",\n        provide_context=True,\n    )]\n', True),
    # between two others on one line
    ('Op(task_id="a", provide_context=True, dag=dag)\n', True),
    ('Op(task_id="a",provide_context=True,dag=dag)\n', True),
    ('Op(task_id="a" , provide_context=True , dag=dag)\n', True),
    ('Op(\n    task_id="a", provide_context=True, dag=dag,\n)\n', True),
    ('Op(task_id="a", provide_context=True,\n   dag=dag)\n', True),
    ('Op(task_id="a", provide_context=True,  # context\n   dag=dag)\n', True),
    # other layouts: the LibCST rewrite
    ('Op(provide_context=True, task_id="a")\n', False),
    ('Op(\n    provide_context=True,\n    task_id="a",\n)\n', False),
    ('Op(task_id="a", provide_context=True)\n', False),
    ('Op(task_id="a", provide_context=True,)\n', False),
    ('Op(\n    task_id="a", provide_context=True\n)\n', False),
    ('Op(\n    task_id="a",\n    provide_context=True)\n', False),
    ('Op(\n    task_id="a",\n    provide_context=(True),\n    dag=dag,\n)\n', False),
    ('Op(\n    task_id="a"\n    , provide_context=True\n    , dag=dag\n)\n', False),
    ('Op(\n    task_id="a",\n    provide_context=\n        True,\n    dag=dag,\n)\n', False),
    ('Op(\n    task_id="a",\n    provide_context=True, dag=dag,\n)\n', False),
    ('Op(\n    task_id="a",\n    dag=dag, provide_context=True,\n)\n', False),
    ('Op(task_id="a", \\\n   provide_context=True,\n   dag=dag)\n', False),
    ('Op(\n    task_id="a",\n    provide_context=True, \\\n    dag=dag,\n)\n', False),
]


@pytest.mark.parametrize(("source", "handled"), CASES)
def test_keyword_removal(source, handled):
    by_edit = _by_edit(source, "provide_context")
    assert (by_edit is not None) == handled
    if handled:
        assert by_edit == _by_libcst(source, "provide_context")
        ast.parse(by_edit)


TWO_KEYWORDS = [
    ('DAG(\n    "d",\n    default_view="graph",\n    orientation="LR",\n    catchup=False,\n)\n', True),
    ('DAG(\n    "d",\n    default_view="graph",\n    catchup=False,\n    orientation="LR"\n)\n', True),
    ('DAG("d", default_view="graph", orientation="LR", catchup=False)\n', False),
    ('DAG(\n    "d",\n    default_view="graph",\n    catchup=False, orientation="LR", tags=[],\n)\n', False),
]


@pytest.mark.parametrize(("source", "handled"), TWO_KEYWORDS)
def test_keywords_removal(source, handled):
    tree = ast.parse(source)
    call = next(node for node in ast.walk(tree) if isinstance(node, ast.Call))
    doomed = [k for k in call.keywords if k.arg in ("default_view", "orientation")]
    lines = source.encode().splitlines(keepends=True)
    edits = keywords_removal(lines, call, doomed)
    assert (edits is not None) == handled
    if edits is None:
        return
    for edit in edits:
        lines[edit.line - 1] = b""

    class Remove(cst.CSTTransformer):
        def leave_Call(self, original, updated):
            names = ("default_view", "orientation")
            return updated.with_changes(
                args=remove_elements(
                    updated.args, lambda a: a.keyword is not None and a.keyword.value in names
                )
            )

    assert b"".join(lines).decode() == cst.parse_module(source).visit(Remove()).code


DICT_LAYOUTS = [
    ('args = {\n    "owner": "data",\n    "provide_context": True,\n    "retries": 1,\n}\n', True),
    ('args = {\n    "owner": "data",\n    "provide_context": True,\n}\n', True),
    ('args = {\n    "owner": "data",\n    "provide_context": True\n}\n', True),
    (
        'args = {\n    "owner": "data",  # who\n    "provide_context": True,  # 1.10\n    "retries": 1}\n',
        True,
    ),
    (
        'args = {\n    "owner": "data",\n    # 1.10 needs it\n    "provide_context": True,\n    "retries": 1,\n}\n',
        True,
    ),
    ('args = {\n    **base,\n    "provide_context": True,\n}\n', True),
    ('args = {\n    "provide_context": True,\n    "owner": "data",\n}\n', False),
    ('args = {"owner": "data", "provide_context": True, "retries": 1}\n', False),
    ('args = {\n    "owner": "data",\n    "provide_context": True}\n', False),
    ('args = {\n    "owner": "data",\n    "provide_context": (True),\n}\n', False),
    ('args = {\n    "owner": "data",\n    "provide_context":\n        True,\n}\n', False),
]


@pytest.mark.parametrize(("source", "handled"), DICT_LAYOUTS)
def test_dict_entry_removal(source, handled):
    tree = ast.parse(source)
    node = next(node for node in ast.walk(tree) if isinstance(node, ast.Dict))
    index = next(
        i
        for i, key in enumerate(node.keys)
        if isinstance(key, ast.Constant) and key.value == "provide_context"
    )
    lines = source.encode().splitlines(keepends=True)
    edit = dict_entry_removal(lines, node, index)
    assert (edit is not None) == handled
    if edit is None:
        return
    lines[edit.line - 1] = b""

    class Remove(cst.CSTTransformer):
        def leave_Dict(self, original, updated):
            return remove_dict_elements(updated, lambda e: string_key(e) == "provide_context")

    assert b"".join(lines).decode() == cst.parse_module(source).visit(Remove()).code


def test_positions_are_checked_against_the_bytes():
    # an edit is made only where the bytes at the node's position parse to that node
    call = ast.parse('op(task_id="a", provide_context=True)').body[0].value
    keyword = call.keywords[1]
    expected = ast.Call(func=ast.Name(id="f", ctx=ast.Load()), args=[], keywords=[keyword])
    assert holds(b"provide_context=True", "f({})", expected)
    assert not holds(b"provide_context=False", "f({})", expected)
    assert not holds(b"rovide_context=True,", "f({})", expected)
    assert not holds(b"\xff", "f({})", expected)


# pairs of expressions: `holds` compares trees as ast.dump would, without printing them
TREE_PAIRS = [
    ("a", "a"),
    ("a", "(a)"),
    ("a", "b"),
    ("1", "True"),
    ("1", "1.0"),
    ("0", "False"),
    ("'x'", "b'x'"),
    ("'x'", "u'x'"),
    ("f(a, b=1)", "f( a ,  b = 1 )"),
    ("f(a, b=1)", "f(a, c=1)"),
    ("f(b=1, c=2)", "f(c=2, b=1)"),
    ("f(*a)", "f(a)"),
    ("f(**a)", "f(a=a)"),
    ("days_ago(1, hour=2)", "days_ago(1, hour=2.0)"),
    ("{'k': [1, (2,)]}", "{'k': [1, (2, )]}"),
    ("{'k': [1, (2,)]}", "{'k': [1, [2]]}"),
    ("x.y.z", "x . y . z"),
    ("x.y", "x.z"),
    ("lambda a=None: a", "lambda a=None : a"),
    ("f'{a!r}'", "f'{a}'"),
    ("...", "Ellipsis"),
    ("-1", "- 1"),
]


@pytest.mark.parametrize("one, other", TREE_PAIRS)
def test_trees_are_compared_as_ast_dump_compares_them(one, other):
    first, second = (ast.parse(text, mode="eval").body for text in (one, other))
    assert _same_tree(first, second) == (ast.dump(first) == ast.dump(second))
