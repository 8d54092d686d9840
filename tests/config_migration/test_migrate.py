"""`airflow-upgrade config` on small files: byte preservation, idempotence, broken files,
atomic writes, env overrides and the KubernetesExecutor pod template."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from kubernetes.client import ApiClient

REPO = Path(__file__).resolve().parents[2]

OLD_CFG = """\
# team airflow config
[core]
dags_folder = /srv/dags
# The folder where airflow should store its log files
base_log_folder = /var/log/airflow
hostname_callable = socket:getfqdn
executor = LocalExecutor
sql_alchemy_conn = postgresql+psycopg2://airflow:db-pass-123@db.internal/airflow

[webserver]
; keep the old UI colour comment
rbac = True
navbar_color = #007A87

[scheduler]
max_threads = 4
statsd_allow_list = scheduler
"""


def config(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", "config", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env=env,
    )


def test_migration_moves_renames_and_preserves_everything_else(tmp_path):
    source = tmp_path / "airflow.cfg"
    source.write_text(OLD_CFG)
    out = tmp_path / "new" / "airflow.cfg"
    result = config(str(source), "--target", "2", "-o", str(out))
    assert result.returncode == 1, result.stderr
    migrated = out.read_text()
    assert source.read_text() == OLD_CFG  # -o never touches the source
    # every original comment survives, byte for byte
    for line in OLD_CFG.splitlines():
        if line.startswith(("#", ";")):
            assert line in migrated.splitlines()
    assert (
        "[logging]\n# The folder where airflow should store its log files\nbase_log_folder = /var/log/airflow\n"
        in migrated
    )
    assert "hostname_callable = socket.getfqdn\n" in migrated
    assert (
        "[database]\nsql_alchemy_conn = postgresql+psycopg2://airflow:db-pass-123@db.internal/airflow\n"
        in migrated
    )
    assert "parsing_processes = 4\n" in migrated
    # chained: [scheduler] statsd_allow_list -> [metrics] statsd_allow_list (2.0) -> metrics_allow_list (2.6)
    assert (
        "[metrics]\n# airflow-upgrade: renamed from statsd_allow_list (Airflow 2.6.0)\nmetrics_allow_list = scheduler\n"
        in migrated
    )
    assert "# rbac = True\n" in migrated and "navbar_color = #fff\n" in migrated
    assert "enable_xcom_pickling = True\n" in migrated  # the 1.10 default the file relied on
    assert "db-pass-123" not in result.stdout + result.stderr
    # order: [core] options that stay keep their relative order
    assert migrated.index("dags_folder") < migrated.index("hostname_callable") < migrated.index("executor =")


def test_target_2_0_keeps_options_that_moved_later(tmp_path):
    source = tmp_path / "airflow.cfg"
    source.write_text(OLD_CFG)
    out = tmp_path / "airflow20.cfg"
    assert config(str(source), "--target", "2.0", "-o", str(out)).returncode == 1
    migrated = out.read_text()
    # [database] arrived in 2.3 and metrics_allow_list in 2.6: Airflow 2.0.2 would not read them
    assert "[database]" not in migrated and "metrics_allow_list" not in migrated
    assert "[metrics]\nstatsd_allow_list = scheduler\n" in migrated


def test_second_run_changes_nothing(tmp_path):
    source = tmp_path / "airflow.cfg"
    source.write_text(OLD_CFG)
    assert config(str(source), "--in-place").returncode == 1
    once = source.read_text()
    again = config(str(source), "--in-place")
    assert again.returncode == 0, again.stdout
    assert source.read_text() == once
    assert sorted(p.name for p in tmp_path.iterdir()) == ["airflow.cfg"]  # no temp file left behind


@pytest.mark.parametrize(
    "content, reason",
    [
        ("[core]\nexecutor = LocalExecutor\n[webser", "line 3: cannot parse '[webser'"),
        ("executor = LocalExecutor\n", "line 1: option before any [section] header"),
        ("[core]\na = 1\na = 2\n", "line 3: option 'a' in section 'core' already exists"),
        ("", "no [section] header: not an airflow.cfg"),
    ],
)
def test_broken_file_is_one_line_exit_2_and_nothing_written(tmp_path, content, reason):
    source = tmp_path / "airflow.cfg"
    source.write_text(content)
    out = tmp_path / "out.cfg"
    result = config(str(source), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"airflow-upgrade config: {source}: {reason}"]
    assert not out.exists()


def test_not_utf8_and_missing_file(tmp_path):
    source = tmp_path / "airflow.cfg"
    source.write_bytes(b"[core]\nx = \xff\n")
    result = config(str(source))
    assert result.returncode == 2 and "not UTF-8" in result.stderr
    missing = config(str(tmp_path / "nope.cfg"))
    assert missing.returncode == 2 and "No such file" in missing.stderr


def test_env_overrides_are_reported_with_new_names_not_values(tmp_path):
    source = tmp_path / "airflow.cfg"
    source.write_text("[core]\ndags_folder = /srv/dags\n")
    env_file = tmp_path / "airflow.env"
    env_file.write_text(
        "AIRFLOW__CORE__REMOTE_BASE_LOG_FOLDER=s3://logs\n"
        "export AIRFLOW__CORE__SQL_ALCHEMY_CONN_SECRET=airflow/db\n"
        "AIRFLOW__WEBSERVER__RBAC=True\n"
    )
    environ = {"PATH": "/usr/bin:/bin", "AIRFLOW__SCHEDULER__MAX_THREADS": "8"}
    result = config(str(source), "--env-file", str(env_file), env=environ)
    assert result.returncode == 1
    out = result.stdout
    assert (
        f"{env_file}:1: AIRFLOW__CORE__REMOTE_BASE_LOG_FOLDER -> AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER"
        in out
    )
    assert (
        f"{env_file}:2: AIRFLOW__CORE__SQL_ALCHEMY_CONN_SECRET -> AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_SECRET"
        in out
    )
    assert f"{env_file}:3: AIRFLOW__WEBSERVER__RBAC is no longer read" in out
    assert "environment: AIRFLOW__SCHEDULER__MAX_THREADS -> AIRFLOW__SCHEDULER__PARSING_PROCESSES" in out
    assert "s3://logs" not in out and "airflow/db" not in out


KUBE_CFG = """\
[core]
dags_folder = /usr/local/airflow/dags
executor = KubernetesExecutor
base_log_folder = /usr/local/airflow/logs
remote_logging = True
remote_log_conn_id = aws_logs
remote_base_log_folder = s3://team-airflow-logs/prod

