"""The one rule API's fixes, through the engine: byte-exact.

Small rules defined here (codes AU9xx, never registered) return findings from `check`; the
framework (upgrade/engine.py, codemods/_context.py FileContext.take, codemods/_rewrites.py)
decides what is applied and where each Rewrite lands in the LibCST statement.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

import libcst as cst
import pytest

from codemods._base import Edit, Finding, Fix, Rewrite, Rule
from codemods._context import RunOptions
from codemods._edit import remove_elements
from upgrade.engine import process_source


def run(source: str, *rules: type[Rule], fix: bool = True, unsafe: bool = False):
    data = source.encode()
    result = process_source("dag.py", data, list(rules), RunOptions((2, 0), fix=fix, unsafe_fixes=unsafe))
    assert result.error is None, result.error
    return result


def fixed(source: str, *rules: type[Rule], unsafe: bool = False) -> str:
    result = run(source, *rules, unsafe=unsafe)
    assert result.new_source is not None, f"nothing changed: {result.diagnostics}"
    return result.new_source.decode()


def name_edit(node: ast.Name, new: str) -> Edit:
    return Edit(node.lineno, node.col_offset, node.end_col_offset, new.encode())  # type: ignore[arg-type]


class RenameOld(Rule):
    """`old` -> `new` (an Edit)."""

    code = "AU901"
    node_types = (ast.Name,)

    def check(self, node: ast.Name) -> Iterator[Finding]:
        if node.id == "old":
            yield Finding(node, "rename", Fix.safe(name_edit(node, "new")))


def drop_keyword(name: str):
    def transform(call: cst.Call) -> cst.Call:
        return call.with_changes(
            args=remove_elements(call.args, lambda a: a.keyword is not None and a.keyword.value == name)
        )

    return transform


class DropLegacyKeyword(Rule):
    """`op(..., legacy=...)` -> `op(...)` (a Rewrite of the Call)."""

    code = "AU902"
    node_types = (ast.Call,)

    def check(self, node: ast.Call) -> Iterator[Finding]:
        for keyword in node.keywords:
            if keyword.arg == "legacy":
                yield Finding(keyword, "drop it", Fix.safe(Rewrite(node, drop_keyword("legacy"))))


class RenameKeyword(Rule):
    """`colour=` -> `color=` (a Rewrite of the keyword: LibCST's Arg)."""

    code = "AU903"
    node_types = (ast.keyword,)

    def check(self, node: ast.keyword) -> Iterator[Finding]:
        if node.arg == "colour":
            yield Finding(node, "rename", Fix.safe(Rewrite(node, _color)), length=len("colour"))


def _color(arg: cst.Arg) -> cst.Arg:
    return arg.with_changes(keyword=cst.Name("color"))


class AddImportAfter(Rule):
    """After `import os`: `import sys` (a Rewrite of the SimpleStatementLine, flattened)."""

    code = "AU904"
    node_types = (ast.Import,)

    def check(self, node: ast.Import) -> Iterator[Finding]:
        if [alias.name for alias in node.names] == ["os"]:
            yield Finding(node, "add sys", Fix.safe(Rewrite(node, _and_sys, "SimpleStatementLine")))


def _and_sys(line: cst.SimpleStatementLine) -> cst.FlattenSentinel:
    return cst.FlattenSentinel([line, cst.parse_statement("import sys\n")])


class DecorateTasks(Rule):
    """`def task_*(...)` gets `@tracked` (a Rewrite of the FunctionDef)."""

    code = "AU905"
    node_types = (ast.FunctionDef,)

    def check(self, node: ast.FunctionDef) -> Iterator[Finding]:
        if node.name.startswith("task_") and not node.decorator_list:
            yield Finding(node, "decorate", Fix.safe(Rewrite(node, _tracked)))


def _tracked(function: cst.FunctionDef) -> cst.FunctionDef:
    return function.with_changes(decorators=[cst.Decorator(cst.Name("tracked")), *function.decorators])


class CommonHeader(Rule):
    """Two findings, one Fix (a header line comment), made once."""

    code = "AU906"
    node_types = (ast.Module, ast.Name)

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Module):
            self.fix_object = Fix.safe(Edit(1, 0, 0, b"import compat; "))
        elif isinstance(node, ast.Name) and node.id == "legacy_call":
            yield Finding(node, "needs compat", self.fix_object)


