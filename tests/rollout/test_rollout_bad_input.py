"""Rollout input that used to end in a traceback or print a secret: each is one line, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest

from tests.rollout.conftest import free_port

REPO = Path(__file__).resolve().parents[2]


def rollout(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", "rollout", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env={**os.environ, "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "", "AIRFLOW__CORE__SQL_ALCHEMY_CONN": ""},
    )


@pytest.mark.parametrize(
    "password", ["1234#Hash5", "pa/ss?word", "1", "a:b"], ids=["hash", "slash-query", "one", "colon"]
)
def test_a_password_is_never_printed_whatever_it_holds(password: str):
    port = free_port()  # nothing listens there
    result = rollout("status", "--db", f"postgresql://airflow:{password}@127.0.0.1:{port}/airflow")
    assert result.returncode == 2
    printed = result.stdout + result.stderr
    assert f"cannot connect to postgresql://airflow:***@127.0.0.1:{port}/airflow" in printed
    # Masked by parsing: the host keeps its digits even when the password is "1".
    assert f'"127.0.0.1", port {port} failed' in printed and "Traceback" not in printed
    if len(password) > 1:
        assert password not in printed and password.split("#")[-1] not in printed


def test_a_job_table_lacking_columns_is_one_line(postgres_server):
    url = postgres_server.create_database("af_bad_job_table")
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE job (id integer, hostname text)")
        cursor.execute("CREATE TABLE alembic_version (version_num text)")
        cursor.execute("INSERT INTO alembic_version VALUES ('e959f08ac86c')")
    conn.close()
    result = rollout("check", "--stage", "2", "--db", url)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(
        "airflow-upgrade rollout: the metadata DB does not have the shape Airflow's has"
    )
    assert "does not exist" in lines[0]


@pytest.mark.parametrize("value", ["inf", "nan", "-5", "0", "soon"])
def test_soak_minutes_must_be_a_positive_number(value: str):
    result = rollout("status", "--db", "postgresql://u:p@127.0.0.1:1/x", "--soak-minutes", value)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        f"airflow-upgrade rollout: error: argument --soak-minutes: must be a positive number, not {value!r}"
    )


def test_airflow_python_that_does_not_exist(postgres_server):
    url = postgres_server.create_database("af_head_python")
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("CREATE TABLE alembic_version (version_num text)")
        cursor.execute("INSERT INTO alembic_version VALUES ('e959f08ac86c')")  # the 1.10.15 head
    conn.close()
    result = rollout("check", "--stage", "1", "--db", url, "--airflow-python", "/nonexistent/python")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "airflow-upgrade rollout: --airflow-python /nonexistent/python: cannot run it (No such file or directory)"
    )
