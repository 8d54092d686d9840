"""The README's pre-commit config, run by the real `pre-commit` in a throwaway git repo with this
checkout as the hook repository (cloned from its local path; the hook env installs this package
and its dependencies from PyPI, nothing else is fetched): fails when it rewrote files, passes on
the second run, passes with a `# noqa`'d finding that has no automatic fix."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
DAG = "from airflow.operators.bash_operator import BashOperator\n\nrun = BashOperator(task_id='run', bash_command='run.sh')\n"
FIXED = "from airflow.operators.bash import BashOperator\n\nrun = BashOperator(task_id='run', bash_command='run.sh')\n"
UNFIXABLE = 'from airflow import DAG\n\ndag = DAG("etl", catchUp=False)'


def readme_config() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"<!-- pre-commit-config:start -->\n```yaml\n(.*?)```\n<!-- pre-commit-config:end -->", readme, re.S
    )
    assert match, "README.md has no pre-commit-config block"
    return match.group(1)


def pre_commit_executable() -> str:
    found = Path(sys.executable).parent / "pre-commit"
    if found.exists():
        return str(found)
    on_path = shutil.which("pre-commit")
    assert on_path, "pre-commit is not installed: it is a test dependency of the tox `tool` env (tox.ini)"
    return on_path


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def dag_repo(tmp_path_factory) -> tuple[Path, dict]:
    repo = tmp_path_factory.mktemp("dag_repo")
    git("init", "-q", cwd=repo)
    head = git("rev-parse", "HEAD", cwd=REPO).strip()
    config = readme_config()
    config = re.sub(r"(?m)^(\s*- repo:) \S+.*$", rf"\1 {REPO}", config)
    config = re.sub(r"(?m)^(\s*rev:) \S+.*$", rf"\1 {head}", config)
    (repo / ".pre-commit-config.yaml").write_text(config)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre_commit_home"))}
    env.pop("PYTHONPATH", None)  # the hook runs the package pre-commit installed, not this checkout
    return repo, env


def run_hooks(repo: Path, env: dict) -> subprocess.CompletedProcess:
    git("add", "-A", cwd=repo)
    return subprocess.run(
        [pre_commit_executable(), "run", "--all-files", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_readme_config_rewrites_then_passes_then_honours_noqa(dag_repo):
    repo, env = dag_repo
    (repo / "etl.py").write_text(DAG)
    first = run_hooks(repo, env)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout, first.stdout
    assert (repo / "etl.py").read_text() == FIXED
    second = run_hooks(repo, env)
    assert second.returncode == 0, second.stdout + second.stderr

    (repo / "report.py").write_text(UNFIXABLE + "\n")
    unfixable = run_hooks(repo, env)
    assert unfixable.returncode == 1 and "AU401" in unfixable.stdout, unfixable.stdout
    (repo / "report.py").write_text(UNFIXABLE + "  # noqa: AU401\n")
    silenced = run_hooks(repo, env)
    assert silenced.returncode == 0, silenced.stdout + silenced.stderr
