"""Proof on real Airflow: the 1.10.15 default config written by a real `airflow initdb`, and a
KubernetesExecutor + S3 remote logging variant of it, migrated, load in Airflow 2.0.2 and the
latest 2.x with no config deprecation warning, and `airflow config get-value` returns the values
the user had."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.airflow_envs import AIRFLOW_ENVS, airflow_env_vars, airflow_python, init_airflow_db

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.airflow, pytest.mark.slow]

# Airflow's config deprecations name the option's section: "The base_log_folder option in
# [core] has been moved ...", "The 'hostname_callable' setting in [core] has the old default ...".
CONFIG_WARNING = re.compile(
    r"(Deprecation|Future)Warning: .*(option|setting|section) in \[[a-z_]+\]|has been moved to"
)

S3_LOG_FOLDER = "s3://team-airflow-logs/prod"


@pytest.fixture(scope="module")
def default_cfg_110(tmp_path_factory) -> tuple[str, Path]:
    """The airflow.cfg a real Airflow 1.10.15 writes on `airflow initdb`, and its AIRFLOW_HOME."""
    home = tmp_path_factory.mktemp("home110")
    init_airflow_db("af110", home)
    return (home / "airflow.cfg").read_text(), home


def kubernetes_s3_variant(text: str) -> str:
    replacements = {
        "executor": "KubernetesExecutor",
        # Airflow 2 refuses KubernetesExecutor on SQLite; the URL is only parsed, never connected to.
        "sql_alchemy_conn": "postgresql+psycopg2://airflow:db-secret@127.0.0.1:5432/airflow",
        "remote_logging": "True",
        "remote_log_conn_id": "aws_logs",
        "remote_base_log_folder": S3_LOG_FOLDER,
        "worker_container_repository": "registry.example.com/airflow",
        "worker_container_tag": "2.0.2-team",
        "namespace": "airflow",
        "git_repo": "https://git.example.com/team/dags.git",
        "git_branch": "main",
        "git_sync_credentials_secret": "git-creds",
        "worker_service_account_name": "airflow-worker",
    }
    for key, value in replacements.items():
        text, count = re.subn(rf"^{key} =.*$", f"{key} = {value}", text, count=1, flags=re.M)
        assert count == 1, key
    # A file written before 1.10.14 still says max_threads (parsing_processes since 1.10.14).
    text = text.replace("\nparsing_processes = 2\n", "\nmax_threads = 3\n")
    return text.replace("[kubernetes_labels]\n", "[kubernetes_labels]\nteam = data\n")


def migrate(text: str, target: str, home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    source = home / "airflow-1.10.cfg"
    source.write_text(text)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "upgrade",
            "config",
            str(source),
            "--target",
            target,
            "-o",
            str(home / "airflow.cfg"),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    return home / "airflow.cfg"


READ_VALUES = """
import json, sys, warnings
wanted = json.loads(sys.argv[1])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from airflow.configuration import conf
    values = {f"{s}.{k}": conf.get(s, k) for s, k in wanted}
    template = None
    if conf.get("core", "executor") == "KubernetesExecutor":
        try:
            from airflow.providers.cncf.kubernetes.pod_generator import PodGenerator
        except ImportError:
            from airflow.kubernetes.pod_generator import PodGenerator
        section = "kubernetes_executor" if conf.has_section("kubernetes_executor") else "kubernetes"
        pod = PodGenerator.deserialize_model_file(conf.get(section, "pod_template_file"))
        template = [c.name for c in pod.spec.containers] + [c.name for c in pod.spec.init_containers or []]
# `airflow config get-value logging base_log_folder`, through Airflow's own CLI parser and
# command function (what bin/airflow runs), in this process to pay the Airflow import once.
import contextlib, io
from airflow.cli import cli_parser
cli_args = cli_parser.get_parser().parse_args(["config", "get-value", "logging", "base_log_folder"])
cli_out = io.StringIO()
with warnings.catch_warnings(record=True) as cli_caught, contextlib.redirect_stdout(cli_out):
    warnings.simplefilter("always")
    cli_args.func(cli_args)
