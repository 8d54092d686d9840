"""upgrade/fixed_positions.py: the findings `fix` leaves stand where they are in the written file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codemods._base import Diagnostic
from upgrade.fixed_positions import moved_to_fixed

OLD = b"import a\nx = f(schedule_interval=g(1))\ny = 2\n"


@pytest.mark.parametrize(
    ("old", "new", "at", "expected"),
    [
        (OLD, OLD, (2, 5), (2, 5)),  # nothing changed
        (OLD, b"import a\nimport b\n" + OLD[9:], (3, 1), (4, 1)),  # an added import moves lines down
        (OLD, OLD.replace(b"schedule_interval", b"schedule"), (2, 25), (2, 16)),  # after the change
        (OLD, OLD.replace(b"schedule_interval", b"schedule"), (2, 3), (2, 3)),  # before it
        (OLD, OLD.replace(b"x = f(", b"x = f(c=1, "), (2, 25), (2, 30)),  # text inserted before
        (OLD, b"x = f(schedule_interval=g(1))\ny = 2\n", (1, 1), (1, 1)),  # its line deleted
        (OLD, b"", (2, 1), (1, 1)),  # everything deleted
    ],
)
def test_position_in_the_written_file(old, new, at, expected):
    finding = Diagnostic(path="d.py", line=at[0], col=at[1], code="AU1", message="m", fix=None)
    (moved,) = moved_to_fixed([finding], "d.py", old, new)
    assert (moved.line, moved.col) == expected


def test_applied_and_other_files_keep_their_positions():
    applied = Diagnostic(path="d.py", line=3, col=1, code="AU1", message="m", fix="safe", applied=True)
    other = Diagnostic(path="t.sql", line=3, col=1, code="AU2", message="m", fix=None)
    assert moved_to_fixed([applied, other], "d.py", OLD, b"import b\n" + OLD) == [applied, other]


DAG = """\
from datetime import datetime, timedelta
from airflow import DAG
from airflow.operators.docker_operator import DockerOperator

dag = DAG("d", start_date=datetime(2020, 1, 1), schedule_interval=timedelta(days=1))
t = DockerOperator(task_id="t", image="x", volumes=["/a:/b"], dag=dag)
"""


def _positions(output: str) -> set[str]:
    return {
        line.split(" ")[0].split(":", 1)[1] + line.split(" ")[1]
        for line in output.splitlines()
        if line.startswith("dag.py:") and ": AU" in line
    }


def test_fix_reports_what_is_left_where_check_then_finds_it(tmp_path: Path):
    (tmp_path / "dag.py").write_text(DAG)
    run = [sys.executable, "-m", "upgrade"]
    fixed = subprocess.run(
        [*run, "fix", "--no-cache", "--target", "3", "dag.py"], cwd=tmp_path, capture_output=True, text=True
    )
    checked = subprocess.run(
        [*run, "check", "--no-cache", "--target", "3", "dag.py"], cwd=tmp_path, capture_output=True, text=True
    )
    assert "schedule=timedelta" in (tmp_path / "dag.py").read_text()
    left = _positions(fixed.stdout)
    assert "5:58:AU307" in left, fixed.stdout  # 5:67 in the file as it was read
    # the same codes too: AU162 judges the moved DockerOperator's removed `volumes=` either way
    assert "6:44:AU162" in left, fixed.stdout
    assert left == _positions(checked.stdout), (fixed.stdout, checked.stdout)


def test_a_name_of_a_split_import_goes_where_it_now_stands():
    old = b"from m import a, Gone, c\nx = Gone\n"
    new = b"from m import a, c\nfrom n import Gone\nx = Gone\n"
    at = Diagnostic(path="d.py", line=1, col=18, end_line=1, end_col=22, code="AU1", message="m", fix=None)
    (moved,) = moved_to_fixed([at], "d.py", old, new)
    assert (moved.line, moved.col, moved.end_line, moved.end_col) == (2, 15, 2, 19)
    # twice in the new lines: no telling which, so the line diff maps it (to the first line)
    twice = b"from m import a, c  # Gone\nfrom n import Gone\nx = Gone\n"
    (moved,) = moved_to_fixed([at], "d.py", old, twice)
    assert moved.line == 1


def test_the_lines_a_message_names_are_the_written_file_s():
    message = "gone (used at lines 2, 3; the `line 2` of the code is kept) since line 1"
    at = Diagnostic(path="d.py", line=2, col=1, code="AU1", message=message, fix=None)
    (moved,) = moved_to_fixed([at], "d.py", OLD, b"import a\nimport b\n" + OLD[9:])
    assert moved.message == "gone (used at lines 3, 4; the `line 2` of the code is kept) since line 1"
