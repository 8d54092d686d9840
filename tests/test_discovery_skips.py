"""What discovery does not walk is said, never skipped in silence: unreadable directories,
build output; a directory is a virtualenv by its pyvenv.cfg, not by its name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from upgrade import discovery

DAG = b"from airflow.operators.python_operator import PythonOperator\n"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_an_unreadable_subdirectory_is_an_error(tmp_path: Path, monkeypatch):
    (tmp_path / "dags" / "private").mkdir(parents=True)
    (tmp_path / "dags" / "ok.py").write_bytes(DAG)
    private = str(tmp_path / "dags" / "private")
    real_scandir = os.scandir

    def scandir(path="."):
        # As root every directory is readable; a non-root user gets EACCES here.
        if os.fspath(path) == private:
            raise PermissionError(13, "Permission denied", private)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discovery.discover([str(tmp_path / "dags")], respect_gitignore=False)
    assert found.errors == [(private, "cannot read directory: Permission denied")]
    assert found.files == [str(tmp_path / "dags" / "ok.py")]


def test_build_output_names_are_skipped_with_a_note_and_venvs_by_content(tmp_path: Path):
    for folder in ("build", "dist", "venv", "tools_env"):
        (tmp_path / "dags" / folder).mkdir(parents=True)
        (tmp_path / "dags" / folder / "dag.py").write_bytes(DAG)
    (tmp_path / "dags" / "tools_env" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    result = cli("check", "--no-cache", "dags", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    # a folder named venv without pyvenv.cfg may be DAGs: checked
    assert [line.split(":")[0] for line in result.stdout.splitlines() if " AU" in line] == ["dags/venv/dag.py"]
    notes = [line for line in result.stderr.splitlines() if "note:" in line]
    assert notes == [
        f"airflow-upgrade: note: skipped dags/{name} (build output by its name; name it on the command line to check it)"
        for name in ("build", "dist")
    ]
    named = cli("check", "--no-cache", "dags/build", cwd=tmp_path)
    assert named.stdout.startswith("dags/build/dag.py:1:")
