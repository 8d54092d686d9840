"""Turn 1.10's [kubernetes] worker settings into the pod_template_file Airflow 2.0 requires.

Airflow 1.10's KubernetesExecutor built the worker pod from ~40 config options
(airflow/contrib/kubernetes/worker_configuration.py); 2.0 removed them and reads a pod
template YAML instead (the container that runs the task must be named "base"). This module
rebuilds the pod 1.10 would have built, as a plain dict, and validates it by round-tripping it
through the real kubernetes client models, as Airflow's PodGenerator.deserialize_model_file does.
"""

from __future__ import annotations

import json

# The official 2.x image's AIRFLOW_HOME; the configmaps are mounted relative to it.
WORKER_AIRFLOW_HOME = "/opt/airflow"
DAGS_VOLUME = "airflow-dags"
LOGS_VOLUME = "airflow-logs"
CONFIG_VOLUME = "airflow-config"
LOCAL_SETTINGS_VOLUME = "airflow-local-settings"
GIT_SSH_VOLUME = "git-sync-ssh-key"
GIT_KNOWN_HOSTS_VOLUME = "git-sync-known-hosts"


class PodTemplateError(Exception):
    """The [kubernetes] settings do not make a valid V1Pod."""


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() in {"true", "t", "1", "yes"}


def _csv(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _json(value: str | None, option: str):
    if not (value or "").strip():
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise PodTemplateError(f"[kubernetes] {option} is not JSON: {exc.msg}") from exc


def _int(value: str | None, option: str) -> int | None:
    if not (value or "").strip():
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise PodTemplateError(f"[kubernetes] {option} = {value!r} is not an integer") from exc


def build_pod_template(
    kube: dict[str, str],
    extra_sections: dict[str, dict[str, str]],
    core: dict[str, str],
    logging: dict[str, str],
) -> dict:
    """The worker pod 1.10 described with `kube` ([kubernetes]) and the [kubernetes_*] sections.

    `core` and `logging` are the user's [core] and [logging] values (after migration), used for
    the dags folder, the log folder and S3 (remote) logging.
    """
    dags_folder = core.get("dags_folder") or f"{WORKER_AIRFLOW_HOME}/dags"
    base_log_folder = logging.get("base_log_folder") or f"{WORKER_AIRFLOW_HOME}/logs"
    env = [{"name": "AIRFLOW__CORE__EXECUTOR", "value": "LocalExecutor"}]
    volumes: list[dict] = []
    mounts: list[dict] = []
    init_containers: list[dict] = []

    worker_dags_folder = _dags_volume(kube, dags_folder, volumes, mounts, init_containers)
    if worker_dags_folder != dags_folder:
        env.append({"name": "AIRFLOW__CORE__DAGS_FOLDER", "value": worker_dags_folder})
    _logs_volume(kube, base_log_folder, volumes, mounts)
    _configmaps(kube, volumes, mounts)
    env.extend(_remote_logging_env(logging))
    env.extend(
        {"name": k, "value": v} for k, v in extra_sections.get("kubernetes_environment_variables", {}).items()
    )
    env.extend(_secret_env(extra_sections.get("kubernetes_secrets", {})))

    image = kube.get("worker_container_repository", "")
    if image and kube.get("worker_container_tag"):
        image = f"{image}:{kube['worker_container_tag']}"
    base = {"name": "base", "image": image or "apache/airflow", "env": env}
    if kube.get("worker_container_image_pull_policy"):
        base["imagePullPolicy"] = kube["worker_container_image_pull_policy"]
    env_from = [{"configMapRef": {"name": n}} for n in _csv(kube.get("env_from_configmap_ref"))]
    env_from += [{"secretRef": {"name": n}} for n in _csv(kube.get("env_from_secret_ref"))]
    if env_from:
        base["envFrom"] = env_from
    base["volumeMounts"] = mounts

    spec: dict = {}
    if init_containers:
        spec["initContainers"] = init_containers
    spec["containers"] = [base]
    spec["restartPolicy"] = "Never"
    spec["volumes"] = volumes
    if kube.get("worker_service_account_name"):
        spec["serviceAccountName"] = kube["worker_service_account_name"]
    security = {}
    if _int(kube.get("run_as_user"), "run_as_user") is not None:
        security["runAsUser"] = int(kube["run_as_user"])
    if _int(kube.get("fs_group"), "fs_group") is not None:
        security["fsGroup"] = int(kube["fs_group"])
    if security:
        spec["securityContext"] = security
    if _csv(kube.get("image_pull_secrets")):
        spec["imagePullSecrets"] = [{"name": n} for n in _csv(kube.get("image_pull_secrets"))]
    if extra_sections.get("kubernetes_node_selectors"):
        spec["nodeSelector"] = dict(extra_sections["kubernetes_node_selectors"])
    affinity = _json(kube.get("affinity"), "affinity")
    if affinity:
        spec["affinity"] = affinity
    tolerations = _json(kube.get("tolerations"), "tolerations")
    if tolerations:
        spec["tolerations"] = tolerations

    metadata: dict = {"name": "airflow-worker-template"}
    if kube.get("namespace"):
        metadata["namespace"] = kube["namespace"]
    if extra_sections.get("kubernetes_labels"):
        metadata["labels"] = dict(extra_sections["kubernetes_labels"])
    if extra_sections.get("kubernetes_annotations"):
        metadata["annotations"] = dict(extra_sections["kubernetes_annotations"])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}


