"""The command as a user meets it: exit codes, --diff, formats, pyproject settings, cache."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DAG = """\
from airflow.operators.python_operator import PythonOperator

t = PythonOperator(task_id="t", python_callable=len, provide_context=True)
"""
DAG_FIXED = """\
from airflow.operators.python import PythonOperator

t = PythonOperator(task_id="t", python_callable=len)
"""


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "dag.py").write_text(DAG)
    (tmp_path / "clean.py").write_text("x = 1\n")
    return tmp_path


def test_check_reports_and_changes_nothing(repo: Path):
    result = cli("check", "--no-cache", ".", cwd=repo)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        "./dag.py:1:47: AU101 `airflow.operators.python_operator.PythonOperator` moved to "
        "`airflow.operators.python.PythonOperator`: import it from there [*]" in lines
    )
    assert any(line.startswith("./dag.py:3:54: AU110 ") for line in lines)
    assert (repo / "dag.py").read_text() == DAG


def test_fix_rewrites_and_second_fix_is_clean(repo: Path):
    assert cli("fix", "--no-cache", ".", cwd=repo).returncode == 1
    assert (repo / "dag.py").read_text() == DAG_FIXED
    again = cli("fix", "--no-cache", ".", cwd=repo)
    assert again.returncode == 0, again.stdout + again.stderr
    assert cli("check", "--no-cache", ".", cwd=repo).returncode == 0


def test_diff_prints_and_writes_nothing(repo: Path):
    result = cli("fix", "--diff", "--no-cache", "dag.py", cwd=repo)
    assert result.returncode == 1
    assert '-t = PythonOperator(task_id="t", python_callable=len, provide_context=True)' in result.stdout
    assert '+t = PythonOperator(task_id="t", python_callable=len)' in result.stdout
    assert (repo / "dag.py").read_text() == DAG


def test_clean_file_exits_zero(repo: Path):
    result = cli("check", "--no-cache", "clean.py", cwd=repo)
    assert result.returncode == 0 and result.stdout == "Found 0 finding(s), 1 file(s) checked.\n"
    quiet = cli("check", "--no-cache", "-q", "clean.py", cwd=repo)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_machine_formats(repo: Path, fmt: str):
    result = cli("check", "--no-cache", "--output-format", fmt, "dag.py", cwd=repo)
    assert result.returncode == 1
    if fmt == "json":
        data = json.loads(result.stdout)
        assert {d["code"] for d in data["diagnostics"]} == {"AU101", "AU110"}
    elif fmt == "sarif":
        data = json.loads(result.stdout)
        results = data["runs"][0]["results"]
        assert {r["ruleId"] for r in results} == {"AU101", "AU110"}
        assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    else:
        assert result.stdout.startswith("::warning file=dag.py,line=1,col=47,")


def test_pyproject_settings_apply(repo: Path):
    (repo / "pyproject.toml").write_text(
        '[tool.airflow-upgrade]\nignore = ["AU101"]\nexclude = ["skip_*.py"]\n'
    )
    (repo / "skip_me.py").write_text(DAG)
    result = cli("check", "--no-cache", ".", cwd=repo)
    assert "AU101" not in result.stdout and "AU110" in result.stdout
    assert "skip_me.py" not in result.stdout


def test_pyproject_unknown_key_is_an_error(repo: Path):
    (repo / "pyproject.toml").write_text('[tool.airflow-upgrade]\ntarjet = "2"\n')
    result = cli("check", ".", cwd=repo)
    assert result.returncode == 2 and "unknown key(s) in [tool.airflow-upgrade]: tarjet" in result.stderr


def test_cache_gives_the_same_answer(repo: Path):
    cold = cli("check", "--output-format", "json", ".", cwd=repo)
    assert (repo / ".airflow-upgrade-cache").is_dir()
    warm = cli("check", "--output-format", "json", ".", cwd=repo)
    assert json.loads(cold.stdout) == json.loads(warm.stdout)
    # the cache must not hide a change to the file
    (repo / "dag.py").write_text(DAG_FIXED)
    assert cli("check", ".", cwd=repo).returncode == 0


def test_fix_after_warm_check_still_fixes(repo: Path):
    cli("check", ".", cwd=repo)
    assert cli("fix", ".", cwd=repo).returncode == 1
    assert (repo / "dag.py").read_text() == DAG_FIXED


def test_parallel_equals_serial(tmp_path: Path):
    for i in range(40):
        (tmp_path / f"dag_{i}.py").write_text(DAG.replace('"t"', f'"t{i}"'))
    serial = cli("check", "--no-cache", "-j", "1", "--output-format", "json", ".", cwd=tmp_path)
    parallel = cli("check", "--no-cache", "-j", "2", "--output-format", "json", ".", cwd=tmp_path)
    assert json.loads(serial.stdout) == json.loads(parallel.stdout)
    assert len(json.loads(serial.stdout)["diagnostics"]) == 80


def test_rules_command_lists_every_rule():
    from upgrade.registry import all_rules

    result = subprocess.run(
        [sys.executable, "-m", "upgrade", "rules", "--output-format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert [row["code"] for row in json.loads(result.stdout)] == [rule.code for rule in all_rules()]
