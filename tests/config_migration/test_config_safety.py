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


def migrated_value(path: Path, section: str, option: str) -> str:
    import configparser

    parser = configparser.ConfigParser()
    parser.read(path)
    return parser.get(section, option)


def test_a_move_that_breaks_an_interpolation_is_written_out(tmp_path: Path):
    import configparser

    source = tmp_path / "airflow.cfg"
    source.write_text(
        "[core]\n"
        "dbname = airflow\n"
        "sql_alchemy_conn = postgresql://u:p@db/%(dbname)s\n"
        "base_log_folder = /var/log/airflow\n"
        "dag_processor_manager_log_location = %(base_log_folder)s/manager.log\n"
        "child_process_log_directory = %(base_log_folder)s/scheduler\n"
    )
    out = tmp_path / "new.cfg"
    result = config(str(source), "--target", "2", "-o", str(out))
    notes = [line for line in result.stdout.splitlines() if "no longer resolves" in line]
    # base_log_folder and manager.log both move to [logging]: still resolvable, left as written;
    # an option that stays in [core] while base_log_folder leaves is written out too
    assert notes == [
        f"{source}: [core] child_process_log_directory: its %(...)s reference no longer resolves in [core]"
        " after the moves: written out as Airflow 1.10 read it",
        f"{source}: [database] sql_alchemy_conn: its %(...)s reference no longer resolves in [database]"
        " after the moves: written out as Airflow 1.10 read it",
    ]
    assert migrated_value(out, "core", "child_process_log_directory") == "/var/log/airflow/scheduler"
    migrated = configparser.ConfigParser()
    migrated.read(out)
    assert migrated.get("database", "sql_alchemy_conn") == "postgresql://u:p@db/airflow"
    assert migrated.get("logging", "dag_processor_manager_log_location") == "/var/log/airflow/manager.log"
    assert "dag_processor_manager_log_location = %(base_log_folder)s/manager.log" in out.read_text()
    again = config(str(out), "--target", "2")
    assert again.returncode == 0, again.stdout


def test_an_interpolation_that_cannot_be_written_out_is_reported(tmp_path: Path):
    source = tmp_path / "airflow.cfg"
    # two options of the same raw value in different sections: which one's value is meant is
    # not for the tool to guess
    source.write_text(
        "[core]\ndbname = a\nsql_alchemy_conn = postgresql://u:p@db/%(dbname)s\n"
        "[celery]\ndbname = b\nresult_backend = postgresql://u:p@db/%(dbname)s\n"
    )
    result = config(str(source), "--target", "2")
    assert (
        f"{source}: [database] sql_alchemy_conn: %(dbname)s no longer resolves in [database] after the move:"
        " Airflow would fail to read this option; write the value out in full"
    ) in result.stdout
