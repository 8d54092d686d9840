"""`fix` over real DAG code: idempotent, always parses, and leaves untouched lines byte-identical.

Input: every file of the 1.10.15 example DAGs (the wheel in the af110 env) plus the reference
team's 1.10 DAG, for each target. The engine runs in-process (no snapshots, no Airflow import).
"""

from __future__ import annotations

import ast
import difflib
import re
from pathlib import Path

import pytest

from codemods._context import RunOptions
from codemods._targets import parse_target
from tests.airflow_envs import REPO, tox_workdir
from upgrade.engine import process_source
from upgrade.registry import select_rules


def corpus_files() -> list[Path]:
    package = tox_workdir() / "af110" / "lib" / "python3.8" / "site-packages" / "airflow"
    roots = [package / "example_dags", package / "contrib" / "example_dags"]
    if not all(root.is_dir() for root in roots):
        pytest.fail(
            f"Airflow 1.10.15 example DAGs not found under {package}; build the env: bash scripts/test -e af110"
        )
    files = [p for root in roots for p in sorted(root.rglob("*.py"))]
    files += sorted((REPO / "tests" / "fixtures" / "dags_1_10").rglob("*.py"))
    return files


def fix(path: Path, data: bytes, target: str, unsafe: bool):
    rules = select_rules(parse_target(target))
    options = RunOptions(parse_target(target), fix=True, unsafe_fixes=unsafe)
    return process_source(str(path), data, rules, options)


def touched_statement_lines(data: bytes, fix_lines: set[int]) -> set[int]:
    """Import lines, and lines of the innermost statements holding a line where a fix was applied."""
    statements = [n for n in ast.walk(ast.parse(data)) if isinstance(n, ast.stmt)]
    allowed: set[int] = set()
    # import statements change when a rule moves, renames or replaces the names they bind
    for node in statements:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            allowed.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    for line in fix_lines:
        around = [s for s in statements if s.lineno <= line <= (s.end_lineno or s.lineno)]
        if around:
            inner = min(around, key=lambda s: (s.end_lineno or s.lineno) - s.lineno)
            allowed.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return allowed


_MOVED = re.compile(r"`[\w.]*\.(\w+)` moved to `[\w.]*\.(\w+)`")


def renamed_names(diagnostics) -> dict[str, str]:
    pairs = (_MOVED.match(d.message) for d in diagnostics if d.applied and d.code == "AU101")
    return {m.group(1): m.group(2) for m in pairs if m and m.group(1) != m.group(2)}


def renamed(line: str, renames: dict[str, str]) -> str:
    for old, new in renames.items():
        line = re.sub(rf"\b{old}\b", new, line)
    return line


def _is_import(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(("import ", "from ")) or stripped in ("", ")") or stripped.endswith(",")


@pytest.mark.parametrize("target,unsafe", [("2.0", False), ("2", False), ("3", False), ("3", True)])
def test_fix_is_idempotent_parses_and_touches_only_what_it_reports(target: str, unsafe: bool):
    changed = 0
    files = corpus_files()
    for path in files:
        data = path.read_bytes()
        result = fix(path, data, target, unsafe)
        assert result.error is None, f"{path}: {result.error}"
        if result.new_source is None:
            continue
        changed += 1
        new = result.new_source
        ast.parse(new)  # every output parses
        again = fix(path, new, target, unsafe)
        assert again.error is None and again.new_source is None, f"{path}: second fix changed the file again"

        # Every line the fix replaced or deleted lies in a statement where a fix was applied
        # (the innermost one around the fix's position); pure insertions may only add imports
        # (e.g. `from kubernetes.client import models as k8s`).
        allowed = touched_statement_lines(data, {d.line for d in result.diagnostics if d.applied})
        old_lines = data.decode().splitlines()
        new_lines = new.decode().splitlines()
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if tag == "insert":
                assert all(_is_import(line) for line in new_lines[j1:j2]), (path, new_lines[j1:j2])
                continue
            if tag == "replace" and i2 - i1 == j2 - j1:
                # a renamed class at its uses (AU101 reports the import, not every use)
                renames = renamed_names(result.diagnostics)
                same = [
                    renamed(old_lines[i], renames) == new_lines[j]
                    for i, j in zip(range(i1, i2), range(j1, j2))
                ]
                if all(same):
                    continue
            if all(_is_import(line) for line in old_lines[i1:i2] + new_lines[j1:j2]):
                continue  # imports rewritten for names the rules moved, renamed or replaced
            untouched = [n for n in range(i1 + 1, i2 + 1) if n not in allowed]
            assert not untouched, f"{path}: lines {untouched} changed outside any statement a fix reported"
    # the corpus is 1.10 code: most files must need something on every target
    assert changed >= len(files) // 2, f"only {changed} of {len(files)} files changed for target {target}"
