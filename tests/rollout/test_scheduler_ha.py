"""The rollout stages against a real PostgreSQL and real Airflow: 1.10.15 initdb, 2.x db upgrade,
two 2.x LocalExecutor schedulers on distinct hostnames, one frozen with SIGSTOP.

The tests of this module run in file order and share one metadata DB that moves forward
through the rollout (module-scoped fixtures), as a platform team's DB would.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psycopg2
import pytest

from tests.airflow_envs import AIRFLOW_ENVS, airflow_env_vars, airflow_python
from tests.rollout.conftest import PG_PASSWORD, free_port

REPO = Path(__file__).resolve().parents[2]
NEW_AIRFLOW = "af2"  # latest 2.x
HEALTH_THRESHOLD = 10  # seconds; the schedulers below heartbeat every 2 s

pytestmark = [pytest.mark.airflow]


def rollout(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", "rollout", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


def require_psycopg2(env: str) -> None:
    result = subprocess.run(
        [str(airflow_python(env)), "-c", "import psycopg2"], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail(
            f"Airflow env {env} has no psycopg2: add psycopg2-binary to {AIRFLOW_ENVS[env][1]} "
            "(Airflow talks to PostgreSQL through it)",
            pytrace=False,
        )


def airflow(env: str, home: Path, sql_url: str, *args: str, timeout: float = 600, **extra: str):
    environ = airflow_env_vars(
        env,
        home,
        AIRFLOW__CORE__SQL_ALCHEMY_CONN=sql_url,
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=sql_url,
        AIRFLOW__CORE__UNIT_TEST_MODE="False",
        **extra,
    )
    if env == "af110":
        environ.pop("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")
    else:
        environ.pop("AIRFLOW__CORE__SQL_ALCHEMY_CONN")
    bin_airflow = airflow_python(env).parent / "airflow"
    result = subprocess.run(
        [str(bin_airflow), *args], env=environ, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"airflow {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def rollout_db(postgres_server, tmp_path_factory):
    """A metadata DB created by a real Airflow 1.10.15 `airflow initdb`."""
    require_psycopg2("af110")
    url = postgres_server.create_database("af_rollout")
    started = time.monotonic()
    airflow(
        "af110",
        tmp_path_factory.mktemp("home110"),
        url.replace("postgresql://", "postgresql+psycopg2://"),
        "initdb",
    )
    print(f"\n[figures] Airflow 1.10.15 initdb on PostgreSQL: {time.monotonic() - started:.1f}s")
    return url


@pytest.fixture(scope="module")
def upgraded_db(rollout_db, tmp_path_factory):
    """The same DB after a real `airflow db upgrade` with the latest 2.x."""
    require_psycopg2(NEW_AIRFLOW)
    started = time.monotonic()
    sql_url = rollout_db.replace("postgresql://", "postgresql+psycopg2://")
    airflow(NEW_AIRFLOW, tmp_path_factory.mktemp("home2"), sql_url, "db", "upgrade")
    print(
        f"\n[figures] Airflow {AIRFLOW_ENVS[NEW_AIRFLOW][0]} db upgrade from 1.10.15: {time.monotonic() - started:.1f}s"
    )
    return rollout_db


PROBE_DAG = textwrap.dedent(
    """
    import pendulum
    from airflow import DAG
    from airflow.operators.bash import BashOperator

    with DAG(
        "au_ha_probe",
        start_date=pendulum.today("UTC").add(days=-2),
        schedule="@daily",
        catchup=True,
        max_active_runs=3,
    ) as dag:
        BashOperator(task_id="hello", bash_command="echo hello")
    """
)
HOSTNAME_MODULE = "import os\n\n\ndef hostname():\n    return os.environ['AU_TEST_HOSTNAME']\n"


class Scheduler:
    def __init__(self, name: str, process: subprocess.Popen, log: Path):
        self.name, self.process, self.log = name, process, log

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGCONT)
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def schedulers(upgraded_db, tmp_path_factory):
    """Two real Airflow 2.x schedulers (LocalExecutor) with distinct hostnames and log ports."""
    root = tmp_path_factory.mktemp("schedulers")
    dags = root / "dags"
    dags.mkdir()
    (dags / "au_ha_probe.py").write_text(PROBE_DAG)
    (root / "au_test_hostname.py").write_text(HOSTNAME_MODULE)
    sql_url = upgraded_db.replace("postgresql://", "postgresql+psycopg2://")
    running = []
    for name in ("scheduler-a.test", "scheduler-b.test"):
        home = root / name
        home.mkdir()
        environ = airflow_env_vars(
            NEW_AIRFLOW,
            home,
            AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=sql_url,
            AIRFLOW__CORE__UNIT_TEST_MODE="False",
            AIRFLOW__CORE__EXECUTOR="LocalExecutor",
            AIRFLOW__CORE__DAGS_FOLDER=str(dags),
            AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="False",
            AIRFLOW__CORE__HOSTNAME_CALLABLE="au_test_hostname.hostname",
            AIRFLOW__CORE__PARALLELISM="4",
            AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=str(free_port()),
            AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC="2",
            AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_THRESHOLD=str(HEALTH_THRESHOLD),
            AIRFLOW__SCHEDULER__PARSING_PROCESSES="1",
            AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL="10",
            AIRFLOW__SCHEDULER__USE_ROW_LEVEL_LOCKING="True",
            AU_TEST_HOSTNAME=name,
            PYTHONPATH=str(root),
        )
        log = root / f"{name}.log"
        process = subprocess.Popen(
            [str(airflow_python(NEW_AIRFLOW).parent / "airflow"), "scheduler"],
            env=environ,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGSTOP/SIGTERM reach its children too
        )
        running.append(Scheduler(name, process, log))
    try:
        yield running
    finally:
        for scheduler in running:
            scheduler.stop()


def query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        conn.commit()
        conn.close()


def wait_for(predicate, what: str, timeout: float, schedulers=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        for scheduler in schedulers:
            if scheduler.process.poll() is not None:
                pytest.fail(f"{scheduler.name} exited: {scheduler.log.read_text()[-3000:]}", pytrace=False)
        time.sleep(1)
    logs = "\n".join(s.log.read_text()[-1500:] for s in schedulers)
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n{logs}", pytrace=False)


# -- stage 1 ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_stage1_blocks_a_1_10_15_schema(rollout_db):
    result = rollout(
        "check", "--stage", "1", "--db", rollout_db, "--airflow-python", str(airflow_python(NEW_AIRFLOW))
    )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "03afc6b6f902" in result.stdout and "1.10.15" in result.stdout
    assert PG_PASSWORD not in result.stdout + result.stderr


@pytest.mark.slow
def test_stage1_passes_after_a_real_db_upgrade(upgraded_db):
    result = rollout(
        "check", "--stage", "1", "--db", upgraded_db, "--airflow-python", str(airflow_python(NEW_AIRFLOW))
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (head,) = query(upgraded_db, "SELECT version_num FROM alembic_version")[0]
    assert f"alembic_version = {head} = head" in result.stdout
    # The same DB is blocked when compared with an older 2.x install's head (2.0.2).
    older = rollout(
        "check", "--stage", "1", "--db", upgraded_db, "--airflow-python", str(airflow_python("af20"))
    )
    assert older.returncode == 3 and "installed Airflow's head is" in older.stdout


# -- stages 2-5 with two real schedulers ---------------------------------------------------------


def healthy_hosts(url: str) -> set[str]:
    rows = query(
        url,
        "SELECT hostname FROM job WHERE job_type = 'SchedulerJob' AND state = 'running'"
        " AND latest_heartbeat > now() - %s * interval '1 second'",
        (HEALTH_THRESHOLD,),
    )
    return {row[0] for row in rows}


@pytest.mark.slow
def test_two_schedulers_pass_stages_2_3_4(upgraded_db, schedulers):
    started = time.monotonic()
    names = {s.name for s in schedulers}
    wait_for(lambda: healthy_hosts(upgraded_db) == names, "both schedulers heartbeating", 240, schedulers)
    print(f"\n[figures] two 2.x schedulers healthy {time.monotonic() - started:.1f}s after start")
    wait_for(
        lambda: query(upgraded_db, "SELECT count(*) FROM task_instance WHERE state = 'success'")[0][0] >= 1,
        "a task instance to succeed",
        240,
        schedulers,
    )
    print(f"[figures] first task success {time.monotonic() - started:.1f}s after start")
    common = ["--db", upgraded_db, "--health-threshold", str(HEALTH_THRESHOLD)]
    stage2 = rollout("check", "--stage", "2", *common)
    assert stage2.returncode == 0, stage2.stdout + stage2.stderr
    stage3 = rollout("check", "--stage", "3", *common, "--output-format", "json")
    assert stage3.returncode == 0, stage3.stdout + stage3.stderr
    report = json.loads(stage3.stdout)
    hosts = {row["hostname"] for row in report["stages"][0]["checks"][0]["rows"]}
    assert hosts == names
    assert PG_PASSWORD not in stage3.stdout and "***" in report["db"]
    stage4 = rollout("check", "--stage", "4", *common)
    assert stage4.returncode == 0, stage4.stdout + stage4.stderr
    assert "none twice" in stage4.stdout


@pytest.mark.slow
def test_frozen_scheduler_is_reported_stale(upgraded_db, schedulers):
    frozen = schedulers[1]
    os.killpg(frozen.process.pid, signal.SIGSTOP)
    try:
        frozen_at = time.monotonic()
        wait_for(
            lambda: frozen.name not in healthy_hosts(upgraded_db), "the frozen heartbeat to go stale", 60
        )
        common = ["--db", upgraded_db, "--health-threshold", str(HEALTH_THRESHOLD)]
        stage3 = rollout("check", "--stage", "3", *common)
        stage4 = rollout("check", "--stage", "4", *common)
        print(f"\n[figures] SIGSTOP -> reported stale after {time.monotonic() - frozen_at:.1f}s")
    finally:
        os.killpg(frozen.process.pid, signal.SIGCONT)
    assert stage3.returncode == 3, stage3.stdout
    assert "1 healthy scheduler(s), 1 stale" in stage3.stdout
    assert stage4.returncode == 3, stage4.stdout
    assert f"{frozen.name} (id" in stage4.stdout and "stale heartbeat" in stage4.stdout


@pytest.mark.slow
def test_duplicate_finish_in_log_table_blocks_stage4(upgraded_db, schedulers):
    common = ["--db", upgraded_db, "--health-threshold", "3600"]  # only the log check matters here
    assert rollout("check", "--stage", "4", *common).returncode == 0
    # Two finishes of one task try: what a task run by both schedulers leaves in `log`.
    for _ in range(2):
        query(
            upgraded_db,
            "INSERT INTO log (dttm, dag_id, task_id, map_index, event, run_id, try_number, owner)"
            " VALUES (now(), 'au_dup_dag', 'au_dup_task', -1, 'success', 'scheduled__dup', 1, 'test')",
        )
    result = rollout("check", "--stage", "4", *common)
    assert result.returncode == 3, result.stdout
    assert "au_dup_dag.au_dup_task scheduled__dup: events success,success" in result.stdout


@pytest.mark.slow
def test_stage5_old_scheduler_gone(upgraded_db, schedulers):
    common = ["--db", upgraded_db, "--health-threshold", str(HEALTH_THRESHOLD)]
    gone = rollout("check", "--stage", "5", *common, "--old-host", "airflow-110-scheduler.test")
    assert gone.returncode == 0, gone.stdout + gone.stderr
    alive = rollout("check", "--stage", "5", *common, "--old-host", schedulers[0].name)
    assert alive.returncode == 3, alive.stdout
    assert "still heartbeating: scheduler-a.test" in alive.stdout
    status = rollout("status", *common, "--old-host", "airflow-110-scheduler.test", "--output-format", "json")
    assert status.returncode == 0, status.stderr
    assert [s["verdict"] for s in json.loads(status.stdout)["stages"]][1:3] == ["pass", "pass"]
