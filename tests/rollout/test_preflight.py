"""Stage 0 and the command's error paths: engines that cannot host two schedulers, bad URLs,
unreachable DBs (never printing the password), config and DAG-repo gates."""

from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.rollout.conftest import PG_PASSWORD, free_port

REPO = Path(__file__).resolve().parents[2]


def rollout(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", "rollout", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env=None if env is None else {**os.environ, **env},
    )


class MySqlGreeter:
    """A TCP server on 127.0.0.1 that sends one MySQL Handshake v10 greeting per connection.

    It stands in for a MySQL/MariaDB server: stage 0 reads only the greeting, which a real
    server sends before any login.
    """

    def __init__(self, version: str):
        self.version = version
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(10)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        for _ in range(4):  # bounded: at most four connections per test
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            payload = bytes([10]) + self.version.encode() + b"\0" + struct.pack("<I", 7) + b"abcdefgh\0"
            with conn:
                conn.sendall(len(payload).to_bytes(3, "little") + b"\0" + payload)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def mysql_greeter(request):
    greeter = MySqlGreeter(request.param)
    yield greeter
    greeter.close()


def test_sqlite_is_blocked_at_stage0(tmp_path):
    result = rollout("check", "--stage", "0", "--db", f"sqlite:///{tmp_path}/airflow.db")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "SQLite: no row-level locks" in result.stdout


@pytest.mark.parametrize("mysql_greeter", ["5.7.44-log"], indirect=True)
def test_mysql_5_7_is_blocked_at_stage0(mysql_greeter):
    url = f"mysql+mysqldb://airflow:{PG_PASSWORD}@127.0.0.1:{mysql_greeter.port}/airflow"
    result = rollout("check", "--stage", "0", "--db", url, "--output-format", "json")
    assert result.returncode == 3, result.stdout + result.stderr
    report = json.loads(result.stdout)
    engine_check = report["stages"][0]["checks"][0]
    assert engine_check["status"] == "blocked"
    assert "MySQL 5.7.44-log: SKIP LOCKED and NOWAIT arrived in MySQL 8.0" in engine_check["evidence"]
    assert PG_PASSWORD not in result.stdout


@pytest.mark.parametrize("mysql_greeter", ["5.5.5-10.11.6-MariaDB-0+deb12u1"], indirect=True)
def test_mariadb_is_blocked_at_stage0(mysql_greeter):
    result = rollout(
        "check", "--stage", "0", "--db", f"mysql://airflow@127.0.0.1:{mysql_greeter.port}/airflow"
    )
    assert result.returncode == 3
    assert "MariaDB 5.5.5-10.11.6-MariaDB" in result.stdout


@pytest.mark.parametrize("mysql_greeter", ["8.0.36"], indirect=True)
def test_mysql_8_passes_the_engine_check(mysql_greeter):
    result = rollout(
        "check", "--stage", "0", "--db", f"mysql://airflow@127.0.0.1:{mysql_greeter.port}/airflow"
    )
    assert result.returncode == 0, result.stdout
    assert "[ok     ] database engine supports scheduler HA" in result.stdout


@pytest.mark.parametrize(
    "url, reason",
    [
        ("oracle://scott:tiger@127.0.0.1/db", "unknown database scheme"),
        ("postgresql://u:p@127.0.0.1:notaport/db", "not a database URL"),
        ("postgresql:///nohost", "names no host"),
    ],
)
def test_bad_url_is_a_usage_error(url, reason):
    result = rollout("check", "--stage", "0", "--db", url)
    assert result.returncode == 2
    assert reason in result.stderr


def test_unreachable_db_exits_2_without_the_password():
    port = free_port()  # nothing listens there
    result = rollout("status", "--db", f"postgresql://airflow:{PG_PASSWORD}@127.0.0.1:{port}/airflow")
    assert result.returncode == 2
    assert f"cannot connect to postgresql://airflow:***@127.0.0.1:{port}/airflow" in result.stderr
    assert PG_PASSWORD not in result.stdout + result.stderr


