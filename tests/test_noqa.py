"""`# noqa: CODE` per line and per-file ignores: the finding and its fix both stay out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemods._context import RunOptions
from codemods._targets import parse_target
from upgrade.engine import process_source
from upgrade.noqa import ALL, noqa_lines
from upgrade.registry import select_rules

IMPORTS = b"""\
from airflow.operators.bash_operator import BashOperator  # noqa: AU101
from airflow.operators.python_operator import PythonOperator
"""


def run(data: bytes, *, fix: bool, blanket: bool = False):
    target = parse_target("2")
    options = RunOptions(target, fix=fix, blanket_noqa=blanket)
    return process_source("dag.py", data, select_rules(target), options)


def test_noqa_lines_reads_comments_only():
    data = b'x = "# noqa: AU101"\ny = 1  # noqa: E501, AU401 AU101\nz = 2  # noqa: E501\nw = 3  # noqa\n'
    assert noqa_lines(data) == {2: frozenset({"AU401", "AU101"})}
    assert noqa_lines(data, blanket=True) == {2: frozenset({"AU401", "AU101"}), 4: frozenset({ALL})}
    assert noqa_lines(b"x = 1  # NOQA:au101\n") == {1: frozenset({"AU101"})}


def test_noqa_code_drops_the_finding_on_its_line():
    found = run(IMPORTS, fix=False).diagnostics
    assert [(d.line, d.code) for d in found] == [(2, "AU101")]


def test_noqa_keeps_the_fix_away_from_the_line():
    result = run(IMPORTS, fix=True)
    # AU101's fixes in one file are linked (import and uses): none is applied, the line stays.
    assert result.new_source is None
    assert [(d.line, d.code, d.applied) for d in result.diagnostics] == [(2, "AU101", False)]


def test_noqa_of_another_code_changes_nothing():
    data = IMPORTS.replace(b"AU101", b"AU401")
    result = run(data, fix=True)
    assert result.new_source == (
        b"from airflow.operators.bash import BashOperator  # noqa: AU401\n"
        b"from airflow.operators.python import PythonOperator\n"
    )


def test_bare_noqa_only_with_blanket_setting():
    data = b"from airflow.operators.bash_operator import BashOperator  # noqa\n"
    assert run(data, fix=True).new_source == b"from airflow.operators.bash import BashOperator  # noqa\n"
    blanket = run(data, fix=True, blanket=True)
    assert blanket.new_source is None and blanket.diagnostics == []


def test_unfixable_finding_silenced_by_noqa_exits_clean(tmp_path: Path):
    dag = tmp_path / "dag.py"
    line = 'dag = DAG("d", catchUp=False)'
    dag.write_text(f"from airflow import DAG\n{line}  # noqa: AU401\n")
    base = [sys.executable, "-m", "upgrade", "check", "--no-cache", "dag.py"]
    result = subprocess.run(base, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    dag.write_text(f"from airflow import DAG\n{line}\n")
    result = subprocess.run(base, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "AU401" in result.stdout, result.stdout + result.stderr


def test_per_file_ignores_setting_and_flag(tmp_path: Path):
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.py").write_bytes(IMPORTS)
    (tmp_path / "new.py").write_bytes(IMPORTS)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.airflow-upgrade]\nper-file-ignores = {"legacy/*" = ["AU1"]}\n'
    )
    base = [sys.executable, "-m", "upgrade", "check", "--no-cache"]
    result = subprocess.run([*base, "."], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "old.py" not in result.stdout and "new.py:2:" in result.stdout, result.stdout + result.stderr
    # relative to the project root, also when run from inside a subdirectory
    result = subprocess.run(
        [*base, "old.py"], cwd=tmp_path / "legacy", capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    flag = subprocess.run(
        [*base, "--per-file-ignores", "new.py:AU101", "new.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert flag.returncode == 0, flag.stdout + flag.stderr
    bad = subprocess.run(
        [*base, "--per-file-ignores", "new.py:AU999", "new.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "AU999" in bad.stderr