def _dags_volume(kube, dags_folder, volumes, mounts, init_containers) -> str:
    """Add the DAGs volume 1.10 would mount; return the dags folder the worker must use."""
    if _true(kube.get("dags_in_image")):
        return dags_folder
    mount_point = kube.get("dags_volume_mount_point") or dags_folder
    if kube.get("dags_volume_claim"):
        volumes.append(
            {"name": DAGS_VOLUME, "persistentVolumeClaim": {"claimName": kube["dags_volume_claim"]}}
        )
    elif kube.get("dags_volume_host"):
        volumes.append({"name": DAGS_VOLUME, "hostPath": {"path": kube["dags_volume_host"]}})
    elif kube.get("git_repo"):
        return _git_sync(kube, dags_folder, volumes, mounts, init_containers)
    else:
        return dags_folder
    mount = {"name": DAGS_VOLUME, "mountPath": mount_point, "readOnly": True}
    if kube.get("dags_volume_subpath"):
        mount["subPath"] = kube["dags_volume_subpath"]
    mounts.append(mount)
    return mount_point


def _git_sync(kube, dags_folder, volumes, mounts, init_containers) -> str:
    # 1.10 ran git-sync once as an init container (GIT_SYNC_ONE_TIME) before the task; a
    # long-running sidecar would keep the worker pod alive after the task finished.
    root = kube.get("git_sync_root") or "/git"
    dest = kube.get("git_sync_dest") or "repo"
    mount_point = kube.get("git_dags_folder_mount_point") or dags_folder
    volumes.append({"name": DAGS_VOLUME, "emptyDir": {}})
    env = [
        {"name": "GIT_SYNC_REPO", "value": kube["git_repo"]},
        {"name": "GIT_SYNC_BRANCH", "value": kube.get("git_branch") or "master"},
        {"name": "GIT_SYNC_ROOT", "value": root},
        {"name": "GIT_SYNC_DEST", "value": dest},
        {"name": "GIT_SYNC_DEPTH", "value": kube.get("git_sync_depth") or "1"},
        {"name": "GIT_SYNC_ONE_TIME", "value": "true"},
    ]
    if kube.get("git_sync_rev"):
        env.append({"name": "GIT_SYNC_REV", "value": kube["git_sync_rev"]})
    if kube.get("git_sync_credentials_secret"):
        for name in ("GIT_SYNC_USERNAME", "GIT_SYNC_PASSWORD"):
            ref = {"name": kube["git_sync_credentials_secret"], "key": name}
            env.append({"name": name, "valueFrom": {"secretKeyRef": ref}})
    elif kube.get("git_user"):
        # 1.10 put git_password in plain config; keep it out of the pod spec: read it from a secret.
        env.append({"name": "GIT_SYNC_USERNAME", "value": kube["git_user"]})
    sync_mounts = [{"name": DAGS_VOLUME, "mountPath": root}]
    if kube.get("git_ssh_key_secret_name"):
        env.append({"name": "GIT_SSH_KEY_FILE", "value": "/etc/git-secret/ssh"})
        env.append({"name": "GIT_SYNC_SSH", "value": "true"})
        volumes.append(
            {
                "name": GIT_SSH_VOLUME,
                "secret": {
                    "secretName": kube["git_ssh_key_secret_name"],
                    "items": [{"key": "gitSshKey", "path": "ssh", "mode": 0o440}],
                },
            }
        )
        sync_mounts.append({"name": GIT_SSH_VOLUME, "mountPath": "/etc/git-secret/ssh", "subPath": "ssh"})
        if kube.get("git_ssh_known_hosts_configmap_name"):
            env.append({"name": "GIT_KNOWN_HOSTS", "value": "true"})
            env.append({"name": "GIT_SSH_KNOWN_HOSTS_FILE", "value": "/etc/git-secret/known_hosts"})
            volumes.append(
                {
                    "name": GIT_KNOWN_HOSTS_VOLUME,
                    "configMap": {"name": kube["git_ssh_known_hosts_configmap_name"]},
                }
            )
            sync_mounts.append(
                {
                    "name": GIT_KNOWN_HOSTS_VOLUME,
                    "mountPath": "/etc/git-secret/known_hosts",
                    "subPath": "known_hosts",
                }
            )
        else:
            env.append({"name": "GIT_KNOWN_HOSTS", "value": "false"})
    image = kube.get("git_sync_container_repository") or "k8s.gcr.io/git-sync"
    if kube.get("git_sync_container_tag"):
        image = f"{image}:{kube['git_sync_container_tag']}"
    container = {
        "name": kube.get("git_sync_init_container_name") or "git-sync-clone",
        "image": image,
        "env": env,
        "volumeMounts": sync_mounts,
    }
    if _int(kube.get("git_sync_run_as_user"), "git_sync_run_as_user") is not None:
        container["securityContext"] = {"runAsUser": int(kube["git_sync_run_as_user"])}
    init_containers.append(container)
    mounts.append({"name": DAGS_VOLUME, "mountPath": mount_point, "readOnly": True})
    parts = [mount_point.rstrip("/"), dest]
    if kube.get("git_subpath"):
        parts.append(kube["git_subpath"].strip("/"))
    return "/".join(parts)


