"""Property tests of `fix` over generated 1.10 DAG sources (hypothesis).

A source is built from 1.10 statements (moved imports, operators with provide_context, Jinja
templates, for-loops, `with DAG(...)` blocks, names that shadow an imported class,
version-conditional and try/except imports), then mutated the ways real repos differ: line
endings (LF, CRLF, lone CR), a BOM, a coding cookie, tab indentation, form feeds, a comment
on every line, blank lines. For each source and target:

- the output parses;
- a second fix changes nothing;
- every line outside a statement a fix reported (and outside imports) is byte-identical,
  line ending included;
- the ast of every top-level statement that no fix reported and that is not an import is
  unchanged (up to the class renames the fix reports);
- a statement that rebinds an imported name locally (a parameter, a class attribute) is
  left as it is.

Examples run per property: AU_PROPERTY_EXAMPLES (default 40) per target, 4 targets.
derandomize=True: CI runs the same examples every time (no flaky red); set
AU_PROPERTY_RANDOM=1 to explore new ones locally.
"""

from __future__ import annotations

import ast
import difflib
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemods._context import RunOptions
from codemods._targets import parse_target
from upgrade.engine import process_source
from upgrade.registry import select_rules

EXAMPLES = int(os.environ.get("AU_PROPERTY_EXAMPLES", "40"))
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("AU_PROPERTY_RANDOM") != "1",
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TARGETS = ("2.0", "2.2", "2", "3")

HEADER_IMPORTS = [
    "from airflow import DAG",
    "from airflow.operators.python_operator import PythonOperator",
    "from airflow.operators.bash_operator import BashOperator",
    "from airflow.operators.dummy_operator import DummyOperator",
    "from airflow.utils.dates import days_ago",
    "import airflow",
]

# Statements, as lines indented with 4 spaces per level; {i} makes names unique.
TASKS = [
    ['t{i} = PythonOperator(task_id="t{i}", python_callable=len, provide_context=True)'],
    [
        "t{i} = PythonOperator(",
        '    task_id="t{i}",',
        "    python_callable=len,",
        "    provide_context=True,",
        ")",
    ],
    ['t{i} = BashOperator(task_id="t{i}", bash_command="echo {{{{ execution_date }}}}")'],
    ['t{i} = DummyOperator(task_id="t{i}")'],
    ['t{i} = DummyOperator(task_id="t{i}", task_concurrency=2)'],
    ["x{i} = {{'a': [1, 2], 'b': (3, 4)}}"],
    ["t{i} = None"],
]
# Statements that rebind a name the imports bind: never touched (a fix renames the import's
# uses, not a local name that happens to be spelled the same).
SHADOWING = [
    ["def g{i}(DummyOperator=None):", "    return DummyOperator"],
    ["class C{i}:", "    DummyOperator = None"],
    ["h{i} = lambda BashOperator: BashOperator"],
]
COMPAT_IMPORTS = [
    [
        'if airflow.__version__.startswith("1."):',
        "    from airflow.operators.bash_operator import BashOperator",
        "else:",
        "    from airflow.operators.bash import BashOperator",
    ],
    [
        "try:",
        "    from airflow.operators.python import PythonOperator",
        "except ImportError:",
        "    from airflow.operators.python_operator import PythonOperator",
    ],
]


def _instantiate(template: list[str], index: int, depth: int) -> list[str]:
    return ["    " * depth + line.format(i=index) for line in template]


@st.composite
def dag_sources(draw) -> tuple[bytes, set[int]]:
    """A 1.10 DAG file (LF, 4-space indents) and the 1-based lines of its shadowing statements."""
    lines = list(draw(st.lists(st.sampled_from(HEADER_IMPORTS), min_size=1, max_size=6, unique=True)))
    if "from airflow import DAG" not in lines:
        lines.insert(0, "from airflow import DAG")
    if "import airflow" not in lines:
        lines.insert(0, "import airflow")
    if draw(st.booleans()):
        lines += draw(st.sampled_from(COMPAT_IMPORTS))
    lines.append("")
    shadowing: set[int] = set()
    index = 0
    for _ in range(draw(st.integers(1, 4))):
        block = draw(st.sampled_from(["top", "with", "for"]))
        depth = 0
        if block == "with":
            lines.append('with DAG("d", schedule_interval="@daily", start_date=days_ago(1)) as dag:')
            depth = 1
        elif block == "for":
            lines.append("for n in range(3):")
            depth = 1
        statements = draw(st.lists(st.sampled_from(TASKS + SHADOWING), min_size=1, max_size=4))
        for template in statements:
            index += 1
            new = _instantiate(template, index, depth)
            if template in SHADOWING and depth == 0:
                shadowing.update(range(len(lines) + 1, len(lines) + len(new) + 1))
            lines += new
        lines.append("")
    return "\n".join(lines).encode() + b"\n", shadowing


