"""`airflow-upgrade verify` and `snapshot` as a user runs them: output order, formats, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.verify.snapshots import dag, file_record, snapshot, task


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def write(path, document):
    path.write_text(json.dumps(document))
    return path


@pytest.fixture
def before(tmp_path):
    return write(
        tmp_path / "before.json",
        snapshot(file_record("a.py", [dag("a")]), file_record("b.py", [dag("b")])),
    )


def test_same_snapshots_exit_0(tmp_path, before):
    result = run_cli("verify", before, before)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("2 of 2 files load; 2 of 2 DAGs structurally identical")


def test_differences_exit_1_new_import_errors_first(tmp_path, before):
    changed = dag("a", tasks={"extract": task(), "load": task("airflow.operators.python.PythonOperator")})
    after = write(
        tmp_path / "after.json",
        snapshot(
            file_record("a.py", [changed]),
            file_record("b.py", status="import_error", errors=["ImportError: cannot import name 'X'"]),
            version="2.11.2",
        ),
    )
    result = run_cli("verify", before, after)
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert out.index("New import errors") < out.index("DAG a (a.py): different")
    assert "  b.py: import_error: ImportError: cannot import name 'X'" in out
    assert "task load: operator: 'airflow.operators.bash_operator.BashOperator' -> " in out
    assert out.rstrip().endswith("1 of 2 files load; 0 of 2 DAGs structurally identical")


def test_json_output(tmp_path, before):
    after = write(tmp_path / "after.json", snapshot(file_record("a.py", [dag("a")]), file_record("b.py", [])))
    result = run_cli("verify", before, after, "--output-format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["summary"]["dags_before"] == 2
    assert report["summary"]["dags_structurally_identical"] == 1
    assert [(d["dag_id"], d["status"]) for d in report["dags"]] == [("a", "identical"), ("b", "missing")]


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read"),
        ("{not json", "invalid JSON"),
        ('{"files": []}', "not a snapshot written by `airflow-upgrade snapshot`"),
    ],
)
def test_unreadable_snapshot_exit_2(tmp_path, before, content, message):
    other = tmp_path / "other.json"
    if content is not None:
        other.write_text(content)
    result = run_cli("verify", before, other)
    assert result.returncode == 2
    assert result.stderr.startswith(f"airflow-upgrade verify: {other}: ")
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args, message",
    [
        (["one.json"], "give BEFORE.json AFTER.json"),
        (
            ["--before-env", "/nonexistent/python", "dags"],
            "--before-env and --after-env take exactly one DAGS_DIR",
        ),
        (["--before-env", "/x", "--after-env", "/y", "no_such_dir"], "no_such_dir: not a directory"),
        (
            ["--before-env", "/x", "--after-env", "/y", "dags", "--fix", "--target", "9"],
            "unknown --target '9'",
        ),
        (
            ["--before-env", "/nonexistent/python", "--after-env", "/y", "dags"],
            "no such interpreter, virtualenv or tox env",
        ),
    ],
)
def test_usage_errors_exit_2(tmp_path, args, message):
    (tmp_path / "dags").mkdir()
    result = run_cli("verify", *args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr


def test_snapshot_with_an_interpreter_without_airflow_exit_2(tmp_path):
    (tmp_path / "dags").mkdir()
    (tmp_path / "dags" / "a.py").write_text("x = 1\n")
    result = run_cli("snapshot", tmp_path / "dags", "--python", sys.executable, "-o", tmp_path / "s.json")
    assert result.returncode == 2
    assert "could not import airflow" in result.stderr
    assert "No module named 'airflow'" in result.stderr
    assert not (tmp_path / "s.json").exists()


def test_snapshot_with_a_broken_variables_file_exit_2(tmp_path):
    (tmp_path / "dags").mkdir()
    (tmp_path / "vars.json").write_text('{"variables": {"a": 1}, "pools": {}}')
    result = run_cli(
        "snapshot",
        tmp_path / "dags",
        "--python",
        sys.executable,
        "-o",
        tmp_path / "s.json",
        "--variables",
        tmp_path / "vars.json",
    )
    assert result.returncode == 2
    assert "expected only 'variables' and 'connections' mappings, got ['pools']" in result.stderr
