"""Which files a run sees: exclude globs relative to the project root, force-exclude for files
named on the command line (pre-commit), .gitignore honoured (pathspec's gitignore rules)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from upgrade.discovery import discover


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name in ("dags/a.py", "dags/legacy/b.py", "dags/gen/c.py", "dags/gen/keep.py", "dags/d.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("dags/gen/*\n!dags/gen/keep.py\n")
    (tmp_path / "dags" / ".gitignore").write_text("d.py\n")
    return tmp_path


def found(paths, cwd: Path, **kwargs) -> list[str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return sorted(os.path.normpath(p) for p in discover(paths, **kwargs).files)
    finally:
        os.chdir(old)


def test_gitignore_nested_and_negated(repo: Path):
    assert found(["."], repo) == ["dags/a.py", "dags/gen/keep.py", "dags/legacy/b.py"]
    assert found(["."], repo, respect_gitignore=False) == [
        "dags/a.py",
        "dags/d.py",
        "dags/gen/c.py",
        "dags/gen/keep.py",
        "dags/legacy/b.py",
    ]


def test_exclude_is_relative_to_the_root_from_inside_a_subdirectory(repo: Path):
    inside = found(["."], repo / "dags", exclude=("dags/legacy",), root=str(repo))
    assert inside == ["a.py", "gen/keep.py"]
    assert found(["."], repo, exclude=("dags/legacy",), root=str(repo)) == ["dags/a.py", "dags/gen/keep.py"]


def test_named_files_honour_exclude_and_gitignore_unless_told(repo: Path):
    named = ["dags/legacy/b.py", "dags/gen/c.py", "dags/d.py", "dags/a.py"]
    assert found(named, repo, exclude=("dags/legacy",), root=str(repo)) == ["dags/a.py"]
    assert found(named, repo, exclude=("dags/legacy",), root=str(repo), force_exclude=False) == sorted(named)


def test_without_git_no_gitignore_is_read(tmp_path: Path):
    (tmp_path / ".gitignore").write_text("*.py\n")  # not a work tree: git would not read it either
    (tmp_path / "a.py").write_text("x = 1\n")
    assert found(["."], tmp_path) == ["a.py"]


def test_a_named_directory_is_walked_even_when_git_ignores_it(repo: Path):
    # `airflow-upgrade check build/copy` on an ignored copy still checks it, all of it.
    (repo / ".gitignore").write_text("dags/gen/\n")
    assert found(["."], repo) == ["dags/a.py", "dags/legacy/b.py"]
    assert found(["dags/gen"], repo) == ["dags/gen/c.py", "dags/gen/keep.py"]
