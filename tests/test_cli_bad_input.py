"""Bad input: one clear line naming the file and the reason, exit 2, nothing else lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = b"from airflow.operators.python_operator import PythonOperator\nt = PythonOperator(task_id='t', python_callable=len, provide_context=True)\n"
FIXED = b"from airflow.operators.python import PythonOperator\nt = PythonOperator(task_id='t', python_callable=len)\n"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "good.py").write_bytes(GOOD)
    return tmp_path


BAD_FILES = {
    # (a file that mentions no rule's token is never parsed, so this one imports airflow)
    "syntax.py": (b"from airflow import DAG\ndef broken(:\n    pass\n", "syntax error at 2:"),
    "latin1.py": ("x = 'caf\u00e9'\n".encode("latin-1"), "not valid UTF-8"),
    "binary.py": (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary file"),
    # beyond CPython's parser: `1 + 1 + ...` of 100,000 terms
    "deep.py": (b"from airflow import DAG\nx = " + b"+".join([b"1"] * 100_000) + b"\n", "nested too deeply"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_reported_and_others_fixed(repo: Path, name: str):
    data, reason = BAD_FILES[name]
    (repo / name).write_bytes(data)
    result = cli("fix", "--no-cache", ".", cwd=repo)
    assert result.returncode == 2, result.stderr
    error_lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(error_lines) == 1, result.stderr
    assert error_lines[0].startswith(f"./{name}: error: ") and reason in error_lines[0]
    assert (repo / name).read_bytes() == data  # untouched
    assert (repo / "good.py").read_bytes() == FIXED  # the rest still processed


def test_a_file_too_deep_to_rewrite_keeps_its_findings(repo: Path):
    # Python parses 900 terms; LibCST's visitors recurse once per term and more
    long = b"+".join([b'"{{ ds }}"'] * 900)
    data = GOOD.replace(b"python_callable=len", b"python_callable=len, op_args=[" + long + b"]")
    (repo / "long.py").write_bytes(data)
    result = cli("fix", "--no-cache", ".", cwd=repo)
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert errors == [
        "./long.py: error: nested too deeply to rewrite: left unchanged (its findings are listed, fix them by hand)"
    ], result.stderr
    assert (repo / "long.py").read_bytes() == data
    assert "./long.py:1:" in result.stdout and "./long.py:2:" in result.stdout  # not lost
    assert (repo / "good.py").read_bytes() == FIXED


def test_empty_file_is_fine(repo: Path):
    (repo / "empty.py").write_bytes(b"")
    result = cli("check", "--no-cache", "empty.py", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "empty.py").read_bytes() == b""


def test_symlink_loop(repo: Path):
    os.symlink("loop.py", repo / "loop.py")
    result = cli("fix", "--no-cache", ".", cwd=repo)
    assert result.returncode == 2
    assert "./loop.py: error: symlink loop" in result.stderr
    assert (repo / "good.py").read_bytes() == FIXED


def test_read_only_file_not_replaced(repo: Path):
    target = repo / "ro.py"
    target.write_bytes(GOOD)
    target.chmod(0o444)  # refused by its mode bits, also when the tool runs as root
    result = cli("fix", "--no-cache", ".", cwd=repo)
    assert result.returncode == 2
    assert "./ro.py: error: read-only file (mode 0444), not rewritten" in result.stderr
    assert target.read_bytes() == GOOD
    assert (repo / "good.py").read_bytes() == FIXED


def test_missing_path(repo: Path):
    result = cli("check", "--no-cache", "nope.py", "good.py", cwd=repo)
    assert result.returncode == 2
    assert "nope.py: error: no such file or directory" in result.stderr
    assert "good.py:2:" in result.stdout


def test_unknown_target(repo: Path):
    result = cli("check", "--target", "4", "good.py", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "airflow-upgrade: error: unknown --target '4': choose a minor from 2.0 … 2.11 or 3.0 … 3.3, "
        "or 2 / 3 for the newest"
    ]


def test_unknown_rule_code(repo: Path):
    result = cli("check", "--select", "AU999", "good.py", cwd=repo)
    assert result.returncode == 2
    assert "unknown rule code 'AU999'" in result.stderr


def test_no_temp_files_left_behind(repo: Path):
    cli("fix", "--no-cache", ".", cwd=repo)
    assert not [p for p in repo.iterdir() if p.name.startswith(".airflow-upgrade-")]