def test_wrong_password_exits_2_without_the_password(postgres_server):
    wrong = "wrong-" + PG_PASSWORD
    url = f"postgresql://postgres:{wrong}@127.0.0.1:{postgres_server.port}/postgres"
    result = rollout("check", "--stage", "2", "--db", url)
    assert result.returncode == 2
    assert "password authentication failed" in result.stderr
    assert wrong not in result.stdout + result.stderr


def test_check_without_stage_and_stage5_without_old_host_are_usage_errors(postgres_server):
    assert rollout("check", "--db", postgres_server.url()).returncode == 2
    result = rollout("check", "--stage", "5", "--db", postgres_server.url())
    assert result.returncode == 2 and "--old-host" in result.stderr


def test_stage0_on_postgres_checks_config_and_dag_repo(postgres_server, tmp_path):
    old_cfg = tmp_path / "old.cfg"
    old_cfg.write_text("[core]\nbase_log_folder = /var/log/airflow\n[scheduler]\nmax_threads = 4\n")
    new_cfg = tmp_path / "new.cfg"
    new_cfg.write_text("[logging]\nbase_log_folder = /var/log/airflow\n[scheduler]\nparsing_processes = 4\n")
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "ok.py").write_text("x = 1\n")

    blocked = rollout("check", "--stage", "0", "--db", postgres_server.url(), "--config", str(old_cfg))
    assert blocked.returncode == 3, blocked.stdout + blocked.stderr
    assert "[ok     ] database engine supports scheduler HA" in blocked.stdout
    assert "5 option(s) still to migrate" in blocked.stdout

    # The DB URL from the environment, as on a scheduler host: it must not count as an
    # override still to rename ([core] sql_alchemy_conn is [database] since 2.3).
    passing = rollout(
        "check",
        "--stage",
        "0",
        "--config",
        str(new_cfg),
        "--dags",
        str(dags),
        env={"AIRFLOW__CORE__SQL_ALCHEMY_CONN": postgres_server.url()},
    )
    # The DAG-repo gate runs `airflow-upgrade check --target 2`; a clean one-line module passes.
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert f"{new_cfg}: nothing left to migrate" in passing.stdout
    assert f"{dags}: clean" in passing.stdout


def test_row_level_locking_off_blocks_stage3(postgres_server, tmp_path):
    cfg = tmp_path / "airflow.cfg"
    cfg.write_text("[scheduler]\nuse_row_level_locking = False\n")
    db = postgres_server.create_database("af_empty_locking")
    result = rollout("check", "--stage", "3", "--db", db, "--config", str(cfg))
    assert result.returncode == 3
    assert f"{cfg}: False: with it off, two schedulers can schedule the same task twice" in result.stdout


def test_stage0_accepts_a_dag_repo_in_bridge_form(postgres_server, tmp_path):
    dags = tmp_path / "dags"
    dags.mkdir()
    (dags / "dag.py").write_text(
        "from airflow.operators.bash_operator import BashOperator\n"
        "from airflow.operators.python_operator import PythonOperator\n"
        "t = PythonOperator(task_id='t', python_callable=print, provide_context=True)\n"
    )
    env = {"AIRFLOW__CORE__SQL_ALCHEMY_CONN": postgres_server.url()}
    before = rollout("check", "--stage", "0", "--dags", str(dags), "--bridge", env=env)
    assert before.returncode == 3, before.stdout + before.stderr
    assert "1 file(s) still to rewrite; run `airflow-upgrade fix --target 2 --bridge" in before.stdout

    fixed = subprocess.run(
        [sys.executable, "-m", "upgrade", "fix", "--no-cache", "--target", "2", "--bridge", str(dags)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fixed.returncode == 1, fixed.stderr
    # provide_context=True stays (1.10's PythonOperator needs it): a finding, but the repo is ready.
    after = rollout("check", "--stage", "0", "--dags", str(dags), "--bridge", env=env)
    assert after.returncode == 0, after.stdout + after.stderr
    assert f"{dags}: in bridge form" in after.stdout
    plain = rollout("check", "--stage", "0", "--dags", str(dags), env=env)
    assert plain.returncode == 3 and "findings remain" in plain.stdout
