"""compat.operators.pod_resources / pod_on_finish (what `fix --bridge` writes for 1.10's
KubernetesPodOperator `resources={...}` and `is_delete_operator_pod=`) give the pod the 1.10 form
gave it on 1.10.15, on every Airflow: the same container resources in the pod the operator
builds, the same choice to delete it when it finishes. Real operators of the tox envs; the
kube config only names a cluster (nothing is contacted: the pod is built, not created)."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.airflow_envs import REPO, airflow_env_vars, airflow_python

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
users: [{name: u, user: {token: t}}]
"""

PROBE = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[1])
from datetime import datetime
from compat.dag import DAG
from compat.operators import KubernetesPodOperator, pod_on_finish, pod_resources

RESOURCES = {"request_cpu": "100m", "request_memory": "", "limit_memory": "512Mi", "limit_gpu": 0}
with DAG("probe", start_date=datetime(2021, 1, 1)) as dag:
    if sys.argv[2] == "1.10":  # the team's 1.10 spelling, on 1.10.15 only
        tasks = [
            KubernetesPodOperator(task_id="kept", name="p", namespace="ns", image="x", resources=RESOURCES,
                                  is_delete_operator_pod=False),
            KubernetesPodOperator(task_id="deleted", name="p", namespace="ns", image="x", is_delete_operator_pod=True),
        ]
    else:
        tasks = [
            KubernetesPodOperator(task_id="kept", name="p", namespace="ns", image="x", **pod_resources(**RESOURCES),
                                  **pod_on_finish(False)),
            KubernetesPodOperator(task_id="deleted", name="p", namespace="ns", image="x", **pod_on_finish(True)),
        ]
out = {}
for task in tasks:
    build = getattr(task, "build_pod_request_obj", None) or task.create_pod_request_obj
    resources = build().spec.containers[0].resources
    resources = {k: v for k, v in resources.to_dict().items() if v} if resources else {}
    if hasattr(task, "on_finish_action"):  # cncf.kubernetes provider 7+
        deletes = task.on_finish_action.value == "delete_pod"
    else:
        deletes = task.is_delete_operator_pod
    out[task.task_id] = {"resources": resources, "deletes": deletes}
print(json.dumps(out))
"""


def probe(env: str, spelling: str, tmp_path) -> dict:
    (tmp_path / "kubeconfig").write_text(KUBECONFIG)
    environ = airflow_env_vars(env, tmp_path / f"home-{env}", KUBECONFIG=str(tmp_path / "kubeconfig"))
    result = subprocess.run(
        [str(airflow_python(env)), "-c", PROBE, str(REPO), spelling],
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("env", ["af110", "af20", "af2", "af3"])
def test_helpers_give_the_pod_what_the_1_10_arguments_gave_it(env, tmp_path):
    original = probe("af110", "1.10", tmp_path)
    assert original == {
        "kept": {"resources": {"limits": {"memory": "512Mi"}, "requests": {"cpu": "100m"}}, "deletes": False},
        "deleted": {"resources": {}, "deletes": True},
    }
    assert probe(env, "compat", tmp_path) == original