def _logs_volume(kube, base_log_folder, volumes, mounts) -> None:
    if kube.get("logs_volume_claim"):
        volume = {"name": LOGS_VOLUME, "persistentVolumeClaim": {"claimName": kube["logs_volume_claim"]}}
    elif kube.get("logs_volume_host"):
        volume = {"name": LOGS_VOLUME, "hostPath": {"path": kube["logs_volume_host"]}}
    else:
        volume = {"name": LOGS_VOLUME, "emptyDir": {}}
    volumes.append(volume)
    mount = {"name": LOGS_VOLUME, "mountPath": base_log_folder}
    if kube.get("logs_volume_subpath"):
        mount["subPath"] = kube["logs_volume_subpath"]
    mounts.append(mount)


def _configmaps(kube, volumes, mounts) -> None:
    if kube.get("airflow_configmap"):
        volumes.append({"name": CONFIG_VOLUME, "configMap": {"name": kube["airflow_configmap"]}})
        mounts.append(
            {
                "name": CONFIG_VOLUME,
                "mountPath": f"{WORKER_AIRFLOW_HOME}/airflow.cfg",
                "subPath": "airflow.cfg",
                "readOnly": True,
            }
        )
    if kube.get("airflow_local_settings_configmap"):
        volumes.append(
            {"name": LOCAL_SETTINGS_VOLUME, "configMap": {"name": kube["airflow_local_settings_configmap"]}}
        )
        mounts.append(
            {
                "name": LOCAL_SETTINGS_VOLUME,
                "mountPath": f"{WORKER_AIRFLOW_HOME}/config/airflow_local_settings.py",
                "subPath": "airflow_local_settings.py",
                "readOnly": True,
            }
        )


