"""Corpus test for Airflow 3: the 1.10.15 example DAGs after `fix --target 3`, loaded on real 3.x.

Same measure as tests/corpus/test_example_dags.py (same dag ids, task ids and edges as on
1.10.15, through `airflow-upgrade verify`), next to what ruff's AIR rules
(`ruff check --select AIR --fix --unsafe-fixes --preview`) achieve on the same input.
Measured: 17 of 27 files (63%) for `fix --target 3`; 0 of 27 for ruff 0.17.6.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.airflow_envs import airflow_python
from tests.corpus import test_example_dags as base
from tests.corpus.test_example_dags import SAME_DAG_FIELDS, dag_files, run_cli

# The 1.10.15 copy + snapshot fixture of the 2.x corpus test (module scope: taken once here).
examples_1_10 = base.corpus

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

KNOWN_FAILURES = {
    # provider distributions the af3 env does not install (constraints/airflow-3.3.2-py3.11.txt)
    "contrib/example_dags/example_databricks_operator.py": "No module named 'airflow.providers.databricks'",
    "contrib/example_dags/example_dingding_operator.py": "No module named 'airflow.providers.dingding'",
    "contrib/example_dags/example_twitter_dag.py": "No module named 'airflow.providers.apache'",
    "example_dags/example_http_operator.py": "No module named 'airflow.providers.http'",
    "example_dags/example_pig_operator.py": "No module named 'airflow.providers.apache'",
    # imports airflow.contrib.example_dags.libs.helper / airflow.example_dags.subdags: 1.10 wheel only
    "example_dags/example_kubernetes_executor_config.py": "No module named 'airflow.contrib'",
    "example_dags/example_subdag_operator.py": "No module named 'airflow.example_dags.subdags'",
    # `airflow.utils.helpers.chain` attribute use (AU101's table), python_callable= (AU130, no safe fix)
    "example_dags/example_short_circuit_operator.py": "has no attribute 'chain'",
    "example_dags/example_trigger_controller_dag.py": "Invalid arguments were passed to TriggerDagRunOperator",
}
FLOOR = 0.62


def failures_of(report: dict, before: dict, after: dict) -> tuple[list[str], dict[str, str]]:
    examples = [path for path, record in dag_files(before).items() if record["status"] == "ok"]
    after_files = {record["path"]: record for record in after["files"]}
    differing = {}
    for dag in report["dags"]:
        fields = {difference["field"] for difference in dag["differences"]}
        if dag["status"] in ("missing", "new") or fields & SAME_DAG_FIELDS:
            differing.setdefault(dag["path"], dag["status"] if dag["status"] == "missing" else str(sorted(fields)))
    failures = {}
    for path in examples:
        record = after_files[path]
        if record["status"] != "ok":
            failures[path] = "; ".join(record["errors"])
        elif path in differing:
            failures[path] = differing[path]
    return examples, failures


def verify(snapshot, directory, saved, *extra) -> tuple[list[str], dict[str, str], dict]:
    result = run_cli(
        "verify", "--before-snapshot", snapshot["before"], "--after-env", airflow_python("af3"), directory,
        *extra, "--save-snapshots", saved, "--output-format", "json",
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    before = json.loads((saved / "before.json").read_text())
    after = json.loads((saved / "after.json").read_text())
    assert after["airflow_version"].startswith("3.")
    examples, failures = failures_of(report, before, after)
    return examples, failures, report


@pytest.fixture(scope="module")
def ours(examples_1_10, tmp_path_factory):
    return verify(examples_1_10, examples_1_10["dir"], tmp_path_factory.mktemp("t3"), "--fix", "--target", "3")


def test_examples_after_fix_target_3_build_the_same_dags_on_airflow_3(ours):
    examples, failures, report = ours
    share = 1 - len(failures) / len(examples)
    print(f"\naf3 --target 3: {len(examples) - len(failures)} of {len(examples)} ({share:.0%}); {report['summary']['line']}")
    for path, reason in sorted(failures.items()):
        print(f"  {path}: {reason}")
    assert sorted(failures) == sorted(KNOWN_FAILURES), failures
    for path, reason in KNOWN_FAILURES.items():
        assert reason in failures[path], (path, failures[path])
    assert share >= FLOOR


def test_ruff_air_fixes_build_fewer_same_dags(ours, examples_1_10, tmp_path):
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(sys.executable).rsplit("/", 1)[0])
    assert ruff, "ruff is needed for the comparison (tox env `tool` installs ruff==0.17.6)"
    copy = tmp_path / "ruff_copy"
    shutil.copytree(examples_1_10["dir"], copy)
    subprocess.run(
        [ruff, "check", "--isolated", "--no-cache", "--select", "AIR", "--fix", "--unsafe-fixes", "--preview", str(copy)],
        capture_output=True, text=True, timeout=300,
    )
    examples, ruff_failures, report = verify(examples_1_10, copy, tmp_path / "saved")
    _, our_failures, _ = ours
    ruff_share = 1 - len(ruff_failures) / len(examples)
    our_share = 1 - len(our_failures) / len(examples)
    print(f"\nruff AIR --fix --unsafe-fixes: {ruff_share:.0%} of {len(examples)}; airflow-upgrade fix --target 3: {our_share:.0%}")
    assert set(ruff_failures) >= set(our_failures)
    assert our_share > ruff_share