class UnsafeRename(Rule):
    code = "AU907"
    node_types = (ast.Name,)

    def check(self, node: ast.Name) -> Iterator[Finding]:
        if node.id == "risky":
            yield Finding(node, "maybe", Fix.unsafe(name_edit(node, "checked")))


class GuardedToo(RenameOld):
    code = "AU908"
    in_import_guards = True


def test_edit():
    assert fixed("x = old + 1\ny = old\n", RenameOld) == "x = new + 1\ny = new\n"


def test_edit_keeps_other_bytes():
    source = "x = f( old ,  old)  # old comment\n"
    assert fixed(source, RenameOld) == "x = f( new ,  new)  # old comment\n"


def test_rewrite_of_call():
    source = "t = op(\n    task_id='a',\n    legacy=True,\n)\nu = op(1, legacy=2)\n"
    assert fixed(source, DropLegacyKeyword) == "t = op(\n    task_id='a',\n)\nu = op(1)\n"


def test_rewrite_of_keyword():
    assert fixed("p = paint(colour='red', size=1)\n", RenameKeyword) == "p = paint(color='red', size=1)\n"


def test_rewrite_of_keyword_nested_in_a_block():
    source = "with DAG('x') as dag:\n    if True:\n        p = paint(colour=1)\n"
    expected = "with DAG('x') as dag:\n    if True:\n        p = paint(color=1)\n"
    assert fixed(source, RenameKeyword) == expected


def test_rewrite_of_simple_statement_line():
    source = "import os\n\nx = 1\n"
    assert fixed(source, AddImportAfter) == "import os\nimport sys\n\nx = 1\n"


def test_rewrite_of_function_def():
    source = "def task_load(x):\n    return x\n\n\ndef helper():\n    pass\n"
    expected = "@tracked\ndef task_load(x):\n    return x\n\n\ndef helper():\n    pass\n"
    assert fixed(source, DecorateTasks) == expected


def test_rewrite_of_function_def_in_a_class():
    source = "class A:\n    def task_a(self):\n        pass\n"
    expected = "class A:\n    @tracked\n    def task_a(self):\n        pass\n"
    assert fixed(source, DecorateTasks) == expected


def test_rewrite_after_an_edit_on_the_same_line():
    # the Call's LibCST node is found after the Edit moved it, and already holds the edit
    source = "t = op(old, legacy=old, other=1)\n"
    assert fixed(source, RenameOld, DropLegacyKeyword) == "t = op(new, other=1)\n"
    source = "old; t = op(1, legacy=2, colour=3)\n"
    assert fixed(source, RenameOld, DropLegacyKeyword, RenameKeyword) == "new; t = op(1, color=3)\n"


def test_rewrite_of_a_function_holding_rewritten_nodes():
    source = "def task_a():\n    return op(colour=1, legacy=old)\n"
    expected = "@tracked\ndef task_a():\n    return op(color=1)\n"
    assert fixed(source, RenameOld, DropLegacyKeyword, RenameKeyword, DecorateTasks) == expected


def test_one_fix_of_two_findings_made_once():
    result = run("legacy_call()\nlegacy_call()\n", CommonHeader)
    assert result.new_source == b"import compat; legacy_call()\nlegacy_call()\n"
    assert [(d.line, d.applied) for d in result.diagnostics] == [(1, True), (2, True)]


def test_unsafe_fix_needs_unsafe_fixes():
    result = run("a = risky\n", UnsafeRename)
    assert result.new_source is None
    ((diagnostic),) = result.diagnostics
    assert (diagnostic.fix, diagnostic.applied) == ("unsafe", False)
    assert fixed("a = risky\n", UnsafeRename, unsafe=True) == "a = checked\n"


def test_check_mode_applies_nothing():
    result = run("x = old\n", RenameOld, fix=False)
    assert result.new_source is None
    assert [(d.fix, d.applied) for d in result.diagnostics] == [("safe", False)]


