"""AU120 + AU121 end to end: the pod the rewritten KubernetesPodOperator builds is the 1.10 pod.

A 1.10 task with every contrib model (positional model arguments, a resources dict, node_selectors,
Secrets, and the dict/str arguments the providers still convert: affinity, tolerations,
image_pull_secrets, configmaps, security_context) builds its pod request in the Airflow 1.10.15 env (`create_pod_request_obj`);
after `fix` the same task builds it with the cncf.kubernetes provider of Airflow 2.0.2 (1.2.0,
`create_pod_request_obj`) and of the latest 2.x (10.x, `build_pod_request_obj(dry_run=True)`).
The parts of the pod the migrated arguments describe must serialize identically.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.airflow_envs import run_json
from tests.codemods.helpers import run_fix

DAG_1_10 = """\
from datetime import datetime

from airflow import DAG
from airflow.contrib.kubernetes.pod import Port, Resources
from airflow.contrib.kubernetes.pod_runtime_info_env import PodRuntimeInfoEnv
from airflow.contrib.kubernetes.secret import Secret
from airflow.contrib.kubernetes.volume import Volume
from airflow.contrib.kubernetes.volume_mount import VolumeMount
from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator

dag = DAG("kpo", start_date=datetime(2021, 1, 1), schedule_interval=None)

t = KubernetesPodOperator(
    namespace="jobs",
    image="python:3.8",
    name="job-pod",
    cmds=["python", "-c"],
    arguments=["print(1)"],
    task_id="job",
    ports=[Port("http", 8080)],
    volumes=[
        Volume("data", {"persistentVolumeClaim": {"claimName": "pvc"}}),
        Volume("cfg", {"configMap": {"name": "cm", "items": [{"key": "a", "path": "b"}]}}),
    ],
    volume_mounts=[VolumeMount("data", "/data", None, False), VolumeMount("cfg", "/etc/cfg", "b", True)],
    secrets=[Secret("env", "password", "db-secret", "pw"), Secret("volume", "/etc/tls", "tls-secret")],
    env_vars={"MODE": "batch"},
    pod_runtime_info_envs=[PodRuntimeInfoEnv("POD_IP", "status.podIP")],
    resources={"request_memory": "1Gi", "request_cpu": "500m", "limit_memory": "2Gi", "limit_gpu": 1},
    node_selectors={"pool": "batch"},
    tolerations=[{"key": "dedicated", "operator": "Equal", "value": "batch", "effect": "NoSchedule"}],
    is_delete_operator_pod=True,
    affinity={"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "pool", "operator": "In", "values": ["batch"]}]},
    ]}}},
    image_pull_secrets="regcred,other",
    configmaps=["settings"],
    security_context={"runAsUser": 1000},
    service_account_name="runner",
    dag=dag,
)
"""

BUILD_POD = """\
import json, re, sys, warnings
warnings.simplefilter("ignore")
from kubernetes.client import ApiClient
namespace = {}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
task = namespace["t"]
if hasattr(task, "build_pod_request_obj"):
    pod = task.build_pod_request_obj(dry_run=True)
else:
    pod = task.create_pod_request_obj()
pod = ApiClient().sanitize_for_serialization(pod)
spec, container = pod["spec"], pod["spec"]["containers"][0]
# The providers attach Secrets after the user's volumes/env, 1.10 before them: the order of
# volumes, mounts and env vars without $(VAR) references does not matter to Kubernetes.
def unordered(items):
    return sorted(items or [], key=lambda item: json.dumps(item, sort_keys=True))
env = unordered(container.get("env"))
# Secret volumes get a random name per pod (`secretvol<uuid4>`), in 1.10 and in every provider
text = re.sub(r"secret-?vol[-0-9a-f]+", "secretvol", json.dumps({
    "namespace": pod["metadata"]["namespace"],
    "image": container["image"],
    "command": container.get("command"),
    "args": container.get("args"),
    "ports": container.get("ports"),
    "volumes": unordered(spec.get("volumes")),
    "volume_mounts": unordered(container.get("volumeMounts")),
    "env": env,
    "env_from": container.get("envFrom") or None,
    "resources": {k: v for k, v in container.get("resources", {}).items() if v},
    "node_selector": spec.get("nodeSelector"),
    "tolerations": spec.get("tolerations"),
    "affinity": spec.get("affinity"),
    "image_pull_secrets": spec.get("imagePullSecrets"),
    "security_context": spec.get("securityContext"),
    "service_account": spec.get("serviceAccountName"),
}, sort_keys=True))
print(json.dumps({"pod": json.loads(text), "deletes_pod": str(getattr(task, "on_finish_action", None) or
                                                              task.is_delete_operator_pod)}))
