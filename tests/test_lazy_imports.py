"""What the real command imports: `check`, cold or cached, never LibCST (only fix mode's
Rewrite transforms need it, codemods/_libcst.py), and a cached check no Jinja and no worker pool
either; `fix` still rewrites through LibCST.

Each run is a fresh interpreter: the test process itself has imported all of them.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ETL = """\
import os

from airflow import DAG
from airflow.contrib.kubernetes.volume import Volume
from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
from airflow.operators.bash_operator import BashOperator
from airflow.operators.python_operator import PythonOperator
from airflow.utils.dates import days_ago

import settings

default_args = {"owner": "data", "start_date": days_ago(1)}

dag = DAG("etl", default_args=default_args, schedule_interval="@daily")


def load(**kwargs):
    print(kwargs["execution_date"], os.environ)


extract = BashOperator(task_id="extract", bash_command="run {{ execution_date }}", dag=dag)
transform = PythonOperator(task_id="load", python_callable=load, provide_context=True, dag=dag)
pod = KubernetesPodOperator(
    task_id="pod",
    name="pod",
    image="busybox",
    volumes=[Volume(name="v", configs={"persistentVolumeClaim": {"claimName": "c"}})],
    dag=dag,
)
extract >> transform >> pod
"""

SUBDAG = """\
from airflow import DAG
from airflow.operators.subdag_operator import SubDagOperator
from airflow.utils.dates import days_ago


def child(parent, name):
    return DAG(f"{parent}.{name}", start_date=days_ago(1))


with DAG("parent", start_date=days_ago(1)) as dag:
    section = SubDagOperator(task_id="section", subdag=child("parent", "section"))
"""

# Runs the command as `python -m upgrade` does, then prints which of the watched modules the
# run imported (the exit code goes to stderr's last line).
PROBE = """\
import json, runpy, sys
watched = sys.argv[1].split(",")
sys.argv = ["airflow-upgrade", *sys.argv[2:]]
try:
    runpy.run_module("upgrade", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "imported": [m for m in watched if m in sys.modules]}), file=sys.stderr)
"""

WATCHED = ("libcst", "jinja2", "multiprocessing", "difflib", "tomllib", "configparser")


def run(repo: Path, *args: str) -> tuple[dict, str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(WATCHED), *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    probe = json.loads(result.stderr.splitlines()[-1])
    return probe, result.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "etl.py").write_text(ETL)
    (tmp_path / "sub.py").write_text(SUBDAG)
    return tmp_path


def codes(stdout: str) -> set[str]:
    return {finding["code"] for finding in json.loads(stdout)["diagnostics"]}


@pytest.mark.parametrize("target", ["2.0", "2", "3"])
def test_check_imports_no_libcst_cold_or_cached(repo: Path, target: str):
    args = ("check", "--target", target, "--output-format", "json", "--cache-dir", "cache", ".")
    cold, cold_out = run(repo, *args)
    assert cold["code"] == 1  # findings, fixable ones among them
    assert "AU101" in codes(cold_out)
    assert "libcst" not in cold["imported"]
    assert "jinja2" in cold["imported"] or target == "2.0"  # the templates were read (AU201, 2.2+)

    cached, cached_out = run(repo, *args)
    assert cached_out == cold_out
    assert cached["code"] == 1
    assert cached["imported"] == []  # no LibCST, Jinja, worker pool, diff or config parser


def test_check_of_every_target_and_mode_imports_no_libcst(repo: Path):
    for extra in (
        ("--target", "3", "--bridge"),
        ("--target", "3", "--close-bridge"),
        (
            "--target",
            "2.2",
        ),
    ):
        probe, _ = run(repo, "check", "--no-cache", "--include-templates", *extra, ".")
        assert probe["code"] == 1
        assert "libcst" not in probe["imported"], extra


def test_fix_still_rewrites_through_libcst(repo: Path):
    probe, _ = run(repo, "fix", "--no-cache", "--target", "3", ".")
    assert probe["code"] == 1  # files changed
    assert "libcst" in probe["imported"]
    etl = (repo / "etl.py").read_text()
    sub = (repo / "sub.py").read_text()
    ast.parse(etl)
    ast.parse(sub)
    # a byte edit, and LibCST rewrites of AU305, AU120 (with its k8s import) and AU110
    assert "from airflow.sdk import DAG" in etl
    assert '"start_date": pendulum.today("UTC").add(days=-1)' in etl and "import pendulum\n" in etl
    assert "k8s.V1Volume(" in etl and "from kubernetes.client import models as k8s\n" in etl
    assert "provide_context" not in etl
    assert "days_ago" not in sub


def test_fix_of_byte_edits_alone_imports_no_libcst(tmp_path: Path):
    (tmp_path / "dag.py").write_text("from airflow.operators.bash_operator import BashOperator\n")
    probe, _ = run(tmp_path, "fix", "--no-cache", "--target", "2", ".")
    assert probe["code"] == 1  # a file changed
    assert (tmp_path / "dag.py").read_text() == "from airflow.operators.bash import BashOperator\n"
    assert "libcst" not in probe["imported"]
