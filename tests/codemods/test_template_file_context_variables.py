"""AU203 through the real command line: template files found, reported, fixed only with --include-templates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent

DAG = b"""\
from airflow import DAG
from airflow.operators.postgres_operator import PostgresOperator
from airflow.operators.bash_operator import BashOperator

with DAG("d", schedule_interval="@daily", template_searchpath=["sql"]) as dag:
    load = PostgresOperator(task_id="load", sql="load.sql")
    run = BashOperator(task_id="run", bash_command="scripts/run.sh")
    plain = BashOperator(task_id="plain", bash_command="echo not_a_file.sh ")
"""
SQL = b"""\
-- daily load
INSERT INTO t
SELECT * FROM s
WHERE d >= '{{ execution_date }}'
  AND d < '{{ next_ds }}'  -- {{ prev_ds }}
"""
SQL_FIXED = b"""\
-- daily load
INSERT INTO t
SELECT * FROM s
WHERE d >= '{{ logical_date }}'
  AND d < '{{ data_interval_end | ds }}'  -- {{ prev_ds }}
"""
SH = b"#!/bin/bash\necho {{ next_execution_date.strftime('%d') }}\n"
SH_FIXED = b"#!/bin/bash\necho {{ data_interval_end.strftime('%d') }}\n"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *args, "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "dags" / "sql").mkdir(parents=True)
    (tmp_path / "dags" / "scripts").mkdir()
    (tmp_path / "dags" / "daily.py").write_bytes(DAG)
    (tmp_path / "dags" / "sql" / "load.sql").write_bytes(SQL)
    (tmp_path / "dags" / "scripts" / "run.sh").write_bytes(SH)
    (tmp_path / "dags" / "not_a_file.sh").write_bytes(SH)  # named with a trailing space: not a file
    return tmp_path


def test_check_reports_template_file_lines(repo):
    proc = cli("check", "--target", "2", "--select", "AU203", "dags", cwd=repo)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if "AU203" in line]
    assert sorted(line.split(" AU203")[0] for line in lines) == [
        "dags/scripts/run.sh:2:9:",
        "dags/sql/load.sql:4:16:",
        "dags/sql/load.sql:5:15:",
        "dags/sql/load.sql:5:34:",
    ]
    first = next(line for line in lines if "load.sql:4:16" in line)
    assert "--include-templates" in first and "logical_date" in first


def test_fix_leaves_template_files_without_the_flag(repo):
    proc = cli("fix", "--target", "2", "--select", "AU203", "dags", cwd=repo)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert (repo / "dags" / "sql" / "load.sql").read_bytes() == SQL
    assert (repo / "dags" / "scripts" / "run.sh").read_bytes() == SH


def test_fix_with_include_templates_rewrites_them_byte_exactly(repo):
    # next_ds / next_execution_date -> data_interval_end: exact for scheduled runs only (unsafe)
    unsafe = ("--unsafe-fixes",)
    proc = cli("fix", "--target", "2", "--select", "AU203", "--include-templates", *unsafe, "dags", cwd=repo)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (repo / "dags" / "sql" / "load.sql").read_bytes() == SQL_FIXED
    assert (repo / "dags" / "scripts" / "run.sh").read_bytes() == SH_FIXED
    assert (repo / "dags" / "not_a_file.sh").read_bytes() == SH
    assert (repo / "dags" / "daily.py").read_bytes() == DAG
    again = cli("fix", "--target", "2", "--select", "AU203", "--include-templates", *unsafe, "dags", cwd=repo)
    assert (repo / "dags" / "sql" / "load.sql").read_bytes() == SQL_FIXED, again.stdout
    assert "logical_date" not in again.stdout  # only prev_ds (no automatic fix) is left


def test_diff_shows_template_changes_and_writes_nothing(repo):
    proc = cli("fix", "--diff", "--target", "2", "--select", "AU203", "--include-templates", "dags", cwd=repo)
    assert "+WHERE d >= '{{ logical_date }}'" in proc.stdout, proc.stdout + proc.stderr
    assert (repo / "dags" / "sql" / "load.sql").read_bytes() == SQL


def test_no_template_rewrite_for_target_20(repo):
    proc = cli("check", "--target", "2.0", "--select", "AU2", "dags", cwd=repo)
    assert "AU203" not in proc.stdout


def cli_cached(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *args, "--cache-dir", str(cwd / "cache")],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )


def _template_findings(proc: subprocess.CompletedProcess) -> list[str]:
    return sorted(line.split(" AU203")[0] for line in proc.stdout.splitlines() if " AU203 " in line)


def test_cache_follows_the_template_files_not_only_the_dag(repo):
    args = ("check", "--target", "2", "--select", "AU203", "dags")
    first = _template_findings(cli_cached(*args, cwd=repo))
    assert "dags/sql/load.sql:4:16:" in first
    assert _template_findings(cli_cached(*args, cwd=repo)) == first  # cached, same answer
    (repo / "dags" / "sql" / "load.sql").write_bytes(b"SELECT 1\n")  # DAG file unchanged
    assert _template_findings(cli_cached(*args, cwd=repo)) == ["dags/scripts/run.sh:2:9:"]
    (repo / "dags" / "sql" / "load.sql").write_bytes(SQL)
    assert _template_findings(cli_cached(*args, cwd=repo)) == first


def test_cache_sees_a_template_file_created_later(repo):
    (repo / "dags" / "scripts" / "run.sh").unlink()
    args = ("check", "--target", "2", "--select", "AU203", "dags")
    assert "dags/scripts/run.sh:2:9:" not in _template_findings(cli_cached(*args, cwd=repo))
    (repo / "dags" / "scripts" / "run.sh").write_bytes(SH)
    assert "dags/scripts/run.sh:2:9:" in _template_findings(cli_cached(*args, cwd=repo))


def test_same_dag_in_two_folders_reads_each_folders_templates(repo):
    other = repo / "other"
    (other / "sql").mkdir(parents=True)
    (other / "daily.py").write_bytes(DAG)  # byte-identical DAG file
    (other / "sql" / "load.sql").write_bytes(b"SELECT 1\n")
    for run in (cli, cli_cached, cli_cached):
        proc = run("check", "--target", "2", "--select", "AU203", "dags", "other", cwd=repo)
        found = _template_findings(proc)
        assert "dags/sql/load.sql:4:16:" in found
        assert not [line for line in found if line.startswith("other/")]
