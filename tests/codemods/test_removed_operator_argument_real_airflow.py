"""AU162 against real Airflow: 1.10.15's Dataproc operators defaulted `region` to "global"; the
google provider release the fix targets requires it. After `fix --target 2` the DAG loads on
Airflow 2.11.2 with the provider's real DataprocDeleteClusterOperator and the tasks have the
region they had on 1.10; without AU162's fix the same DAG fails to import there.

The tox envs do not install the google provider or Google's client libraries: the provider
release is installed into a folder put on the path, and the third-party modules the provider
(or 1.10's contrib hook) imports and the env lacks are permissive stand-ins
(tests/provider_release.py). Airflow's modules and the provider's are never replaced.
"""

from __future__ import annotations

from pathlib import Path

from codemods._context import RunOptions
from codemods._targets import parse_target
from tests.airflow_envs import airflow_python, run_json
from tests.codemods.helpers import run_fix
from tests.provider_release import STUBS, install_release

GOOGLE = "apache-airflow-providers-google"

DAG_SOURCE = """\
from datetime import datetime
from airflow import DAG
from airflow.contrib.operators import dataproc_operator
from airflow.contrib.operators.dataproc_operator import DataprocClusterDeleteOperator

default_args = {"owner": "data", "start_date": datetime(2021, 1, 1), "project_id": "p"}
with DAG("dataproc", default_args=default_args, schedule_interval="@daily") as dag:
    first = dataproc_operator.DataprocClusterDeleteOperator(task_id="first", cluster_name="c")NOQA
second = DataprocClusterDeleteOperator(NOQA
    task_id="second",
    cluster_name="d",
    dag=dag,
)
first >> second
"""

# argv: the DAG file, a folder to put first on sys.path ("" for none), the folder whose own
# imports may be stood in for when missing. Prints each task's class and region.
LOAD = (
    STUBS
    + """\
import json, os, sys, warnings
warnings.simplefilter("ignore")
# 1.10's Dataproc operators build their hook (and read its connection) in __init__
os.environ["AIRFLOW_CONN_GOOGLE_CLOUD_DEFAULT"] = "google-cloud-platform://"
use_release(sys.argv[2], sys.argv[3])
try:
    namespace = {"__name__": "dagfile"}
    exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
    tasks = {
        t.task_id: {"class": type(t).__name__, "module": type(t).__module__, "region": t.region,
                    "project_id": t.project_id, "cluster_name": t.cluster_name}
        for t in namespace["dag"].tasks
    }
    print(json.dumps({"error": None, "tasks": tasks}))
except Exception as exc:
    print(json.dumps({"error": "%s: %s" % (type(exc).__name__, exc)}))
"""
)


def provider_folder(tmp_path: Path) -> Path:
    """The google release `fix --target 2` writes for, installed alone into a folder."""
    version = RunOptions(parse_target("2")).providers.version(GOOGLE)
    folder = install_release(GOOGLE, version, tmp_path / "google")
    assert (folder / "airflow" / "providers" / "google" / "cloud" / "operators" / "dataproc.py").exists()
    return folder


def load(env: str, source: str, tmp_path: Path, name: str, extra: str, own: str) -> dict:
    dag_file = tmp_path / f"{name}.py"
    dag_file.write_text(source)
    return run_json(env, LOAD, str(dag_file), extra, own, home=tmp_path / f"home_{name}")


def test_region_1_10_defaulted_is_passed_and_the_dag_loads_with_it(tmp_path):
    source = DAG_SOURCE.replace("NOQA", "")
    hooks = airflow_python("af110").parent.parent.glob("lib/python3*/site-packages/airflow/contrib/hooks")
    before = load("af110", source, tmp_path, "orig", "", str(next(hooks)))
    assert before["error"] is None, before
    assert {t["region"] for t in before["tasks"].values()} == {"global"}

    google = provider_folder(tmp_path)
    own = str(google / "airflow" / "providers" / "google")
    _, result = run_fix(source, target="2")
    assert result.error is None and result.new_source is not None
    fixed = result.new_source.decode()
    assert fixed.count('region="global"') == 2, fixed
    after = load("af2", fixed, tmp_path, "fixed", str(google), own)
    assert after["error"] is None, after
    for task_id, old in before["tasks"].items():
        new = after["tasks"][task_id]
        assert new["class"] == "DataprocDeleteClusterOperator"
        assert new["module"] == "airflow.providers.google.cloud.operators.dataproc"
        assert (new["region"], new["project_id"], new["cluster_name"]) == (
            old["region"],
            old["project_id"],
            old["cluster_name"],
        )

    # the same fix without AU162's (noqa on the calls): the provider rejects the DAG
    _, other = run_fix(DAG_SOURCE.replace("NOQA", "  # noqa: AU162"), target="2")
    assert other.new_source is not None and b"region" not in other.new_source
    rejected = load("af2", other.new_source.decode(), tmp_path, "noqa", str(google), own)
    assert rejected["error"] == "AirflowException: missing keyword argument 'region'", rejected
