"""`config --target 3` proved on real Airflow 3.3.2, with Airflow's own checks.

Three inputs: the airflow.cfg a real 1.10.15 writes, a 1.10 production file (KubernetesExecutor,
S3 remote logging, git-sync) and 2.11.2's default config with a team's values. Each is migrated
with `--target 3`, then Airflow 3.3.2 reads it from a private AIRFLOW_HOME/AIRFLOW_CONFIG:

- `airflow config lint` finds no renamed, removed or invalid option; what it still lists are
  its "Changed default value" notes on the values the file sets on purpose (the user's executor,
  the 2.x defaults written out so DAGs keep their 2.x schedule semantics);
- `airflow config get-value` reads every user value back at its Airflow 3 home;
- `airflow config list` prints no deprecation warning.

One Airflow process per check (lint, list, all get-values batched through Airflow's CLI parser).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.airflow_envs import airflow_env_vars, airflow_python

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.airflow, pytest.mark.slow]

DEPRECATION = re.compile(r"(?i)deprecat|has been moved|has been renamed|FutureWarning")
LINT_DEFAULT_NOTE = re.compile(r"^Changed default value of `(?P<option>\w+)` in `(?P<section>\w+)`")

# A plain logging config (no remote task handler): S3 remote logging on Airflow 3 needs
# apache-airflow-providers-amazon, which cannot be installed next to 3.3.2's constraints
# (botocore requires python-dateutil<3; 3.3.2 pins 4.0.0). Airflow's own logging_config_class
# setting swaps it in from the environment; every value of the file is still read from the file.
PLAIN_LOGGING_CONFIG = """\
LOGGING_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}, "task": {"class": "logging.StreamHandler"}},
    "loggers": {"airflow.task": {"handlers": ["task"], "level": "INFO"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
"""

# `airflow config lint`, `airflow config get-value S O` for each wanted option, then `airflow config
# list`: each through airflow.__main__.main (what bin/airflow runs) in one process, paying the
# Airflow import once; every warning of the process is recorded.
AIRFLOW_COMMANDS = """
import contextlib, io, json, sys, warnings
wanted = json.loads(sys.argv[1])
commands = [["config", "lint"], *(["config", "get-value", s, o] for s, o in wanted), ["config", "list"]]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from airflow.__main__ import main
    outputs = []
    for argv in commands:
        sys.argv = ["airflow", *argv]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            main()
        outputs.append(out.getvalue())
print(json.dumps({
    "lint": outputs[0],
    "values": {f"{s}.{o}": value.strip() for (s, o), value in zip(wanted, outputs[1:-1])},
    "list": outputs[-1],
    "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
}))
"""


# -- the three inputs -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_cfg_110(tmp_path_factory) -> tuple[str, Path]:
    """The airflow.cfg a real Airflow 1.10.15 writes when it first runs, and its AIRFLOW_HOME."""
    home = tmp_path_factory.mktemp("home110")
    bin_airflow = airflow_python("af110").parent / "airflow"
    subprocess.run(
        [str(bin_airflow), "version"],
        env=airflow_env_vars("af110", home),
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (home / "airflow.cfg").read_text(), home


@pytest.fixture(scope="module")
def default_cfg_211(tmp_path_factory) -> str:
    """2.11.2's default config as `airflow config list --defaults` writes it (every option commented)."""
    home = tmp_path_factory.mktemp("home211")
    bin_airflow = airflow_python("af2").parent / "airflow"
    result = subprocess.run(
        [str(bin_airflow), "config", "list", "--defaults"],
        env=airflow_env_vars("af2", home),
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    # 2.11 logs to stdout too (its CLI's executor check); the config starts at its first section.
    return result.stdout[result.stdout.index("[core]\n") :]


def set_option(text: str, section: str, key: str, value: str) -> str:
    """`key = value` in `section`: replaces the option or its commented-out default, else adds it."""
    header = re.search(rf"^\[{re.escape(section)}\]\n", text, re.M)
    assert header, section
    end = re.compile(r"^\[", re.M).search(text, header.end())
    body_end = end.start() if end else len(text)
    body = text[header.end() : body_end]
    body, count = re.subn(rf"^(# )?{key} =.*$", f"{key} = {value}", body, count=1, flags=re.M)
    if not count:
        body = f"{key} = {value}\n" + body
    return text[: header.end()] + body + text[body_end:]


# (section, option, value) set in the 1.10 production file -> where Airflow 3 reads it
PRODUCTION_110 = [
    ("core", "executor", "KubernetesExecutor", "core", "executor"),
    ("core", "default_timezone", "Asia/Seoul", "core", "default_timezone"),
    ("core", "dag_concurrency", "32", "core", "max_active_tasks_per_dag"),
    ("core", "remote_logging", "True", "logging", "remote_logging"),
    ("core", "remote_log_conn_id", "aws_logs", "logging", "remote_log_conn_id"),
    ("core", "remote_base_log_folder", "s3://team-airflow-logs/prod", "logging", "remote_base_log_folder"),
    ("scheduler", "max_threads", "3", "dag_processor", "parsing_processes"),
    ("scheduler", "min_file_process_interval", "60", "dag_processor", "min_file_process_interval"),
    ("scheduler", "dag_dir_list_interval", "120", "dag_processor", "refresh_interval"),
    ("scheduler", "catchup_by_default", "False", "scheduler", "catchup_by_default"),
    ("scheduler", "statsd_on", "True", "metrics", "statsd_on"),
    ("scheduler", "statsd_host", "statsd.internal", "metrics", "statsd_host"),
    ("webserver", "base_url", "https://airflow.example.com", "api", "base_url"),
    ("webserver", "web_server_port", "8081", "api", "port"),
    ("webserver", "cookie_samesite", "Strict", "fab", "cookie_samesite"),
    ("kubernetes", "namespace", "airflow", "kubernetes_executor", "namespace"),
    (
        "kubernetes",
        "worker_container_repository",
        "registry.example.com/airflow",
        "kubernetes_executor",
        None,
    ),
    ("kubernetes", "worker_container_tag", "3.3.2-team", "kubernetes_executor", None),
    ("kubernetes", "delete_worker_pods", "False", "kubernetes_executor", "delete_worker_pods"),
    (
        "kubernetes",
        "worker_pods_creation_batch_size",
        "4",
        "kubernetes_executor",
        "worker_pods_creation_batch_size",
    ),
    ("kubernetes", "git_repo", "https://git.example.com/team/dags.git", None, None),
    ("kubernetes", "git_branch", "main", None, None),
    ("kubernetes", "git_sync_credentials_secret", "git-creds", None, None),
    ("kubernetes", "worker_service_account_name", "airflow-worker", None, None),
]

# (section, option, value) set in the 2.11 default config -> where Airflow 3 reads it (None: removed)
TEAM_211 = [
    ("core", "dags_folder", "/srv/airflow/dags", "core", "dags_folder"),
    ("core", "executor", "LocalExecutor", "core", "executor"),
    ("core", "parallelism", "64", "core", "parallelism"),
    ("core", "max_active_tasks_per_dag", "24", "core", "max_active_tasks_per_dag"),
    ("core", "enable_xcom_pickling", "True", None, None),
    ("logging", "base_log_folder", "/var/log/airflow", "logging", "base_log_folder"),
    ("webserver", "base_url", "https://airflow.example.com", "api", "base_url"),
    ("webserver", "web_server_port", "8081", "api", "port"),
    ("webserver", "secret_key", "team-secret-key", "api", "secret_key"),
    ("webserver", "workers", "2", "api", "workers"),
    ("webserver", "cookie_samesite", "Strict", "fab", "cookie_samesite"),
    ("webserver", "page_size", "50", "api", "fallback_page_limit"),
    ("webserver", "instance_name", "Team Airflow", "api", "instance_name"),
    ("webserver", "expose_config", "True", "api", "expose_config"),
    ("webserver", "navbar_color", "#1a73e8", "fab", "navbar_color"),
    ("webserver", "dag_default_view", "graph", None, None),
    (
        "api",
        "auth_backends",
        "airflow.api.auth.backend.basic_auth,airflow.api.auth.backend.session",
        None,
        None,
    ),
    ("scheduler", "min_file_process_interval", "60", "dag_processor", "min_file_process_interval"),
    ("scheduler", "parsing_processes", "4", "dag_processor", "parsing_processes"),
    ("scheduler", "dag_dir_list_interval", "120", "dag_processor", "refresh_interval"),
    ("scheduler", "catchup_by_default", "False", "scheduler", "catchup_by_default"),
    ("scheduler", "scheduler_zombie_task_threshold", "600", "scheduler", "task_instance_heartbeat_timeout"),
    ("metrics", "statsd_on", "True", "metrics", "statsd_on"),
    ("metrics", "statsd_host", "statsd.internal", "metrics", "statsd_host"),
    ("metrics", "statsd_allow_list", "scheduler,executor", "metrics", "metrics_allow_list"),
    ("celery", "worker_concurrency", "8", "celery", "worker_concurrency"),
    ("smtp", "smtp_host", "smtp.example.com", "smtp", "smtp_host"),
    ("smtp", "smtp_user", "airflow", None, None),
]
# The 2.x default a 2.11 file writes out (with %% for configparser): 3 drops it for its own.
LOG_FILENAME_TEMPLATE_2 = (
    "dag_id={{ ti.dag_id }}/run_id={{ ti.run_id }}/task_id={{ ti.task_id }}/"
    "{%% if ti.map_index >= 0 %%}map_index={{ ti.map_index }}/{%% endif %%}attempt={{ try_number }}.log"
)


def production_110(default: str) -> str:
    text = default.replace("\nparsing_processes = 2\n", "\nmax_threads = 2\n")  # a pre-1.10.14 file
    for section, key, value, *_ in PRODUCTION_110:
        text = set_option(text, section, key, value)
    return text.replace("[kubernetes_labels]\n", "[kubernetes_labels]\nteam = data\n")


def team_211(default: str) -> str:
    text = default
    for section, key, value, *_ in TEAM_211:
        text = set_option(text, section, key, value)
    return set_option(text, "logging", "log_filename_template", LOG_FILENAME_TEMPLATE_2)


# -- running Airflow 3.3.2 ------------------------------------------------------------------------


def migrate_to_3(text: str, home: Path) -> str:
    home.mkdir(parents=True, exist_ok=True)
    source = home / "airflow-old.cfg"
    source.write_text(text)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "upgrade",
            "config",
            str(source),
            "--target",
            "3",
            "-o",
            str(home / "airflow.cfg"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    return (home / "airflow.cfg").read_text()


def airflow3_env(home: Path) -> dict:
    environ = airflow_env_vars(
        "af3", home, AIRFLOW_CONFIG=str(home / "airflow.cfg"), PYTHONWARNINGS="always", COLUMNS="400"
    )
    for name in ("AIRFLOW__CORE__UNIT_TEST_MODE", "AIRFLOW__CORE__LOAD_EXAMPLES"):
        environ.pop(name)  # only the migrated file may configure Airflow here
    (home / "plain_logging_config.py").write_text(PLAIN_LOGGING_CONFIG)
    environ["PYTHONPATH"] = str(home)
    environ["AIRFLOW__LOGGING__LOGGING_CONFIG_CLASS"] = "plain_logging_config.LOGGING_CONFIG"
    return environ


def run_airflow3_checks(home: Path, wanted: list[tuple[str, str]]) -> dict:
    result = subprocess.run(
        [str(airflow_python("af3")), "-c", AIRFLOW_COMMANDS, json.dumps(wanted)],
        env=airflow3_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    checks = json.loads(result.stdout.strip().splitlines()[-1])
    checks["stderr"] = result.stderr
    return checks


def lint_issues(output: str) -> list[str]:
    if "No issues found" in output:
        return []
    return [line.strip()[2:] for line in output.splitlines() if line.strip().startswith("- ")]


def assert_migrated_for_airflow_3(home: Path, migrated: str, expected: dict, pinned_defaults: set):
    checks = run_airflow3_checks(home, sorted(expected))
    issues = lint_issues(checks["lint"])
    notes = [LINT_DEFAULT_NOTE.match(issue) for issue in issues]
    assert all(notes), [issue for issue, note in zip(issues, notes) if not note]
    assert {(n["section"], n["option"]) for n in notes} == pinned_defaults, issues

    assert checks["values"] == {f"{s}.{o}": value for (s, o), value in expected.items()}, migrated

    assert "[core]" in checks["list"]
    # Airflow 3 logs warnings through structlog, to stdout as well: every output counts.
    outputs = [checks["lint"], checks["list"], *checks["values"].values(), checks["stderr"]]
    said = [*checks["warnings"], *(line for output in outputs for line in output.splitlines())]
    assert [line for line in said if DEPRECATION.search(line)] == []


def active(migrated: str, key: str) -> list[str]:
    return re.findall(rf"^{key}[ \t]*=.*$", migrated, re.M)


# -- the tests ------------------------------------------------------------------------------------


def test_1_10_default_config(default_cfg_110, tmp_path):
    text, old_home = default_cfg_110
    text = text.replace(str(old_home), str(tmp_path))
    migrated = migrate_to_3(text, tmp_path)

    def value(key: str) -> str:
        return re.search(rf"^{key} = (.*)$", text, re.M).group(1)

    expected = {
        ("core", "dags_folder"): value("dags_folder"),
        ("core", "fernet_key"): value("fernet_key"),
        ("database", "sql_alchemy_conn"): value("sql_alchemy_conn"),
        ("logging", "base_log_folder"): value("base_log_folder"),
        ("logging", "dag_processor_child_process_log_directory"): value("child_process_log_directory"),
        ("dag_processor", "parsing_processes"): value("parsing_processes"),
        ("core", "max_active_tasks_per_dag"): value("dag_concurrency"),
        ("api", "secret_key"): value("secret_key"),
        ("api", "port"): value("web_server_port"),
        ("scheduler", "catchup_by_default"): "True",
        # Airflow 3 removed SequentialExecutor; its own deprecated_values say LocalExecutor
        ("core", "executor"): "LocalExecutor",
        ("core", "xcom_backend"): "airflow.sdk.execution_time.xcom.BaseXCom",
    }
    pinned = {
        ("scheduler", "catchup_by_default"),
        ("scheduler", "create_cron_data_intervals"),
        ("scheduler", "create_delta_data_intervals"),
    }
    assert_migrated_for_airflow_3(tmp_path, migrated, expected, pinned)
    # removed in 3: commented out with a note, never pinned back
    for key in ("enable_xcom_pickling", "donot_pickle", "dag_default_view", "task_runner"):
        assert active(migrated, key) == [], key
    assert "# airflow-upgrade: Airflow 3.0 removed XCom pickling" in migrated


def test_1_10_kubernetes_s3_git_sync_production_config(default_cfg_110, tmp_path):
    text, old_home = default_cfg_110
    # The 1.10 default's SQLite URL stays: the af3 env has no PostgreSQL driver, and Airflow 3
    # creates its engine on start-up.
    text = production_110(text.replace(str(old_home), str(tmp_path)))
    migrated = migrate_to_3(text, tmp_path)
    expected = {(s, o): value for _, _, value, s, o in PRODUCTION_110 if o is not None}
    expected[("kubernetes_executor", "pod_template_file")] = str(tmp_path / "pod_template.yaml")
    pinned = {
        ("core", "executor"),  # KubernetesExecutor is not 3's default LocalExecutor
        ("scheduler", "create_cron_data_intervals"),
        ("scheduler", "create_delta_data_intervals"),
    }
    assert_migrated_for_airflow_3(tmp_path, migrated, expected, pinned)
    template = (tmp_path / "pod_template.yaml").read_text()
    for needed in (
        "registry.example.com/airflow:3.3.2-team",
        "https://git.example.com/team/dags.git",
        "git-creds",
    ):
        assert needed in template
    note = "needs apache-airflow-providers-amazon installed with Airflow 3"
    assert migrated.count(note) == 1

    # A re-run on the migrated file changes nothing and says nothing more.
    again = subprocess.run(
        [sys.executable, "-m", "upgrade", "config", str(tmp_path / "airflow.cfg"), "--target", "3"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert note not in again.stdout


def test_2_11_default_config_with_team_values(default_cfg_211, tmp_path):
    text = team_211(default_cfg_211)
    migrated = migrate_to_3(text, tmp_path)
    expected = {(s, o): value for _, _, value, s, o in TEAM_211 if o is not None}
    pinned = {("scheduler", "create_cron_data_intervals"), ("scheduler", "create_delta_data_intervals")}
    assert_migrated_for_airflow_3(tmp_path, migrated, expected, pinned)
    for _, key, _, new_section, _ in TEAM_211:
        if new_section is None:
            assert active(migrated, key) == [], key
    # a 2.x file relied on 2.x defaults, never on 1.10 ones (dag_run_conf_overrides_params = False)
    assert active(migrated, "dag_run_conf_overrides_params") == []
    # the %%-escaped 2.x default is dropped: 3's own default applies
    assert active(migrated, "log_filename_template") == []
    assert "# airflow-upgrade: Airflow 3.0 removed airflow.api.auth.backend" in migrated
