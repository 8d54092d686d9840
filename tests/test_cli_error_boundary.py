"""Whatever goes wrong inside, a user sees one line and the rest of the run goes on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = b"from airflow.operators.python_operator import PythonOperator\nt = PythonOperator(task_id='t', python_callable=len, provide_context=True)\n"
FIXED = b"from airflow.operators.python import PythonOperator\nt = PythonOperator(task_id='t', python_callable=len)\n"


def cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *args],
        cwd=cwd,
        capture_output=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_a_file_that_crashes_the_parser_is_one_line_and_the_others_are_fixed(tmp_path: Path):
    # CPython parses a call inside 150 nested lists; LibCST's recursive walk of the way down to
    # the call it rewrites does not.
    call = "PythonOperator(task_id='t', python_callable=len, provide_context=True)"
    data = GOOD.replace(call.encode(), ("[" * 150 + call + "]" * 150).encode())
    (tmp_path / "deep.py").write_bytes(data)
    (tmp_path / "good.py").write_bytes(GOOD)
    result = cli("fix", "--no-cache", "-j", "1", ".", cwd=tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert errors[0] == (
        "./deep.py: error: nested too deeply to rewrite: left unchanged (its findings are listed, fix them by hand)"
    )
    assert "./deep.py:2:" in result.stdout.decode()  # its findings are not lost
    assert (tmp_path / "deep.py").read_bytes() == data
    assert (tmp_path / "good.py").read_bytes() == FIXED


@pytest.mark.parametrize("args", [["rules"], ["fix", "--diff", "--no-cache", "."]])
def test_a_closed_pipe_ends_quietly(tmp_path: Path, args: list[str]):
    # `airflow-upgrade rules | head -1`: the reader is gone before we write
    for index in range(40):
        (tmp_path / f"dag{index}.py").write_bytes(GOOD)
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-m", "upgrade", *args], cwd=tmp_path, stdout=write_end, stderr=subprocess.PIPE
    )
    os.close(write_end)
    os.close(read_end)
    stderr = process.stderr.read().decode()
    assert process.wait(120) == 2
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
    assert (tmp_path / "dag0.py").read_bytes() == GOOD  # --diff writes nothing


def test_a_file_name_that_is_not_utf8_is_printed_as_its_bytes(tmp_path: Path):
    name = b"\xff.py"
    (tmp_path / os.fsdecode(name)).write_bytes(GOOD)
    result = cli("check", "--no-cache", ".", cwd=tmp_path, PYTHONIOENCODING="utf-8")
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(b"./" + name + b":1:")
    assert b"Traceback" not in result.stderr


@pytest.mark.parametrize(
    "entry",
    [
        5,
        "x",
        [],
        {},
        {"diagnostics": 5},
        {"diagnostics": [{"line": "x"}], "error": None},
        {"diagnostics": [], "error": 3},
    ],
)
def test_a_cache_entry_of_another_shape_is_recomputed(tmp_path: Path, entry):
    (tmp_path / "good.py").write_bytes(GOOD)
    first = cli("check", "--cache-dir", "c", "good.py", cwd=tmp_path)
    [cache_file] = (tmp_path / "c").glob("results-*.json")
    entries = json.loads(cache_file.read_text())
    cache_file.write_text(json.dumps({digest: entry for digest in entries}))
    again = cli("check", "--cache-dir", "c", "good.py", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout), again.stderr
    assert first.returncode == 1
