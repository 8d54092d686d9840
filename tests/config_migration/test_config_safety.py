"""`config` loses nothing and prints no secret: read-only files, secrets in --diff, and
`%(option)s` references that a move would break."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SECRETS_CFG = """\
[core]
executor = KubernetesExecutor
fernet_key = FERNET-s3cr3t=
sql_alchemy_conn = postgresql://airflow:1234#Hash5@db.internal/airflow
[webserver]
secret_key = WEB-s3cr3t
[smtp]
smtp_password = SMTP-s3cr3t
[kubernetes]
git_repo = https://deploy:GITURL-s3cr3t@git.example.com/team/dags.git
git_password = GIT-s3cr3t
worker_container_repository = airflow
worker_container_tag = 2.0.2
namespace = airflow
"""


def config(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", "config", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_in_place_refuses_a_read_only_file_like_fix(tmp_path: Path):
    source = tmp_path / "airflow.cfg"
    source.write_text(SECRETS_CFG)
    source.chmod(0o444)
    result = config(str(source), "--in-place")
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"airflow-upgrade config: {source}: cannot write: read-only file (mode 0444), not rewritten"
    )
    assert source.read_text() == SECRETS_CFG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["airflow.cfg"]  # no pod template either


def test_in_place_keeps_a_hardlinked_config_one_file(tmp_path: Path):
    source, link = tmp_path / "airflow.cfg", tmp_path / "airflow-link.cfg"
    source.write_text("[core]\nbase_log_folder = /var/log/airflow\n")
    source.link_to(link) if sys.version_info < (3, 10) else link.hardlink_to(source)
    assert config(str(source), "--in-place").returncode == 1
    assert source.stat().st_nlink == 2
    assert "[logging]" in link.read_text()


def test_diff_masks_every_secret(tmp_path: Path):
    source = tmp_path / "airflow.cfg"
    source.write_text(SECRETS_CFG)
    result = config(str(source), "--diff", "--target", "2")
    assert result.returncode == 1, result.stderr
    assert "s3cr3t" not in result.stdout + result.stderr and "Hash5" not in result.stdout
    assert "fernet_key = ***" in result.stdout  # context line
    assert "sql_alchemy_conn = postgresql://airflow:***@db.internal/airflow" in result.stdout
    assert "-git_password = ***" in result.stdout


def test_a_move_that_breaks_an_interpolation_is_reported(tmp_path: Path):
    source = tmp_path / "airflow.cfg"
    source.write_text(
        "[core]\n"
        "dbname = airflow\n"
        "sql_alchemy_conn = postgresql://u:p@db/%(dbname)s\n"
        "base_log_folder = /var/log/airflow\n"
        "dag_processor_manager_log_location = %(base_log_folder)s/manager.log\n"
    )
    result = config(str(source), "--target", "2")
    notes = [line for line in result.stdout.splitlines() if "no longer resolves" in line]
    # base_log_folder and the option using it both move to [logging]: still resolvable
    assert notes == [
        f"{source}: [database] sql_alchemy_conn: %(dbname)s no longer resolves in [database] after the move:"
        " Airflow would fail to read this option; write the value out in full"
    ]
