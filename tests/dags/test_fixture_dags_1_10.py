"""tests/fixtures/dags_1_10 is the reference DAG repo in its original Airflow 1.10 form: it loads
on 1.10.15 (and on 2.0.2, which still ships the contrib/*_operator shims and accepts the 1.10
arguments with deprecation warnings) with the same shape as dags/, and does NOT load unchanged on
2.11 (KubernetesPodOperator's resources dict) nor 3.x (airflow.contrib removed): that is what
`airflow-upgrade fix` is for. Loaded in a subprocess: the fixture's own monkey patch replaces
FileTaskHandler._read at parse time and must not leak into the other tests."""

import json
import os
import subprocess
import sys

from tests.dags.airflow_runtime import VERSION
from tests.dags.test_reference_dag import EXPECTED_EDGES

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE_DAGS = os.path.join(REPO, "tests", "fixtures", "dags_1_10")

PROBE = r"""
import inspect, json, sys
from airflow.models import DagBag
kwargs = {"include_examples": False} if "include_examples" in inspect.signature(DagBag.__init__).parameters else {}
bag = DagBag(dag_folder=sys.argv[1], **kwargs)
dag = bag.dags.get("test_dag")
print(json.dumps({
    "errors": {k.rsplit("/", 1)[-1]: v[-300:] for k, v in bag.import_errors.items()},
    "edges": sorted([t.task_id, d] for t in dag.tasks for d in t.downstream_task_ids) if dag else None,
}))
"""


def _load_fixture_dags():
    env = dict(os.environ, AIRFLOW__CORE__DAGS_FOLDER=FIXTURE_DAGS, PYTHONPATH=REPO)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, FIXTURE_DAGS], capture_output=True, text=True, timeout=240, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_original_1_10_dags_load_on_1_10_and_2_0_only():
    report = _load_fixture_dags()
    if VERSION < (2, 1, 0):
        assert report["errors"] == {}
        assert {tuple(edge) for edge in report["edges"]} == EXPECTED_EDGES
    else:
        assert "test_dag.py" in report["errors"]
        assert report["edges"] is None
