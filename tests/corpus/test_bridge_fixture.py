"""Bridge mode on real Airflow: the reference team's 1.10 DAG repo (tests/fixtures/dags_1_10) after
`fix --bridge` loads and builds the same DAG on 1.10.15 and on the target at once, which is what
the git-sync rollout needs (one commit parsed by the old and the new schedulers). Closing the
bridge afterwards gives exactly what a plain `fix` gives.

Not bridged yet, so not loaded here on 2.11.2 / 3.3.2: the fixture's KubernetesPodOperator
`resources={...}` dict (AU121: 2.11's provider wants `container_resources=`; 1.10 only the dict)
and, for 3.x, `schedule_interval=` (AU301) and `provide_context=` (AU110). Bridge mode reports
them; their bridged form needs the compat layer in the DAG repo (compat.operators.pod_resources,
compat.dag.schedule_kwargs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.airflow_envs import run_json
from tests.corpus.test_example_dags import run_cli

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dags_1_10"

LOAD = r"""
import inspect, json, sys, warnings
folder = sys.argv[1]
sys.path.insert(0, folder)
from airflow.models import DagBag
kwargs = {"include_examples": False} if "include_examples" in inspect.signature(DagBag.__init__).parameters else {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    bag = DagBag(dag_folder=folder, **kwargs)
print(json.dumps({
    "errors": {k.rsplit("/", 1)[-1]: v[-400:] for k, v in bag.import_errors.items()},
    "dags": {
        dag_id: sorted([t.task_id, d] for t in dag.tasks for d in t.downstream_task_ids)
        for dag_id, dag in bag.dags.items()
    },
}))
"""


def _fixed_copy(tmp_path: Path, name: str, *flags: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(FIXTURE, folder)
    result = run_cli("fix", "--no-cache", *flags, folder)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return folder


def _load(env: str, folder: Path, tmp_path: Path) -> dict:
    return run_json(env, LOAD, str(folder), home=tmp_path / f"home-{env}-{folder.name}")


@pytest.mark.parametrize(
    ("target", "envs"),
    [("2.0", ("af110", "af20")), ("2", ("af110", "af20"))],
)
def test_bridged_fixture_builds_the_same_dag_on_1_10_and_the_target(tmp_path, target, envs):
    original = _load("af110", FIXTURE, tmp_path)
    assert original["errors"] == {} and original["dags"], original
    bridged = _fixed_copy(tmp_path, f"bridged{target}", "--target", target, "--bridge")
    for env in envs:
        loaded = _load(env, bridged, tmp_path)
        assert loaded["errors"] == {}, (env, loaded["errors"])
        assert loaded["dags"] == original["dags"], env


def test_closing_the_bridge_gives_the_plain_fix(tmp_path):
    bridged = _fixed_copy(tmp_path, "closed", "--target", "2", "--bridge")
    result = run_cli("fix", "--no-cache", "--target", "2", "--close-bridge", bridged)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    plain = _fixed_copy(tmp_path, "plain", "--target", "2")
    for path in sorted(plain.rglob("*.py")):
        assert (bridged / path.relative_to(plain)).read_bytes() == path.read_bytes(), path
