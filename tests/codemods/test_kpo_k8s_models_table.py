"""codemods/_kpo_k8s_models.py is what scripts/gen_kpo_k8s_models.py generates from the real clients."""

import subprocess
import sys

from codemods._kpo_k8s_models import K8S_MODELS, LEGACY_V1VOLUME_ATTRS
from tests.airflow_envs import REPO, airflow_python


def test_generated_model_table_has_not_drifted():
    for env in ("af110", "af20", "af2"):
        airflow_python(env)  # a missing env fails here, with the command that builds it
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_kpo_k8s_models.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (
        "run `python scripts/gen_kpo_k8s_models.py`:\n" + result.stdout[-3000:] + result.stderr[-2000:]
    )


def test_table_covers_the_volume_sources_dags_use():
    volume = K8S_MODELS["V1Volume"]["fields"]
    for snake, json_name in [
        ("persistent_volume_claim", "persistentVolumeClaim"),
        ("config_map", "configMap"),
        ("secret", "secret"),
        ("empty_dir", "emptyDir"),
        ("host_path", "hostPath"),
        ("nfs", "nfs"),
        ("projected", "projected"),
        ("downward_api", "downwardAPI"),
    ]:
        assert volume[snake][0] == json_name and snake in LEGACY_V1VOLUME_ATTRS
    assert K8S_MODELS["V1PersistentVolumeClaimVolumeSource"]["required"] == ("claim_name",)
