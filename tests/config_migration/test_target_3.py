"""`config --target 3` on small files: what Airflow 3's CONFIGS_CHANGES table asks for, byte by byte.

The same migrations are proved on real Airflow 3.3.2 in test_airflow3_config.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def migrate(tmp_path: Path, text: str, target: str = "3") -> tuple[str, subprocess.CompletedProcess]:
    source = tmp_path / "airflow.cfg"
    source.write_text(text)
    out = tmp_path / f"airflow-{target}.cfg"
    result = subprocess.run(
        [sys.executable, "-m", "upgrade", "config", str(source), "--target", target, "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return out.read_text(), result


def test_scheduler_options_reach_dag_processor_in_3(tmp_path):
    # 1.10's max_threads: [scheduler] parsing_processes in 1.10.14, [dag_processor] in 3.0
    migrated, _ = migrate(
        tmp_path,
        "[core]\nexecutor = LocalExecutor\n[webserver]\ncookie_samesite = Strict\n"
        "[scheduler]\nmax_threads = 4\nmin_file_process_interval = 60\n",
    )
    assert "[dag_processor]\n" in migrated
    section = migrated[migrated.index("[dag_processor]") :]
    assert "\nparsing_processes = 4\n" in section and "\nmin_file_process_interval = 60\n" in section
    assert "[fab]\ncookie_samesite = Strict\n" in migrated
    assert "max_threads =" not in migrated.replace("# max_threads", "")


def test_chained_renames_end_at_the_final_home(tmp_path):
    # [webserver] page_size -> [api] page_size (3.1) -> [api] fallback_page_limit (3.2)
    migrated, _ = migrate(tmp_path, "[webserver]\npage_size = 50\naccess_logfile = -\n")
    assert "\nfallback_page_limit = 50\n" in migrated
    assert "\nlog_config = -\n" in migrated  # access_logfile -> [api] access_logfile -> log_config
    assert "\npage_size =" not in migrated


def test_removed_options_are_commented_out_with_the_reason_and_never_pinned(tmp_path):
    migrated, _ = migrate(
        tmp_path,
        "[core]\nexecutor = LocalExecutor\nenable_xcom_pickling = True\nbase_log_folder = /logs\n"
        "[webserver]\ndag_default_view = tree\nrbac = True\ndemo_mode = False\n",
    )
    # no table names 1.10's demo_mode, but 3 reads nothing of [webserver]
    assert "# demo_mode = False\n" in migrated
    assert (
        "# airflow-upgrade: Airflow 3.0 removed XCom pickling: XCom values must be JSON-serializable "
        "(or use a custom XCom backend)\n# enable_xcom_pickling = True\n"
    ) in migrated
    # 2.x rewrote tree -> grid; 3 has no dag_default_view at all
    assert "# dag_default_view = tree\n" in migrated and "grid" not in migrated
    # 1.10 defaults 2.x changed are pinned only where 3 still has the option
    assert "donot_pickle" not in migrated
    assert "\ndag_run_conf_overrides_params = False\n" in migrated
    # 2.x defaults 3.0 changed, which a 1.10 file relied on
    assert "\ncreate_cron_data_intervals = True\n" in migrated
    assert "\ncatchup_by_default = True\n" in migrated


def test_removal_only_of_the_old_default_value_also_when_percent_escaped(tmp_path):
    old_default = (
        "dag_id={{ ti.dag_id }}/run_id={{ ti.run_id }}/task_id={{ ti.task_id }}/"
        "{%% if ti.map_index >= 0 %%}map_index={{ ti.map_index }}/{%% endif %%}attempt={{ try_number }}.log"
    )
    migrated, _ = migrate(tmp_path, f"[logging]\nlog_filename_template = {old_default}\n")
    assert f"# log_filename_template = {old_default}\n" in migrated
    assert "Airflow 3.0 uses its own default instead" in migrated

    custom = "{{ ti.dag_id }}/{{ ti.task_id }}/{{ ts }}/{{ try_number }}-%%s.log"
    kept, _ = migrate(tmp_path, f"[logging]\nlog_filename_template = {custom}\n")
    assert kept == f"[logging]\nlog_filename_template = {custom}\n"


def test_removed_core_auth_backends_go_custom_ones_stay(tmp_path):
    migrated, _ = migrate(tmp_path, "[api]\nauth_backends = airflow.api.auth.backend.session\n")
    assert "# auth_backends = airflow.api.auth.backend.session\n" in migrated
    assert "Airflow 3.0 removed airflow.api.auth.backend" in migrated
    mixed, _ = migrate(tmp_path, "[api]\nauth_backends = airflow.api.auth.backend.basic_auth, team.auth\n")
    assert "[fab]\n" in mixed and "\nauth_backends = team.auth\n" in mixed


def test_moved_default_class_gets_its_airflow_3_path(tmp_path):
    migrated, _ = migrate(tmp_path, "[core]\nxcom_backend = airflow.models.xcom.BaseXCom\n")
    assert "\nxcom_backend = airflow.sdk.execution_time.xcom.BaseXCom\n" in migrated
    custom, _ = migrate(tmp_path, "[core]\nxcom_backend = team.xcom.S3XCom\n")
    assert custom == "[core]\nxcom_backend = team.xcom.S3XCom\n"


def test_remote_logging_note_names_the_target_and_is_written_once(tmp_path):
    text = "[logging]\nremote_logging = True\nremote_base_log_folder = s3://bucket/logs\n"
    migrated, result = migrate(tmp_path, text)
    note = "needs apache-airflow-providers-amazon installed with Airflow 3"
    assert note in result.stdout and migrated.count(note) == 1
    again, result = migrate(tmp_path, migrated)
    assert again == migrated and note not in result.stdout and result.returncode == 0
    _, result = migrate(tmp_path, text, target="2")
    assert "installed with Airflow 2 " in result.stdout


def test_invalid_value_is_reported_not_changed(tmp_path):
    migrated, result = migrate(tmp_path, "[core]\nparallelism = 0\n")
    assert "\nparallelism = 0\n" in "\n" + migrated
    assert "Airflow 3 refuses '0'" in result.stdout


def test_comments_above_a_renamed_option_move_with_it(tmp_path):
    migrated, _ = migrate(
        tmp_path,
        "[api]\n# how the API authenticates\nauth_backend = team.auth\n\n[core]\nexecutor = LocalExecutor\n",
    )
    fab = migrated[migrated.index("\n[fab]\n") :]
    assert fab.startswith(
        "\n[fab]\n# how the API authenticates\n# airflow-upgrade: renamed from auth_backend (Airflow 2.3.0)\n"
        "auth_backends = team.auth\n"
    )
    assert "how the API" not in migrated[: migrated.index("\n[fab]\n")]


def test_env_overrides_get_their_airflow_3_names(tmp_path):
    source = tmp_path / "airflow.cfg"
    source.write_text("[core]\ndags_folder = /srv/dags\n")
    environ = {
        "PATH": "/usr/bin:/bin",
        "AIRFLOW__SCHEDULER__MAX_THREADS": "8",
        "AIRFLOW__WEBSERVER__WEB_SERVER_PORT": "8081",
        "AIRFLOW__CORE__ENABLE_XCOM_PICKLING": "True",
    }
    result = subprocess.run(
        [sys.executable, "-m", "upgrade", "config", str(source), "--target", "3"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        env=environ,
    )
    out = result.stdout
    assert "AIRFLOW__SCHEDULER__MAX_THREADS -> AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES" in out
    assert "AIRFLOW__WEBSERVER__WEB_SERVER_PORT -> AIRFLOW__API__PORT" in out
    assert "AIRFLOW__CORE__ENABLE_XCOM_PICKLING is no longer read (Airflow 3.0 removed XCom pickling" in out


def test_session_lifetime_days_become_minutes(tmp_path):
    migrated, _ = migrate(tmp_path, "[webserver]\nsession_lifetime_days = 30\n")
    assert "# airflow-upgrade: was session_lifetime_days = 30\nsession_lifetime_minutes = 43200\n" in migrated


def test_a_2_x_file_is_pinned_to_2_x_defaults_not_1_10_ones(tmp_path):
    text = "[database]\nsql_alchemy_conn = sqlite:////srv/airflow.db\n[webserver]\nweb_server_port = 8081\n"
    migrated, _ = migrate(tmp_path, text)
    # 2.x's default for dag_run_conf_overrides_params is True: a 2.x file relied on that
    assert "dag_run_conf_overrides_params" not in migrated and "enable_xcom_pickling" not in migrated
    assert "\ncreate_cron_data_intervals = True\n" in migrated
    # a file already written for 3 gets no 2.x pins either
    already_3, _ = migrate(tmp_path, "[api]\nport = 8081\n")
    assert "create_cron_data_intervals" not in already_3
    two_two, _ = migrate(tmp_path, "[core]\nsql_alchemy_conn = sqlite:////srv/airflow.db\n", target="2")
    assert "dag_run_conf_overrides_params" not in two_two


def test_worker_image_note_names_the_target(tmp_path):
    text = (
        "[core]\nexecutor = KubernetesExecutor\n[kubernetes]\nnamespace = airflow\n"
        "worker_container_repository = registry.example.com/airflow\nworker_container_tag = team\n"
    )
    _, result = migrate(tmp_path, text)
    assert (
        "worker pods run registry.example.com/airflow:team: it must be an Airflow 3.x image" in result.stdout
    )
    umask = os.umask(0o022)
    os.umask(umask)
    for created in ("pod_template.yaml", "airflow-3.cfg"):  # new files get the umask's mode, not 0600
        assert (tmp_path / created).stat().st_mode & 0o777 == 0o666 & ~umask, created
