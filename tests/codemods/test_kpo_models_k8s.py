"""AU120 against the real kubernetes clients: the rewritten models serialize like the 1.10 ones.

The 1.10 source runs in the Airflow 1.10.15 env (its `to_k8s_client_obj()` is what the 1.10
KubernetesPodOperator attached to the pod); the rewritten source runs in the Airflow 2.0.2 env
(kubernetes 11) and the latest 2.x env (kubernetes 36). Both sides go through
`ApiClient().sanitize_for_serialization`, i.e. the JSON the API server receives.
"""

from __future__ import annotations

import textwrap

import pytest

from tests.airflow_envs import run_json
from tests.codemods.helpers import run_fix

MODELS_1_10 = """\
from airflow.contrib.kubernetes.volume import Volume
from airflow.contrib.kubernetes.volume_mount import VolumeMount
from airflow.contrib.kubernetes.pod import Port, Resources
from airflow.contrib.kubernetes.pod_runtime_info_env import PodRuntimeInfoEnv
from airflow.kubernetes import volume as core_volume

OBJECTS = [
    Volume("data", {"persistentVolumeClaim": {"claimName": "pvc", "readOnly": True}}),
    Volume(name="cfg", configs={"configMap": {"name": "cm", "defaultMode": 420,
                                              "items": [{"key": "a", "path": "b", "mode": 256}]}}),
    Volume("sec", {"secret": {"secretName": "s", "optional": True, "items": [{"key": "k", "path": "p"}]}}),
    Volume("scratch", {"emptyDir": {"medium": "Memory", "sizeLimit": "1Gi"}}),
    Volume("empty", {"emptyDir": {}}),
    Volume("host", {"hostPath": {"path": "/tmp", "type": "Directory"}}),
    Volume("proj", {"projected": {"sources": [
        {"secret": {"name": "s1"}},
        {"configMap": {"name": "c1", "items": [{"key": "k", "path": "p"}]}},
    ]}}),
    Volume("nfs", {"nfs": {"server": "srv", "path": "/x", "readOnly": False}}),
    core_volume.Volume("down", {"downward_api": {"items": [
        {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
    ]}}),
    Volume("two", {"emptyDir": {}, "hostPath": {"path": "/y"}}),
    VolumeMount("data", "/data", None, True),
    VolumeMount(name="cfg", mount_path="/etc/c", sub_path="x", read_only=False),
    Port("http", 8080),
    Port(container_port=9090),
    Resources(request_memory="1Gi", request_cpu="500m", limit_memory="2Gi", limit_cpu=2, limit_gpu=1,
              request_ephemeral_storage="1Gi", limit_ephemeral_storage="2Gi"),
    Resources(limit_cpu="1", limit_gpu=None, request_cpu=""),
    PodRuntimeInfoEnv("POD_IP", "status.podIP"),
    PodRuntimeInfoEnv(field_path="metadata.namespace", name="NS"),
    Resources("1Gi", "500m", None, "2Gi", 1),  # 1.10.15 order: request_ephemeral_storage is third
]
"""

SERIALIZE = """\
import json, sys, warnings
warnings.simplefilter("ignore")
from kubernetes.client import ApiClient
namespace = {}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
client = ApiClient()
out = []
for obj in namespace["OBJECTS"]:
    convert = getattr(obj, "to_k8s_client_obj", None)  # the 1.10 models
    out.append(client.sanitize_for_serialization(convert() if convert else obj))
print(json.dumps(out))
"""


def serialize(env: str, source: str, tmp_path) -> list:
    module = tmp_path / f"models_{env}.py"
    module.write_text(source)
    return run_json(env, SERIALIZE, str(module), home=tmp_path / f"home_{env}")


def without_empty_resource_sections(obj: dict) -> dict:
    # 1.10's Resources always set both `limits` and `requests` (possibly `{}`); the rewrite
    # omits an empty one. For the API an empty and an absent requests/limits map are the same.
    if set(obj) <= {"limits", "requests", "claims"}:
        return {k: v for k, v in obj.items() if v != {}}
    return obj


@pytest.mark.parametrize("target, env", [("2.0", "af20"), ("2", "af2")])
def test_rewritten_models_serialize_like_the_1_10_models(target, env, tmp_path):
    _, result = run_fix(MODELS_1_10, target=target, select=["AU120"])
    assert result.error is None and result.new_source is not None
    new_source = result.new_source.decode()
    assert [d for d in result.diagnostics if not d.applied] == []
    assert "airflow" not in new_source  # nothing of 1.10 left to import on Airflow 2
    old = serialize("af110", textwrap.dedent(MODELS_1_10), tmp_path)
    new = serialize(env, new_source, tmp_path)
    assert len(old) == len(new) == 19
    for index, (before, after) in enumerate(zip(old, new)):
        assert without_empty_resource_sections(after) == without_empty_resource_sections(before), index
    # the pruning above only ever drops empty resource maps
    assert old[15] == {"limits": {"cpu": "1"}, "requests": {}} and new[15] == {"limits": {"cpu": "1"}}
    assert old[18] == {"limits": {"cpu": 1, "memory": "2Gi"}, "requests": {"cpu": "500m", "memory": "1Gi"}}
