"""Provider versions as an input: `--providers FILE` and `[tool.airflow-upgrade] providers`
(upgrade/provider_pins.py), through the real command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DAG = b"from airflow.contrib.operators.s3_copy_object_operator import S3CopyObjectOperator\n"
NEWEST = "from airflow.providers.amazon.aws.operators.s3 import S3CopyObjectOperator\n"
PINNED = "from airflow.providers.amazon.aws.operators.s3_copy_object import S3CopyObjectOperator\n"
FREEZE = "apache-airflow==2.0.2\napache-airflow-providers-amazon==1.4.0\nboto3==1.15.18\n"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_providers_file_pins_the_release(tmp_path: Path):
    (tmp_path / "dag.py").write_bytes(DAG)
    (tmp_path / "freeze.txt").write_text(FREEZE)
    result = cli("fix", "--no-cache", "--target", "2", "--providers", "freeze.txt", "dag.py", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert (tmp_path / "dag.py").read_text() == PINNED


def test_without_pins_the_newest_release_allowing_the_target(tmp_path: Path):
    (tmp_path / "dag.py").write_bytes(DAG)
    result = cli("fix", "--no-cache", "--target", "2", "dag.py", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert (tmp_path / "dag.py").read_text() == NEWEST


def test_settings_providers_file_and_inline_pins(tmp_path: Path):
    (tmp_path / "freeze.txt").write_text(FREEZE)
    for value in ("freeze.txt", "apache-airflow-providers-amazon==1.4.0"):
        (tmp_path / "dag.py").write_bytes(DAG)
        (tmp_path / "pyproject.toml").write_text(
            f'[tool.airflow-upgrade]\ntarget = "2"\nproviders = "{value}"\n'
        )
        result = cli("fix", "--no-cache", "dag.py", cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        assert (tmp_path / "dag.py").read_text() == PINNED, value


def test_unreadable_providers_file_is_one_line(tmp_path: Path):
    (tmp_path / "dag.py").write_bytes(DAG)
    result = cli("check", "--providers", "missing.txt", "dag.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "airflow-upgrade: error: --providers 'missing.txt': cannot read: No such file or directory"
    ]
    assert (tmp_path / "dag.py").read_bytes() == DAG
