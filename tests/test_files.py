"""The one write path (upgrade/files.py): a rewrite changes a file's bytes and nothing else,
and never overwrites an edit made since the file was read."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from codemods._context import RunOptions
from codemods._targets import parse_target
from upgrade.files import ChangedSinceRead, NotRegularFile, WriteError, atomic_write, read_bytes
from upgrade.registry import select_rules
from upgrade.runner import FIX, RunConfig, _process_content

GOOD = b"from airflow.operators.python_operator import PythonOperator\nt = PythonOperator(task_id='t', python_callable=len, provide_context=True)\n"
FIXED = b"from airflow.operators.python import PythonOperator\nt = PythonOperator(task_id='t', python_callable=len)\n"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_a_file_edited_after_it_was_read_is_not_overwritten(tmp_path: Path):
    path = tmp_path / "dag.py"
    path.write_bytes(GOOD)
    config = RunConfig(
        paths=[str(path)],
        rules=select_rules(parse_target("2")),
        options=RunOptions(parse_target("2"), fix=True),
        mode=FIX,
    )
    read = read_bytes(str(path))
    path.write_bytes(GOOD + b"# EDIT\n")  # the user saves while the run is going
    [outcome], _ = _process_content([str(path)], read, config, ())
    assert outcome.error == "changed since it was read (edited during the run?), not rewritten"
    assert not outcome.changed and not any(d.applied for d in outcome.diagnostics)
    assert path.read_bytes() == GOOD + b"# EDIT\n"


def test_expected_content_is_checked_and_an_already_written_result_is_fine(tmp_path: Path):
    path = tmp_path / "t.sql"
    path.write_bytes(b"new")
    atomic_write(str(path), b"new", expected=b"old")  # a second DAG file rewrote the same template
    assert path.read_bytes() == b"new"
    with pytest.raises(ChangedSinceRead):
        atomic_write(str(path), b"newer", expected=b"old")
    assert path.read_bytes() == b"new"


def test_hardlinks_stay_one_file(tmp_path: Path):
    (tmp_path / "dags").mkdir()
    dag, link = tmp_path / "dags" / "dag.py", tmp_path / "shared_dag.py"
    dag.write_bytes(GOOD)
    os.link(dag, link)
    inode = dag.stat().st_ino
    result = cli("fix", "--no-cache", "dags", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert dag.stat().st_ino == inode and dag.stat().st_nlink == 2
    assert link.read_bytes() == FIXED
    assert not [p.name for p in (tmp_path / "dags").iterdir() if p.name != "dag.py"]


def test_owner_group_and_mode_are_kept(tmp_path: Path):
    if os.geteuid() != 0:
        pytest.fail("this test gives the file to another user: it needs root (CI runs as root)")
    path = tmp_path / "dag.py"
    path.write_bytes(GOOD)
    os.chown(path, 4321, 4322)
    path.chmod(0o640)
    result = cli("fix", "--no-cache", "dag.py", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    info = path.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 4322, 0o640)
    assert path.read_bytes() == FIXED


def test_a_file_we_may_write_but_not_chown_is_written_in_place(tmp_path: Path, monkeypatch):
    # As a non-root user in a group-writable repo: the rename would hand the file to us.
    path = tmp_path / "dag.py"
    path.write_bytes(GOOD)
    os.chown(path, 4321, 4322)
    inode = path.stat().st_ino

    def refuse(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refuse)
    atomic_write(str(path), FIXED, expected=GOOD)
    info = path.stat()
    assert (info.st_ino, info.st_uid, info.st_gid) == (inode, 4321, 4322)
    assert path.read_bytes() == FIXED
    assert os.listdir(tmp_path) == ["dag.py"]  # the copy of the old content is gone


def test_a_fifo_is_never_opened(tmp_path: Path):
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    (tmp_path / "good.py").write_bytes(GOOD)
    with pytest.raises(NotRegularFile):
        read_bytes(str(fifo))
    with pytest.raises(WriteError):
        atomic_write(str(fifo), b"x")
    # named explicitly or found in a directory: reported, never waited on
    for args in (["pipe.py", "good.py"], ["."]):
        try:
            result = subprocess.run(
                [sys.executable, "-m", "upgrade", "check", "--no-cache", *args],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=60,
            )
        except subprocess.TimeoutExpired:
            pytest.fail("check blocked on a FIFO")
        assert result.returncode == 2, result.stderr
        assert "pipe.py: error: not a regular file (a FIFO)" in result.stderr
        assert "good.py:1:" in result.stdout


def test_read_only_template_is_reported_under_its_own_name(tmp_path: Path):
    (tmp_path / "dags").mkdir()
    sql = tmp_path / "dags" / "load.sql"
    sql.write_bytes(b"SELECT '{{ execution_date }}'\n")
    sql.chmod(0o444)
    (tmp_path / "dags" / "dag.py").write_bytes(
        b"from airflow.operators.postgres_operator import PostgresOperator\n"
        b"t = PostgresOperator(task_id='t', sql='load.sql')\n"
    )
    result = cli(
        "fix", "--no-cache", "--include-templates", "--target", "2", "--select", "AU203", "dags", cwd=tmp_path
    )
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert errors == ["dags/load.sql: error: read-only file (mode 0444), not rewritten"], result.stderr
    assert result.returncode == 2
    assert sql.read_bytes() == b"SELECT '{{ execution_date }}'\n"
    # not counted as fixed, and still shown (the path given is relative, as the finding's is)
    assert "dags/load.sql:1:12: AU203 `execution_date`" in result.stdout, result.stdout
    assert "Found 0 fixed in 0 file(s), 1 remaining" in result.stdout


def test_what_fix_leaves_in_a_template_stands_where_a_check_finds_it(tmp_path: Path):
    (tmp_path / "dags").mkdir()
    (tmp_path / "dags" / "load.sql").write_bytes(b"SELECT '{{ execution_date }}', '{{ tomorrow_ds }}'\n")
    (tmp_path / "dags" / "dag.py").write_bytes(
        b"from airflow.operators.postgres_operator import PostgresOperator\n"
        b"t = PostgresOperator(task_id='t', sql='load.sql')\n"
    )
    run = ("--no-cache", "--include-templates", "--target", "3", "--select", "AU203", "dags")
    fixed = cli("fix", *run, cwd=tmp_path)
    checked = cli("check", *run, cwd=tmp_path)
    assert (tmp_path / "dags" / "load.sql").read_bytes() == b"SELECT '{{ logical_date }}', '{{ tomorrow_ds }}'\n"
    # 1:36 in the template as it was read
    assert "dags/load.sql:1:34: AU203 `tomorrow_ds`" in fixed.stdout, fixed.stdout
    assert "dags/load.sql:1:34: AU203 `tomorrow_ds`" in checked.stdout, checked.stdout


def test_a_symlink_to_a_file_outside_the_tree_is_not_rewritten(tmp_path: Path):
    (tmp_path / "repo").mkdir()
    (tmp_path / "elsewhere").mkdir()
    outside = tmp_path / "elsewhere" / "shared_dag.py"
    outside.write_bytes(GOOD)
    os.symlink(outside, tmp_path / "repo" / "link.py")
    (tmp_path / "repo" / "own.py").write_bytes(GOOD)
    result = cli("fix", "--no-cache", "repo", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        f"repo/link.py: error: resolves to {outside}, outside the paths given: not rewritten"
        " (name it or its folder to fix it)"
    ) in result.stderr
    assert outside.read_bytes() == GOOD
    assert (tmp_path / "repo" / "own.py").read_bytes() == FIXED
    # named, it is the user's to rewrite
    assert cli("fix", "--no-cache", "repo", "elsewhere", cwd=tmp_path).returncode == 1
    assert outside.read_bytes() == FIXED


def test_an_absolute_template_path_outside_the_tree_is_not_rewritten(tmp_path: Path):
    (tmp_path / "dags").mkdir()
    (tmp_path / "sql").mkdir()
    sql = tmp_path / "sql" / "load.sql"
    sql.write_bytes(b"SELECT '{{ execution_date }}'\n")
    (tmp_path / "dags" / "dag.py").write_bytes(
        b"from airflow.operators.postgres_operator import PostgresOperator\n"
        + f"t = PostgresOperator(task_id='t', sql='{sql}')\n".encode()
    )
    result = cli(
        "fix", "--no-cache", "--include-templates", "--target", "2", "--select", "AU203", "dags", cwd=tmp_path
    )
    assert result.returncode == 2, result.stderr
    assert f"resolves to {sql}, outside the paths given: not rewritten" in result.stderr
    assert sql.read_bytes() == b"SELECT '{{ execution_date }}'\n"