GUARDED = (
    "try:\n    from airflow.operators.bash import BashOperator\nexcept ImportError:\n    x = old\n"
    "if AIRFLOW_V_2_PLUS:\n    y = old\nelse:\n    y = 1\nz = old\n"
)


def test_guarded_code_skipped():
    result = run(GUARDED, RenameOld)
    assert [d.line for d in result.diagnostics] == [9]
    assert result.new_source == GUARDED.replace("z = old", "z = new").encode()


def test_guarded_code_checked_when_the_rule_asks():
    result = run(GUARDED, GuardedToo)
    assert [d.line for d in result.diagnostics] == [4, 6, 9]


@pytest.fixture
def no_libcst(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("LibCST parsed in check mode")

    monkeypatch.setattr(cst, "parse_module", refuse)
    monkeypatch.setattr(cst, "parse_statement", refuse)
    monkeypatch.setattr(cst, "parse_expression", refuse)


def test_check_mode_never_parses_libcst(no_libcst):
    source = (
        "import os\nold\nt = op(legacy=1, colour=2)\nlegacy_call()\na = risky\n"
        "def task_a():\n    return op(colour=old)\n"
    )
    rules = (
        RenameOld,
        DropLegacyKeyword,
        RenameKeyword,
        AddImportAfter,
        DecorateTasks,
        CommonHeader,
        UnsafeRename,
    )
    result = run(source, *rules, fix=False)
    assert sorted(d.code for d in result.diagnostics) == sorted(
        ["AU901", "AU901", "AU902", "AU903", "AU903", "AU904", "AU905", "AU906", "AU907"]
    )
    assert not any(d.applied for d in result.diagnostics)


def test_fix_mode_does_parse_libcst(no_libcst):
    # the fixture's guard is real: a Rewrite in fix mode goes through LibCST
    with pytest.raises(AssertionError, match="LibCST parsed"):
        run("t = op(legacy=1)\n", DropLegacyKeyword)


def test_a_rewrite_that_repeats_a_keyword_is_refused():
    # `f(color=1, color=2)` parses but does not compile: the file is left as it was
    data = b"f(colour=1, color=2)\n"
    result = process_source("dag.py", data, [RenameKeyword], RunOptions((2, 0), fix=True))
    assert result.new_source is None
    assert result.error == (
        "internal error: the rewrite would not parse (keyword argument repeated: color); file left unchanged"
    )
    # a file that repeated one already is no worse for the rewrite
    assert fixed("f(colour=1)\ng(x=1, x=2)\n", RenameKeyword) == "f(color=1)\ng(x=1, x=2)\n"


class DeleteKeywordLine(Rule):
    """Deletes the line of every `doomed=` keyword (an Edit that removes code, Edit.reparse):
    right when the keyword stands alone on its line, wrong when its call closes there too."""

    code = "AU908"
    node_types = (ast.keyword,)

    def check(self, node: ast.keyword) -> Iterator[Finding]:
        if node.arg == "doomed":
            line = self.ctx.lines[node.lineno - 1]
            yield Finding(node, "delete", Fix.safe(Edit(node.lineno, 0, len(line), b"", reparse=True)))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # the statement holding the edit parses again: written
        ("x = 1\nt = op(\n    a=1,\n    doomed=2,\n)\ny = 2\n", "x = 1\nt = op(\n    a=1,\n)\ny = 2\n"),
        # in a function, its top-level statement parses again
        (
            "def f():\n    return op(\n        a=1,\n        doomed=2,\n    )\n",
            "def f():\n    return op(\n        a=1,\n    )\n",
        ),
        # the call's closing bracket went with the line: refused, the file left as it was
        ("t = op(\n    a=1,\n    doomed=2)\ny = 2\n", None),
        ("def f():\n    return op(\n        doomed=2)\n", None),
    ],
)
def test_a_byte_edit_that_removes_code_is_parsed_again(source, expected):
    result = process_source("dag.py", source.encode(), [DeleteKeywordLine], RunOptions((2, 0), fix=True))
    if expected is None:
        assert result.new_source is None
        assert result.error is not None and result.error.startswith(
            "internal error: the rewrite would not parse"
        )
    else:
        assert result.error is None
        assert result.new_source.decode() == expected
