"""Corpus test: the example DAGs shipped in the apache-airflow 1.10.15 wheel, migrated by `fix`.

Every example DAG file (airflow/example_dags, airflow/contrib/example_dags) that builds a DAG
on 1.10.15 must, after `airflow-upgrade fix --target T` on a copy, load on the target Airflow
with the same dag ids, task ids and dependency edges. This is `airflow-upgrade verify --fix`,
run as a user runs it. The share that passes has a floor (the measured figure); the files that
do not pass are listed exactly, with the reason, so a regression and an improvement both show.
A file whose provider package cannot be installed is in that list by name, never dropped.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tests.airflow_envs import REPO, airflow_python

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

# Examples that do not load on 1.10.15 itself in the af110 env, so they prove nothing about the
# migration. They need client libraries the af110 env does not install (constraints/airflow-1.10.15-py3.8.txt).
NOT_LOADING_ON_1_10_15 = {
    "contrib/example_dags/example_azure_container_instances_operator.py": "No module named 'azure'",
    "contrib/example_dags/example_azure_cosmosdb_sensor.py": "No module named 'azure'",
    "contrib/example_dags/example_emr_job_flow_automatic_steps.py": "No module named 'boto3'",
    "contrib/example_dags/example_emr_job_flow_manual_steps.py": "No module named 'boto3'",
    "contrib/example_dags/example_gcp_bigtable_operators.py": "No module named 'google'",
    "contrib/example_dags/example_gcp_cloud_build.py": "No module named 'googleapiclient'",
    "contrib/example_dags/example_gcp_compute.py": "No module named 'googleapiclient'",
    "contrib/example_dags/example_gcp_compute_igm.py": "No module named 'googleapiclient'",
    "contrib/example_dags/example_gcp_dataproc_create_cluster.py": "No module named 'googleapiclient'",
    "contrib/example_dags/example_gcp_dataproc_pig_operator.py": "No module named 'googleapiclient'",
    "contrib/example_dags/example_gcp_dlp_operator.py": "No module named 'google'",
    "contrib/example_dags/example_gcp_function.py": "No module named 'googleapiclient'",
    "contrib/example_dags/example_gcp_natural_language.py": "No module named 'google'",
    "contrib/example_dags/example_gcp_spanner.py": "No module named 'google'",
    "contrib/example_dags/example_gcp_speech.py": "No module named 'google'",
    "contrib/example_dags/example_gcp_sql.py": "No module named 'googleapiclient'",
    "contrib/example_dags/example_gcp_sql_query.py": "No module named 'googleapiclient'",
    "contrib/example_dags/example_gcp_transfer.py": "No module named 'googleapiclient'",
    "contrib/example_dags/example_gcp_translate.py": "No module named 'google'",
    "contrib/example_dags/example_gcp_video_intelligence.py": "No module named 'google'",
    "contrib/example_dags/example_gcp_vision.py": "No module named 'google'",
    "contrib/example_dags/example_gcs_acl.py": "No module named 'google'",
    "contrib/example_dags/example_gcs_to_gdrive.py": "No module named 'google'",
    "contrib/example_dags/example_papermill_operator.py": "No module named 'papermill'",
    "contrib/example_dags/example_pubsub_flow.py": "No module named 'googleapiclient'",
    "contrib/example_dags/example_qubole_operator.py": "No module named 'qds_sdk'",
    "contrib/example_dags/example_qubole_sensor.py": "No module named 'qds_sdk'",
    "contrib/example_dags/example_winrm_operator.py": "No module named 'winrm'",
}

# (after env, --target) -> files that load on 1.10.15 but do not build the same DAGs after
# `fix`, with a piece of the reason. Keep exact: a file fixed or newly broken fails the test.
KNOWN_FAILURES = {
    ("af20", "2.0"): {
        # apache-airflow-providers-apache-hive<2 cannot be installed: pyhive[hive] -> sasl needs
        # the libsasl2-dev C headers (see constraints/airflow-2.0.2-py3.8.txt).
        "contrib/example_dags/example_twitter_dag.py": "No module named 'airflow.providers.apache.hive'",
        # imports airflow.contrib.example_dags.libs.helper, a module of the 1.10 wheel only
        "example_dags/example_kubernetes_executor_config.py": "No module named 'airflow.contrib.example_dags'",
        # TriggerDagRunOperator(python_callable=...) was removed in 2.0; `fix` reports it (no safe fix)
        "example_dags/example_trigger_controller_dag.py": "Invalid arguments were passed to TriggerDagRunOperator",
    },
    ("af2", "2"): {
        "example_dags/example_kubernetes_executor_config.py": "No module named 'airflow.contrib.example_dags'",
        "example_dags/example_trigger_controller_dag.py": "Invalid arguments were passed to TriggerDagRunOperator",
    },
}
# The measured share of 1.10.15 example DAG files that pass, per (env, target); a floor.
FLOORS = {("af20", "2.0"): 0.88, ("af2", "2"): 0.88}
# Airflow 3 (--target 3, af3): tests/corpus/test_target3.py, same measure.
SAME_DAG_FIELDS = {"dag", "task_ids", "edges"}
AIRFLOW_VERSIONS = {"af20": "2.0.2", "af2": "2.11.2"}


@pytest.fixture(scope="module")
def corpus(examples_1_10_15) -> dict:
    """A copy of the 1.10.15 example DAGs and their snapshot on 1.10.15 (tests/corpus/conftest.py:
    taken once per session, shared by every corpus module)."""
    return examples_1_10_15


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *map(str, args)], capture_output=True, text=True, timeout=1200
    )


def dag_files(snapshot: dict) -> dict:
    return {
        record["path"]: record for record in snapshot["files"] if record["dags"] or record["status"] != "ok"
    }


def test_examples_that_do_not_load_on_1_10_15_are_listed(corpus):
    before = json.loads(corpus["before"].read_text())
    failing = {record["path"]: record["errors"][0] for record in before["files"] if record["status"] != "ok"}
    assert set(failing) == set(NOT_LOADING_ON_1_10_15)
    for path, reason in NOT_LOADING_ON_1_10_15.items():
        assert reason in failing[path], path
    loading = [record for record in before["files"] if record["status"] == "ok" and record["dags"]]
    assert len(loading) == 27, sorted(record["path"] for record in loading)


def same_dag_failures(before: dict, after: dict, report: dict) -> dict[str, str]:
    """Example DAG files (building DAGs on 1.10.15) that do not build the same dag ids, task ids
    and edges after: path -> reason."""
    examples = [path for path, record in dag_files(before).items() if record["status"] == "ok"]
    after_files = {record["path"]: record for record in after["files"]}
    differing: dict[str, set] = {}
    for dag in report["dags"]:
        fields = {difference["field"] for difference in dag["differences"]}
        if dag["status"] in ("missing", "new") or fields & SAME_DAG_FIELDS:
            differing.setdefault(dag["path"], set()).update(fields & SAME_DAG_FIELDS)
    failures = {}
    for path in examples:
        record = after_files[path]
        if record["status"] != "ok":
            failures[path] = "; ".join(record["errors"])
        elif path in differing:
            failures[path] = f"different {sorted(differing[path])}"
    return failures


# --providers for `fix`: none (the newest provider release allowing the target), and the
# provider versions of Airflow 2.0.2's constraints file (the releases the af20 env installs).
PROVIDER_PINS = {
    None: (),
    "2.0.2 constraints": ("--providers", REPO / "constraints" / "airflow-2.0.2-py3.8.txt"),
}


@pytest.mark.parametrize(
    "env, target, pins", [(*key, None) for key in KNOWN_FAILURES] + [("af20", "2.0", "2.0.2 constraints")]
)
def test_examples_after_fix_build_the_same_dags(corpus, tmp_path, env, target, pins):
    started = time.monotonic()
    # The 1.10.15 side is the snapshot taken once for the module (--before-snapshot); the after
    # side is `fix` on a temporary copy and a snapshot in the target env, done by `verify` itself.
    result = run_cli(
        "verify",
        "--before-snapshot",
        corpus["before"],
        "--after-env",
        airflow_python(env),
        corpus["dir"],
        "--fix",
        "--target",
        target,
        "--save-snapshots",
        tmp_path,
        "--output-format",
        "json",
        *PROVIDER_PINS[pins],
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    before = json.loads((tmp_path / "before.json").read_text())
    after = json.loads((tmp_path / "after.json").read_text())
    assert after["airflow_version"] == AIRFLOW_VERSIONS[env]

    failures = same_dag_failures(before, after, report)
    examples = sum(1 for record in dag_files(before).values() if record["status"] == "ok")
    share = 1 - len(failures) / examples
    print(
        f"\n{env} --target {target}: {examples - len(failures)} of {examples} example DAG files "
        f"({share:.0%}) build the same dag ids, task ids and edges; verify says: {report['summary']['line']} "
        f"[{time.monotonic() - started:.0f} s]"
    )
    for path, reason in sorted(failures.items()):
        print(f"  {path}: {reason}")
    known = KNOWN_FAILURES[(env, target)]
    assert sorted(failures) == sorted(known), failures
    for path, reason in known.items():
        assert reason in failures[path], (path, failures[path])
    assert share >= FLOORS[(env, target)]