caught += cli_caught
print(json.dumps({
    "cli_base_log_folder": cli_out.getvalue().strip(),
    "values": values,
    "template_containers": template,
    "warnings": [f"{w.category.__name__}: {w.message}" for w in caught],
}))
"""


def require_module(env: str, module: str, package: str) -> None:
    result = subprocess.run(
        [str(airflow_python(env)), "-c", f"import {module}"], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail(
            f"Airflow env {env} lacks {package} ({module}): S3 remote logging needs it from Airflow 2.0 on; "
            f"add it to {AIRFLOW_ENVS[env][1]}",
            pytrace=False,
        )


def load_in_airflow(env: str, home: Path, wanted: list[tuple[str, str]]) -> dict:
    environ = airflow_env_vars(env, home, PYTHONWARNINGS="always")
    for name in ("AIRFLOW__CORE__UNIT_TEST_MODE", "AIRFLOW__CORE__LOAD_EXAMPLES"):
        environ.pop(name)  # only the migrated file may configure Airflow here
    result = subprocess.run(
        [str(airflow_python(env)), "-c", READ_VALUES, json.dumps(wanted)],
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    loaded["stderr"] = result.stderr
    return loaded


def config_warnings(loaded: dict) -> list[str]:
    lines = [*loaded["warnings"], *loaded["stderr"].splitlines()]
    return [line for line in lines if CONFIG_WARNING.search(line)]


def original_value(text: str, key: str) -> str:
    return re.search(rf"^{key}[ \t]*=[ \t]*(.*?)[ \t]*$", text, re.M).group(1)


@pytest.mark.parametrize(
    "variant, target, env",
    [
        ("default", "2.0", "af20"),
        ("default", "2", "af2"),
        # target 3: test_airflow3_config.py (Airflow 3's own lint, get-value and list)
        ("kubernetes_s3", "2.0", "af20"),
        ("kubernetes_s3", "2", "af2"),
    ],
)
def test_migrated_1_10_config_loads_without_deprecations(default_cfg_110, tmp_path, variant, target, env):
    text, old_home = default_cfg_110
    text = text if variant == "default" else kubernetes_s3_variant(text)
    # The initdb config names its own AIRFLOW_HOME in its paths; point them at this test's home.
    text = text.replace(str(old_home), str(tmp_path))
    migrated = migrate(text, target, tmp_path)
    database = "database" if target != "2.0" else "core"
    kube = "kubernetes_executor" if target != "2.0" else "kubernetes"
    wanted = [
        ("core", "dags_folder"),
        ("core", "executor"),
        (database, "sql_alchemy_conn"),
        ("logging", "base_log_folder"),
        ("logging", "remote_logging"),
        ("logging", "remote_base_log_folder"),
        ("scheduler", "parsing_processes"),
        ("core", "hostname_callable"),
        ("core", "enable_xcom_pickling"),
    ]
    if variant == "kubernetes_s3":
        require_module(
            env, "airflow.providers.amazon.aws.log.s3_task_handler", "apache-airflow-providers-amazon"
        )
        require_module(env, "psycopg2", "psycopg2-binary")
        wanted += [(kube, "namespace"), (kube, "pod_template_file"), (kube, "worker_container_repository")]
    loaded = load_in_airflow(env, tmp_path, wanted)

    assert config_warnings(loaded) == [], migrated.read_text()
    values = loaded["values"]
    assert values["core.dags_folder"] == original_value(text, "dags_folder")
    executor = original_value(text, "executor")
    assert values["core.executor"] == executor
    assert values[f"{database}.sql_alchemy_conn"] == original_value(text, "sql_alchemy_conn")
    assert values["logging.base_log_folder"] == original_value(text, "base_log_folder")
    assert loaded["cli_base_log_folder"] == original_value(text, "base_log_folder")
    assert values["logging.remote_logging"] == original_value(text, "remote_logging")
    assert values["logging.remote_base_log_folder"] == original_value(text, "remote_base_log_folder")
    threads = "max_threads" if variant == "kubernetes_s3" else "parsing_processes"
    assert values["scheduler.parsing_processes"] == original_value(text, threads)
    assert values["core.hostname_callable"] == "socket.getfqdn"
    assert values["core.enable_xcom_pickling"] == original_value(text, "enable_xcom_pickling")
    if variant == "kubernetes_s3":
        assert values[f"{kube}.namespace"] == "airflow"
        assert values[f"{kube}.worker_container_repository"] == "registry.example.com/airflow"
        assert values[f"{kube}.pod_template_file"] == str(tmp_path / "pod_template.yaml")
        # Airflow's own PodGenerator loads the generated template
        assert loaded["template_containers"] == ["base", "git-sync-clone"]
        assert values["logging.remote_base_log_folder"] == S3_LOG_FOLDER
