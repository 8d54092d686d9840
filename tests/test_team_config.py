"""`--airflow-cfg FILE` / setting `airflow-cfg`: the team's catchup default makes AU304 exact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codemods._context import RunOptions
from upgrade.engine import process_source
from upgrade.registry import select_rules
from upgrade.settings import SettingsError
from upgrade.team_config import catchup_default

DAG = 'from airflow import DAG\nd = DAG("x", schedule_interval="@daily")\n'


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("text", "value", "source"),
    [
        ("[scheduler]\ncatchup_by_default = False\n", False, "[scheduler] catchup_by_default = False in"),
        ("[scheduler]\ncatchup_by_default = t  # on\n", True, "catchup_by_default = t  # on in"),
        ("[scheduler]\ncatchup_by_default = 0\n", False, "= 0 in"),
        (
            "[core]\ndags_folder = /d\n",
            True,
            "does not set [scheduler] catchup_by_default: the 1.10 default, True",
        ),
    ],
)
def test_value_read_like_airflow_1_10(tmp_path, text, value, source):
    cfg = tmp_path / "airflow.cfg"
    cfg.write_text(text)
    found = catchup_default(str(cfg))
    assert found.value is value and source in found.source


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[scheduler]\ncatchup_by_default = perhaps\n", "is not a boolean"),
        ("[scheduler]\ncatchup_by_default_cmd = echo True\n", "computed at run time"),
        ("catchup_by_default = True\n", "option before any [section] header"),
    ],
)
def test_unusable_files_are_one_clear_error(tmp_path, text, error):
    cfg = tmp_path / "airflow.cfg"
    cfg.write_text(text)
    with pytest.raises(SettingsError, match=error.replace("[", r"\[").replace("]", r"\]")):
        catchup_default(str(cfg))


def _fix(options: RunOptions) -> tuple[str, list]:
    result = process_source("dag.py", DAG.encode(), select_rules((3, 0), ["AU304"]), options)
    return (result.new_source or DAG.encode()).decode(), result.diagnostics


def test_known_default_is_a_safe_fix_naming_its_setting():
    source = "[scheduler] catchup_by_default = False in airflow.cfg"
    options = RunOptions((3, 0), fix=True, catchup_by_default=False, catchup_source=source)
    new, (d,) = _fix(options)
    assert new == 'from airflow import DAG\nd = DAG("x", schedule_interval="@daily", catchup=False)\n'
    assert d.fix == "safe" and d.applied and source in d.message
    # without the file it stays unsafe
    new, (d,) = _fix(RunOptions((3, 0), fix=True))
    assert new == DAG and d.fix == "unsafe" and not d.applied


def test_cli_flag_and_setting(tmp_path):
    (tmp_path / "dags").mkdir()
    (tmp_path / "dags" / "d.py").write_text(DAG)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "airflow.cfg").write_text("[scheduler]\ncatchup_by_default = True\n")
    result = cli(
        "check",
        "--no-cache",
        "--target",
        "3",
        "--select",
        "AU304",
        "--airflow-cfg",
        "deploy/airflow.cfg",
        "dags",
        cwd=tmp_path,
    )
    assert "catchup_by_default = True in deploy/airflow.cfg" in result.stdout, result.stdout + result.stderr
    assert "[*]" in result.stdout
    (tmp_path / "pyproject.toml").write_text('[tool.airflow-upgrade]\nairflow-cfg = "deploy/airflow.cfg"\n')
    result = cli("fix", "--no-cache", "--target", "3", "--select", "AU304", "dags", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr  # files changed
    assert (tmp_path / "dags" / "d.py").read_text().endswith('schedule_interval="@daily", catchup=True)\n')
    result = cli("check", "--no-cache", "--target", "3", "--airflow-cfg", "missing.cfg", "dags", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith(
        "airflow-upgrade: error: --airflow-cfg missing.cfg:"
    )
    assert "Traceback" not in result.stderr
