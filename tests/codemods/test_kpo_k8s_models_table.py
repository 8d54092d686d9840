"""What codemods/_kpo_k8s_models.py (scripts/gen_kpo_k8s_models.py, from the real clients; drift:
tests/test_generated_data.py) holds."""

from codemods._kpo_k8s_models import K8S_MODELS, LEGACY_V1VOLUME_ATTRS


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
