"""What the commands print, as ruff users expect: a `fix --diff` that `git apply` and
`patch -p1` take (stdout holds the patch alone), colour only on a terminal, the summary on
stdout after the findings, --exit-zero, --statistics, --show-fixes, stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.config_migration.test_migrate import OLD_CFG

DAG = "from airflow.operators.bash_operator import BashOperator\n"
NO_NEWLINE = "from airflow.operators.python_operator import PythonOperator"
UNFIXABLE = 'from airflow import DAG\ndag = DAG("d", catchUp=False)\n'


def cli(
    *args: str, cwd: Path, stdin: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "dags").mkdir()
    (tmp_path / "dags" / "a.py").write_text(DAG)
    (tmp_path / "dags" / "b.py").write_text(NO_NEWLINE)
    (tmp_path / "dags" / "c.py").write_text(UNFIXABLE)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path


def test_fix_diff_is_a_patch_git_apply_and_patch_p1_take(repo: Path):
    result = cli("fix", "--diff", "--no-cache", ".", cwd=repo, env={"NO_COLOR": "1"})
    assert result.returncode == 1
    assert result.stdout.startswith("--- a/dags/a.py\n+++ b/dags/a.py\n"), result.stdout
    assert "AU401" not in result.stdout and "Found" not in result.stdout  # findings, summary: stderr
    assert "dags/c.py:2:16: AU401" in result.stderr and "Found 2 file(s) would be rewritten" in result.stderr
    patch_file = repo / "fix.patch"
    patch_file.write_text(result.stdout)
    subprocess.run(["git", "apply", "--check", str(patch_file)], cwd=repo, check=True)
    subprocess.run(["patch", "-p1", "-s", "-i", str(patch_file)], cwd=repo, check=True)
    assert (repo / "dags" / "b.py").read_text() == "from airflow.operators.python import PythonOperator"
    assert cli("check", "--no-cache", "--select", "AU101", ".", cwd=repo).returncode == 0
    # run from inside dags/: paths in the patch are relative to where it is applied
    (repo / "dags" / "a.py").write_text(DAG)
    inside = cli("fix", "--diff", "--no-cache", ".", cwd=repo / "dags")
    assert inside.stdout.startswith("--- a/a.py\n+++ b/a.py\n")


def test_diff_colour_only_on_request_of_a_terminal(repo: Path):
    plain = cli("fix", "--diff", "--no-cache", "dags/a.py", cwd=repo)
    assert "\033[" not in plain.stdout  # piped: no colour
    coloured = cli("fix", "--diff", "--no-cache", "dags/a.py", cwd=repo, env={"FORCE_COLOR": "1"})
    assert "\033[31m-from airflow.operators.bash_operator" in coloured.stdout
    assert "\033[32m+from airflow.operators.bash import" in coloured.stdout


def test_summary_on_stdout_after_the_findings(repo: Path):
    result = cli("check", "--no-cache", ".", cwd=repo)
    lines = result.stdout.splitlines()
    assert (
        lines[-2]
        == "Found 3 finding(s), 2 fixable with `fix`, 0 more with `--unsafe-fixes`, 3 file(s) checked."
    )
    assert lines[-1].startswith("Next: ")
    assert all(": AU" in line for line in lines[:-2]) and len(lines) == 5
    assert result.stderr == ""


def test_exit_zero_statistics_and_show_fixes(repo: Path):
    assert cli("check", "--no-cache", "--exit-zero", ".", cwd=repo).returncode == 0
    assert (
        cli("check", "--no-cache", "--exit-zero", "missing.py", cwd=repo).returncode == 2
    )  # errors still count
    stats = cli("check", "--no-cache", "--statistics", ".", cwd=repo)
    assert stats.stdout.splitlines()[:2] == [
        "2\tAU101\t[*] moved-import",
        "1\tAU401\t[ ] unknown-dag-arguments",
    ]
    fixed = cli("fix", "--no-cache", "--show-fixes", ".", cwd=repo)
    assert "Fixed 2 finding(s):\n- ./dags/a.py:\n    1 × AU101 (moved-import)\n" in fixed.stdout, fixed.stdout


def test_stdin_check_and_fix(repo: Path):
    check = cli("check", "--no-cache", "-", "--stdin-filename", "dags/x.py", cwd=repo, stdin=DAG)
    assert check.returncode == 1 and check.stdout.startswith("dags/x.py:1:45: AU101 ")
    fix = cli("fix", "--no-cache", "-", cwd=repo, stdin=DAG)
    assert fix.stdout == "from airflow.operators.bash import BashOperator\n"  # source only
    assert "Found 1 fixed" in fix.stderr
    # an excluded --stdin-filename passes through untouched, as ruff's force-exclude does
    (repo / "pyproject.toml").write_text('[tool.airflow-upgrade]\nexclude = ["dags/vendored"]\n')
    passed = cli("fix", "--no-cache", "-", "--stdin-filename", "dags/vendored/x.py", cwd=repo, stdin=DAG)
    assert passed.returncode == 0 and passed.stdout == DAG


def test_config_diff_has_the_same_header_style(tmp_path: Path):
    (tmp_path / "airflow.cfg").write_text(OLD_CFG)
    result = cli("config", "airflow.cfg", "--diff", cwd=tmp_path)
    assert result.stdout.startswith("--- a/airflow.cfg\n+++ b/airflow.cfg\n"), result.stdout
    assert "db-pass-123" not in result.stdout and "config change(s)" in result.stderr
    # masked passwords make a patch that cannot apply; without one it applies
    (tmp_path / "airflow.cfg").write_text(OLD_CFG.replace(":db-pass-123@", "@"))
    result = cli("config", "airflow.cfg", "--diff", cwd=tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "cfg.patch").write_text(result.stdout)
    subprocess.run(["git", "apply", "--check", "cfg.patch"], cwd=tmp_path, check=True)


def test_quiet_and_verbose_on_every_subcommand(repo: Path, tmp_path: Path):
    for command in ("check", "fix", "rules", "config", "rollout", "snapshot", "verify"):
        shown = cli(command, "--help", cwd=repo)
        assert "-q, --quiet" in shown.stdout and "-v, --verbose" in shown.stdout, command
    (tmp_path / "airflow.cfg").write_text(OLD_CFG)
    quiet = cli("config", "-q", "airflow.cfg", cwd=tmp_path)
    assert quiet.returncode == 1 and "config change(s)" not in quiet.stdout
    assert "config change(s)" in cli("config", "airflow.cfg", cwd=tmp_path).stdout
    verbose = cli("fix", "-v", "--no-cache", "dags/a.py", cwd=repo)
    assert "dags/a.py:1:45: AU101" in verbose.stdout and "(fixed)" in verbose.stdout


def test_rollout_status_names_each_stage_once(tmp_path: Path):
    result = cli("rollout", "status", "--db", f"sqlite:///{tmp_path}/airflow.db", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert "stage 1 (metadata DB migrated to the Airflow 2.x schema): BLOCKED" in lines, result.stdout
    assert not any(line.startswith("stage 1: stage 1") for line in lines)


def test_each_run_says_what_to_run_next(repo: Path):
    check = cli("check", "--no-cache", ".", cwd=repo)
    assert (
        check.stdout.splitlines()[-1]
        == "Next: `airflow-upgrade fix --diff .` shows the fixes, `airflow-upgrade fix .` applies them."
    )
    diff = cli("fix", "--diff", "--no-cache", ".", cwd=repo)
    assert diff.stderr.splitlines()[-1] == "Next: `airflow-upgrade fix .` writes these changes."
    fixed = cli("fix", "--no-cache", ".", cwd=repo)
    assert fixed.stdout.splitlines()[-1].startswith(
        "Next: change the remaining lines by hand (`airflow-upgrade rule AU401`"
    )
    assert "Next:" not in cli("check", "--no-cache", "-q", ".", cwd=repo).stdout


def test_config_without_the_k8s_extra_says_how_to_install_it(tmp_path: Path):
    from tests.config_migration.test_migrate import KUBE_CFG

    (tmp_path / "airflow.cfg").write_text(KUBE_CFG)
    # the kubernetes client made unimportable, as in an install without the [k8s] extra
    code = "import sys; sys.modules['kubernetes'] = None; from upgrade.cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, "config", "airflow.cfg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "airflow-upgrade[k8s]" in result.stderr and "Traceback" not in result.stderr
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    assert "pip install '.[k8s]'" in readme


def test_check_takes_ruffs_fix_and_diff(repo: Path):
    diff = cli("check", "--diff", "--no-cache", "dags/a.py", cwd=repo)
    assert diff.stdout.startswith("--- a/dags/a.py\n") and (repo / "dags" / "a.py").read_text() == DAG
    fixed = cli("check", "--fix", "--no-cache", "dags/a.py", cwd=repo)
    assert (
        fixed.returncode == 1
        and (repo / "dags" / "a.py").read_text() == "from airflow.operators.bash import BashOperator\n"
    )


def test_rollout_preflight_quotes_the_summary_not_the_hint(repo: Path, tmp_path: Path):
    result = cli(
        "rollout", "check", "--stage", "0", "--db", f"sqlite:///{tmp_path}/a.db", "--dags", "dags", cwd=repo
    )
    assert "findings remain (Found 3 finding(s)" in result.stdout, result.stdout