[kubernetes]
worker_container_repository = registry.example.com/airflow
worker_container_tag = 1.10.15-team
worker_container_image_pull_policy = Always
namespace = airflow
git_repo = https://git.example.com/team/dags.git
git_branch = main
git_sync_root = /git
git_sync_dest = repo
git_subpath = dags
git_dags_folder_mount_point = /usr/local/airflow/dags
git_sync_container_repository = k8s.gcr.io/git-sync/git-sync
git_sync_container_tag = v3.6.3
git_sync_credentials_secret = git-creds
worker_service_account_name = airflow-worker
image_pull_secrets = regcred
run_as_user = 50000
fs_group = 0
affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "pool", "operator": "In", "values": ["airflow"]}]}]}}}
tolerations = [{"key": "dedicated", "operator": "Equal", "value": "airflow", "effect": "NoSchedule"}]
in_cluster = True

[kubernetes_environment_variables]
TEAM = data

[kubernetes_secrets]
SNOWFLAKE_PASSWORD = snowflake=password

[kubernetes_labels]
team = data
"""


def test_kubernetes_settings_become_a_valid_pod_template(tmp_path):
    source = tmp_path / "airflow.cfg"
    source.write_text(KUBE_CFG)
    out = tmp_path / "out" / "airflow.cfg"
    result = config(
        str(source), "--target", "2", "-o", str(out), "--pod-template-path", "/opt/airflow/pod.yaml"
    )
    assert result.returncode == 1, result.stderr
    migrated = out.read_text()
    assert "[kubernetes_executor]" in migrated and "pod_template_file = /opt/airflow/pod.yaml\n" in migrated
    assert "# git_repo = https://git.example.com/team/dags.git\n" in migrated
    assert "# [kubernetes_secrets]\n" in migrated
    template = yaml.safe_load((tmp_path / "out" / "pod_template.yaml").read_text())
    pod = ApiClient()._ApiClient__deserialize(template, "V1Pod")  # the real client model
    base = next(c for c in pod.spec.containers if c.name == "base")
    assert base.image == "registry.example.com/airflow:1.10.15-team"
    env = {e.name: e for e in base.env}
    assert env["AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER"].value == "s3://team-airflow-logs/prod"
    assert env["AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID"].value == "aws_logs"
    assert env["AIRFLOW__CORE__DAGS_FOLDER"].value == "/usr/local/airflow/dags/repo/dags"
    assert env["SNOWFLAKE_PASSWORD"].value_from.secret_key_ref.name == "snowflake"
    assert env["TEAM"].value == "data"
    (git_sync,) = pod.spec.init_containers
    git_env = {e.name: e for e in git_sync.env}
    assert git_sync.image == "k8s.gcr.io/git-sync/git-sync:v3.6.3"
    assert git_env["GIT_SYNC_REPO"].value == "https://git.example.com/team/dags.git"
    assert git_env["GIT_SYNC_ONE_TIME"].value == "true"
    assert git_env["GIT_SYNC_PASSWORD"].value_from.secret_key_ref.name == "git-creds"
    assert pod.spec.service_account_name == "airflow-worker"
    assert pod.spec.security_context.run_as_user == 50000 and pod.spec.security_context.fs_group == 0
    assert pod.spec.tolerations[0].key == "dedicated"
    assert pod.spec.affinity.node_affinity is not None
    assert pod.metadata.labels == {"team": "data"}


def test_invalid_kubernetes_setting_is_exit_2(tmp_path):
    source = tmp_path / "airflow.cfg"
    source.write_text(KUBE_CFG.replace('tolerations = [{"key"', "tolerations = [{key"))
    result = config(str(source), "-o", str(tmp_path / "out.cfg"))
    assert result.returncode == 2
    assert "cannot build the pod template: [kubernetes] tolerations is not JSON" in result.stderr
    assert not (tmp_path / "out.cfg").exists()


def test_target_3_applies_airflow_3_renames_after_the_2_x_ones(tmp_path):
    source = tmp_path / "airflow.cfg"
    source.write_text(
        "[core]\nexecutor = SequentialExecutor\nbase_log_folder = /var/log/airflow\n"
        "[webserver]\nweb_server_port = 8080\n[scheduler]\ndag_dir_list_interval = 300\n"
    )
    out = tmp_path / "airflow3.cfg"
    assert config(str(source), "--target", "3", "-o", str(out)).returncode == 1
    migrated = out.read_text()
    assert "executor = LocalExecutor\n" in migrated  # 3.0 removed SequentialExecutor
    assert "[logging]\nbase_log_folder = /var/log/airflow\n" in migrated  # 3.x no longer falls back to [core]
    assert "[api]\nport = 8080\n" in migrated
    assert "[dag_processor]\nrefresh_interval = 300\n" in migrated
