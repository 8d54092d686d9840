"""Bridge mode on real Airflow: the reference team's 1.10 DAG repo (tests/fixtures/dags_1_10) after
`fix --bridge` (and `compat vendor`, which ships the runtime layer the bridged code imports)
loads and builds the same DAG on 1.10.15 and on the target at once, which is what the git-sync
rollout needs (one commit parsed by the old and the new schedulers): 1.10.15 + 2.0.2 for
`--target 2.0`, 1.10.15 + 2.0.2 + 2.11.2 for `--target 2`, 1.10.15 + 3.3.2 for `--target 3`.
A second bridge fix changes nothing; closing the bridge afterwards gives exactly what a plain
`fix` gives.

What the fixture needs bridged beyond the import pairs: KubernetesPodOperator's `resources={...}`
dict (2.11's provider wants `container_resources=`, 1.10 only the dict) as `**pod_resources(...)`;
on 3.x also `schedule_interval=` as `**schedule_argument(...)` and `provide_context=True` as
`**provide_context_kwargs(True)` (docs/bridge.md)."""

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


def _fixed_copy(tmp_path: Path, name: str, *flags: str, package: str = "compat") -> Path:
    folder = tmp_path / name
    shutil.copytree(FIXTURE, folder)
    if "--bridge" in flags:
        (folder / "pyproject.toml").write_text(f'[tool.airflow-upgrade]\ncompat-package = "{package}"\n')
        vendored = run_cli("compat", "vendor", folder)  # the package name from the same settings
        assert vendored.returncode == 1, vendored.stdout + vendored.stderr
    result = run_cli("fix", "--no-cache", *flags, folder)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "error" not in result.stderr, result.stderr
    return folder


def _sources(folder: Path, package: str) -> dict[str, bytes]:
    """The DAG repo's own .py files (not the vendored copy of compat/)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*.py"))
        if path.relative_to(folder).parts[0] != package
    }


def _load(env: str, folder: Path, tmp_path: Path) -> dict:
    return run_json(env, LOAD, str(folder), home=tmp_path / f"home-{env}-{folder.name}")


@pytest.mark.parametrize(
    ("target", "envs", "package"),
    [
        ("2.0", ("af110", "af20"), "compat"),
        ("2", ("af110", "af20", "af2"), "compat"),
        ("3", ("af110", "af3"), "dag_compat"),  # the package name comes from the repo's settings
    ],
)
def test_bridged_fixture_builds_the_same_dag_on_1_10_and_the_target(tmp_path, target, envs, package):
    original = _load("af110", FIXTURE, tmp_path)
    assert original["errors"] == {} and original["dags"], original
    bridged = _fixed_copy(tmp_path, f"bridged{target}", "--target", target, "--bridge", package=package)
    fixed = _sources(bridged, package)
    assert fixed != _sources(FIXTURE, package)
    for env in envs:
        loaded = _load(env, bridged, tmp_path)
        assert loaded["errors"] == {}, (env, loaded["errors"])
        assert loaded["dags"] == original["dags"], env
    again = run_cli("fix", "--no-cache", "--target", target, "--bridge", bridged)
    assert again.returncode in (0, 1) and "Found 0 fixed in 0 file(s)" in again.stdout, (
        again.stdout + again.stderr
    )
    assert _sources(bridged, package) == fixed


@pytest.mark.parametrize("target", ["2", "3"])
def test_closing_the_bridge_gives_the_plain_fix(tmp_path, target):
    bridged = _fixed_copy(tmp_path, "closed", "--target", target, "--bridge")
    result = run_cli("fix", "--no-cache", "--target", target, "--close-bridge", bridged)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    plain = _fixed_copy(tmp_path, "plain", "--target", target)
    assert _sources(bridged, "compat") == _sources(plain, "compat")