"""


def build_pod(env: str, source: str, tmp_path) -> dict:
    dag_file = tmp_path / f"dag_{env}.py"
    dag_file.write_text(source)
    return run_json(env, BUILD_POD, str(dag_file), home=tmp_path / f"home_{env}")


@pytest.mark.parametrize(
    "target, env, deletes",
    [
        ("2.0", "af20", "True"),
        ("2", "af2", "OnFinishAction.DELETE_POD"),
        ("3", "af3", "OnFinishAction.DELETE_POD"),
    ],
)
def test_fixed_operator_builds_the_1_10_pod(target, env, deletes, tmp_path):
    _, result = run_fix(DAG_1_10, target=target)
    assert result.error is None and result.new_source is not None
    new_source = result.new_source.decode()
    assert "airflow.contrib" not in new_source, new_source
    old = build_pod("af110", textwrap.dedent(DAG_1_10), tmp_path)
    new = build_pod(env, new_source, tmp_path)
    assert old["deletes_pod"] == "True" and new["deletes_pod"] == deletes
    assert new["pod"] == old["pod"]
    assert old["pod"]["resources"] == {
        "limits": {"memory": "2Gi", "nvidia.com/gpu": 1},
        "requests": {"cpu": "500m", "memory": "1Gi"},
    }
    assert old["pod"]["image_pull_secrets"] == [{"name": "regcred"}, {"name": "other"}]
    assert old["pod"]["env_from"] == [{"configMapRef": {"name": "settings"}}]
    assert old["pod"]["affinity"]["nodeAffinity"] and old["pod"]["security_context"] == {"runAsUser": 1000}
    assert len(old["pod"]["volumes"]) == 3 and old["pod"]["ports"] == [
        {"containerPort": 8080, "name": "http"}
    ]


DAG_RESOURCES_CONSTANT = """\
from datetime import datetime

from airflow import DAG
from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator

dag = DAG("kpo", start_date=datetime(2021, 1, 1), schedule_interval=None)

compute_resources = {'request_cpu': '200m', 'request_memory': '1Gi', 'limit_cpu': '200m', 'limit_memory': '1Gi'}

t = KubernetesPodOperator(
    namespace="jobs",
    image="python:3.8",
    name="job-pod",
    task_id="job",
    resources=compute_resources,
    service_account_name="runner",
    dag=dag,
)
"""


def test_resources_from_a_module_constant_build_the_1_10_pod(tmp_path):
    # Airflow 2.x's BaseOperator takes a `resources` dict of its own (cpus, ram, ...): the 1.10
    # pod resources passed by name fail the DAG import there until they are rewritten.
    rejected = tmp_path / "rejected"
    rejected.mkdir()
    unfixed = DAG_RESOURCES_CONSTANT.replace(
        "airflow.contrib.operators.kubernetes_pod_operator", "airflow.providers.cncf.kubernetes.operators.pod"
    )
    with pytest.raises(AssertionError, match="request_cpu"):
        build_pod("af2", unfixed, rejected)
    _, result = run_fix(DAG_RESOURCES_CONSTANT, target="2")
    assert result.error is None and result.new_source is not None
    new_source = result.new_source.decode()
    assert "container_resources=k8s.V1ResourceRequirements(" in new_source, new_source
    old = build_pod("af110", DAG_RESOURCES_CONSTANT, tmp_path)
    new = build_pod("af2", new_source, tmp_path)
    assert old["pod"]["resources"] == {
        "limits": {"cpu": "200m", "memory": "1Gi"},
        "requests": {"cpu": "200m", "memory": "1Gi"},
    }
    assert new["pod"] == old["pod"]