@st.composite
def mutated_sources(draw) -> tuple[bytes, set[int]]:
    source, shadowing = draw(dag_sources())
    lines = source.decode().split("\n")[:-1]
    if draw(st.booleans()):  # tabs for indentation (the continuation lines of calls too)
        lines = [re.sub("^((?:    )+)", lambda m: "\t" * (len(m.group(1)) // 4), line) for line in lines]
    if draw(st.booleans()):  # a comment on every line
        lines = [line + "  # note" if line.strip() else "# note" for line in lines]
    if draw(st.booleans()):  # form feeds before top-level statements (they reset the column)
        lines = [
            ("\f" + line if line and not line[0].isspace() and draw(st.booleans()) else line)
            for line in lines
        ]
    cookie = draw(st.sampled_from([None, "# -*- coding: utf-8 -*-", "# coding=utf-8"]))
    if cookie:
        lines.insert(0, cookie)
        shadowing = {line + 1 for line in shadowing}
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    data = newline.join(lines).encode() + newline.encode()
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, shadowing


def fix(data: bytes, target: str):
    parsed = parse_target(target)
    return process_source("dag.py", data, select_rules(parsed), RunOptions(parsed, fix=True))


def _statements(tree: ast.Module) -> list[ast.stmt]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.stmt)]


def _fixed_lines(diagnostics) -> set[int]:
    return {d.line for d in diagnostics if d.applied and d.path == "dag.py"}


def _allowed_lines(data: bytes, fixed: set[int]) -> set[int]:
    """Import lines, and the lines of the innermost statement around each applied fix."""
    statements = _statements(ast.parse(data))
    allowed: set[int] = set()
    for node in statements:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            allowed.update(range(node.lineno, node.end_lineno + 1))
    for line in fixed:
        around = [s for s in statements if s.lineno <= line <= s.end_lineno]
        if around:
            inner = min(around, key=lambda s: s.end_lineno - s.lineno)
            allowed.update(range(inner.lineno, inner.end_lineno + 1))
    return allowed


_MOVED = re.compile(r"`[\w.]*\.(\w+)` moved to `[\w.]*\.(\w+)`")


def _renames(diagnostics) -> dict[str, str]:
    pairs = (_MOVED.match(d.message) for d in diagnostics if d.applied and d.code == "AU101")
    return {m.group(1): m.group(2) for m in pairs if m and m.group(1) != m.group(2)}


class _Renamer(ast.NodeTransformer):
    def __init__(self, renames: dict[str, str]) -> None:
        self.renames = renames

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.renames.get(node.id, node.id)
        return node


def check_fix_properties(data: bytes, shadowing: set[int], target: str) -> None:
    result = fix(data, target)
    assert result.error is None, result.error
    if result.new_source is None:
        return
    new = result.new_source
    new_tree = ast.parse(new)  # the output parses
    again = fix(new, target)
    assert again.error is None and again.new_source is None, "a second fix changed the file again"

    # Lines no fix touched are byte-identical, line ending included.
    fixed = _fixed_lines(result.diagnostics)
    allowed = _allowed_lines(data, fixed)
    # names the fix renamed at their uses (an import that keeps the old name, `New as Old`, renames none)
    still_bound = {
        alias.asname or alias.name
        for node in ast.walk(new_tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    renames = {old: new for old, new in _renames(result.diagnostics).items() if old not in still_bound}
    old_lines, new_lines = data.splitlines(keepends=True), new.splitlines(keepends=True)
    renamed_lines = [_renamed_line(line, renames) for line in old_lines]
    matcher = difflib.SequenceMatcher(a=renamed_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("equal", "insert"):
            continue  # inserted lines are imports; the ast check below sees anything else
        untouched = [n for n in range(i1 + 1, i2 + 1) if n not in allowed]
        assert not untouched, f"lines {untouched} changed outside any statement a fix reported"
    # A statement that shadows an imported name keeps every byte (no rename either).
    unchanged: set[int] = set()
    exact = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, _, _ in exact.get_opcodes():
        if tag == "equal":
            unchanged.update(range(i1 + 1, i2 + 1))
    assert shadowing <= unchanged, (
        f"lines {sorted(shadowing - unchanged)} shadow an imported name and changed"
    )

    # The ast outside fixed statements is unchanged (names renamed as reported).
    old_tree = ast.parse(data)
    new_dumps = [ast.dump(node) for node in new_tree.body]
    renamer = _Renamer(renames)
    for node in old_tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)) or _holds_import(node):
            continue
        if any(node.lineno <= line <= node.end_lineno for line in fixed):
            continue
        lines = set(range(node.lineno, node.end_lineno + 1))
        expected = ast.dump(node if lines & shadowing else renamer.visit(node))
        assert expected in new_dumps, f"the statement at line {node.lineno} changed though no fix reported it"


def _holds_import(node: ast.stmt) -> bool:
    return any(isinstance(inner, (ast.Import, ast.ImportFrom)) for inner in ast.walk(node))


def _renamed_line(line: bytes, renames: dict[str, str]) -> bytes:
    for old, new in renames.items():
        line = re.sub(rb"\b" + old.encode() + rb"\b", new.encode(), line)
    return line


@pytest.mark.parametrize("target", TARGETS)
@PROPERTY_SETTINGS
@given(source=mutated_sources())
def test_fix_properties_on_generated_dags(target: str, source: tuple[bytes, set[int]]):
    data, shadowing = source
    check_fix_properties(data, shadowing, target)