def _remote_logging_env(logging: dict[str, str]) -> list[dict]:
    # The worker uploads the task log itself (S3TaskHandler), so it needs the same remote
    # logging settings as the scheduler even when no configmap carries the airflow.cfg.
    if not _true(logging.get("remote_logging")):
        return []
    env = [{"name": "AIRFLOW__LOGGING__REMOTE_LOGGING", "value": "True"}]
    for option in ("remote_base_log_folder", "remote_log_conn_id", "encrypt_s3_logs"):
        if logging.get(option):
            env.append({"name": f"AIRFLOW__LOGGING__{option.upper()}", "value": logging[option]})
    return env


def _secret_env(secrets: dict[str, str]) -> list[dict]:
    # 1.10 format: ENV_NAME = secret_object=secret_key
    env = []
    for name, ref in secrets.items():
        secret, _, key = ref.partition("=")
        if not key:
            raise PodTemplateError(f"[kubernetes_secrets] {name} = {ref!r}: expected secret_name=secret_key")
        env.append(
            {"name": name, "valueFrom": {"secretKeyRef": {"name": secret.strip(), "key": key.strip()}}}
        )
    return env


def validate(pod: dict) -> None:
    """Load `pod` with the real kubernetes client models; any field they drop is an error."""
    try:
        from kubernetes.client import ApiClient
    except ImportError as exc:  # pragma: no cover - the k8s extra is part of the tool env
        raise PodTemplateError(
            "validating the pod template needs `pip install airflow-upgrade[k8s]`"
        ) from exc
    client = ApiClient()
    try:
        # The private deserializer behind the one Airflow's PodGenerator.deserialize_model_file uses.
        model = client._ApiClient__deserialize(pod, "V1Pod")
    except (ValueError, TypeError) as exc:
        raise PodTemplateError(f"not a valid V1Pod: {exc}") from exc
    round_trip = client.sanitize_for_serialization(model)
    lost = _lost_fields(pod, round_trip)
    if lost:
        raise PodTemplateError(f"fields the V1Pod model does not know: {', '.join(lost)}")
    if not any(c.name == "base" for c in model.spec.containers):
        raise PodTemplateError("Airflow 2 runs the task in the container named 'base'; none found")


def _lost_fields(original, round_trip, path: str = "") -> list[str]:
    if isinstance(original, dict):
        lost = []
        for key, value in original.items():
            if not isinstance(round_trip, dict) or key not in round_trip:
                lost.append(f"{path}.{key}".lstrip("."))
            else:
                lost.extend(_lost_fields(value, round_trip[key], f"{path}.{key}"))
        return lost
    if isinstance(original, list) and isinstance(round_trip, list):
        return [
            f
            for i, (a, b) in enumerate(zip(original, round_trip))
            for f in _lost_fields(a, b, f"{path}[{i}]")
        ]
    return []


def to_yaml(pod: dict, source_name: str) -> str:
    import yaml

    header = (
        f"# Generated by `airflow-upgrade config` from the [kubernetes] settings of {source_name}.\n"
        "# Airflow 2 runs the task in the container named 'base'; edit the image and volumes as needed.\n"
    )
    return header + yaml.safe_dump(pod, sort_keys=False, default_flow_style=False)
