"""codemods/_tables.py is generated from the installed Airflow envs (drift: tests/test_generated_data.py);
what it says must hold in the real Airflow versions."""

from __future__ import annotations

import json
import subprocess
import textwrap

import pytest

from codemods import _tables
from codemods._tables import (
    CONTEXT_REPLACEMENTS,
    IMPORT_RENAMES,
    MODULE_RENAMES,
    PROVIDER_PACKAGES,
    REMOVED,
)
from tests.airflow_envs import airflow_env_vars, airflow_python

TARGETS = ("2.0", "2", "3")
TARGET_ENVS = {"2.0": "af20", "2": "af2", "3": "af3"}


def env_dirs() -> dict[str, str]:
    """The tox env dirs of the four Airflow versions (a missing env fails the test)."""
    return {env: str(airflow_python(env).parent.parent) for env in ("af110", "af20", "af2", "af3")}


def test_every_table_has_the_three_targets():
    for table in (IMPORT_RENAMES, MODULE_RENAMES, REMOVED):
        assert tuple(table) == TARGETS


def test_contrib_class_renamed_in_provider():
    old = "airflow.contrib.operators.bigquery_operator.BigQueryOperator"
    new = "airflow.providers.google.cloud.operators.bigquery.BigQueryExecuteQueryOperator"
    assert IMPORT_RENAMES["2.0"][old] == new
    # renamed class: the module cannot move as a whole
    assert "airflow.contrib.operators.bigquery_operator" not in MODULE_RENAMES["2.0"]
    assert (
        IMPORT_RENAMES["2.0"]["airflow.contrib.operators.dataproc_operator.DataProcSparkOperator"]
        == "airflow.providers.google.cloud.operators.dataproc.DataprocSubmitSparkJobOperator"
    )


def test_core_operator_module_moves():
    assert (
        IMPORT_RENAMES["2.0"]["airflow.operators.bash_operator.BashOperator"]
        == "airflow.operators.bash.BashOperator"
    )
    assert MODULE_RENAMES["2.0"]["airflow.operators.bash_operator"] == "airflow.operators.bash"
    standard_bash = "airflow.providers.standard.operators.bash.BashOperator"
    assert IMPORT_RENAMES["3"]["airflow.operators.bash_operator.BashOperator"] == standard_bash
    # a repo already half-migrated to 2.x names
    assert IMPORT_RENAMES["3"]["airflow.operators.bash.BashOperator"] == standard_bash


def test_plugin_style_import_of_1_10():
    assert IMPORT_RENAMES["2.0"]["airflow.operators.DummyOperator"] == "airflow.operators.dummy.DummyOperator"
    assert IMPORT_RENAMES["2"]["airflow.operators.DummyOperator"] == "airflow.operators.empty.EmptyOperator"
    assert (
        IMPORT_RENAMES["3"]["airflow.operators.DummyOperator"]
        == "airflow.providers.standard.operators.empty.EmptyOperator"
    )
    assert IMPORT_RENAMES["2.0"]["airflow.hooks.HttpHook"] == "airflow.providers.http.hooks.http.HttpHook"


def test_removed_module_and_names():
    assert "airflow.operators.sensors" in REMOVED["2.0"]
    # its names still have homes
    assert (
        IMPORT_RENAMES["2.0"]["airflow.operators.sensors.ExternalTaskSensor"]
        == "airflow.sensors.external_task.ExternalTaskSensor"
    )
    for name in ("airflow.executors.get_default_executor", "airflow.operators.dagrun_operator.DagRunOrder"):
        assert name in REMOVED["2.0"]
    assert "airflow.utils.dates.days_ago" in REMOVED["3"]


def test_renamed_without_alias_in_2_0():
    """2.0.2's shim of hive_to_samba_operator only re-exports the new class name."""
    assert (
        IMPORT_RENAMES["2.0"]["airflow.operators.hive_to_samba_operator.Hive2SambaOperator"]
        == "airflow.providers.apache.hive.transfers.hive_to_samba.HiveToSambaOperator"
    )


def test_task_sdk_names_for_airflow_3():
    assert IMPORT_RENAMES["3"]["airflow.models.DAG"] == "airflow.sdk.DAG"
    assert IMPORT_RENAMES["3"]["airflow.DAG"] == "airflow.sdk.DAG"
    assert IMPORT_RENAMES["3"]["airflow.hooks.base_hook.BaseHook"] == "airflow.sdk.BaseHook"
    assert "airflow.models.DAG" not in IMPORT_RENAMES["2"]
    # only in ruff's AIR311 table (Airflow 3.0 has no deprecation entry for them)
    assert IMPORT_RENAMES["3"]["airflow.models.Variable"] == "airflow.sdk.Variable"
    assert IMPORT_RENAMES["3"]["airflow.datasets.Dataset"] == "airflow.sdk.Asset"
    # a subclass that changes behaviour is not an alias
    assert (
        IMPORT_RENAMES["3"]["airflow.sensors.time_sensor.TimeSensorAsync"]
        == "airflow.providers.standard.sensors.time.TimeSensorAsync"
    )


def test_context_replacements():
    assert CONTEXT_REPLACEMENTS["next_execution_date"] == ("data_interval_end",)
    assert CONTEXT_REPLACEMENTS["execution_date"] == ("data_interval_start", "logical_date")
    assert CONTEXT_REPLACEMENTS["prev_ds"] == ()


def test_provider_packages():
    assert PROVIDER_PACKAGES["airflow.providers.google"] == "apache-airflow-providers-google"
    assert PROVIDER_PACKAGES["airflow.providers.apache.hive"] == "apache-airflow-providers-apache-hive"
    assert (
        PROVIDER_PACKAGES["airflow.providers.cncf.kubernetes"] == "apache-airflow-providers-cncf-kubernetes"
    )
    providers = {v.split(".")[2] for t in IMPORT_RENAMES.values() for v in t.values() if ".providers." in v}
    assert providers <= {p.split(".")[2] for p in PROVIDER_PACKAGES}


def test_tables_are_consistent():
    for target in TARGETS:
        renames, removed = IMPORT_RENAMES[target], REMOVED[target]
        assert all(old != new for old, new in renames.items())
        assert not set(renames) & set(removed), "a name is both renamed and removed"
        # composed: a target of the table is never itself a key (no second hop needed)
        assert not set(renames.values()) & set(renames), f"target {target} is not fully composed"
        assert list(renames) == sorted(renames)


def test_file_says_it_is_generated():
    assert "GENERATED by scripts/gen_tables.py" in (_tables.__doc__ or "")


# Runs in each real Airflow env: import every table target whose distribution is installed there.
# "missing" (module or attribute not there) and "deprecated" (importing it warns about that very
# name) are table errors; "broken" means the module exists but its own imports fail in this env
# (a missing optional dependency such as cgroupspy), which the table cannot help.
IMPORT_CHECK = textwrap.dedent(
    """
    import importlib, json, sys, warnings
    result = {"missing": {}, "deprecated": {}, "broken": {}}

    def load(name):
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
        module, _, attr = name.rpartition(".")
        return getattr(importlib.import_module(module), attr)

    for name in json.load(sys.stdin):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                load(name)
            except (ModuleNotFoundError, AttributeError) as exc:
                missing = isinstance(exc, AttributeError) or name.startswith(exc.name or "?")
                result["missing" if missing else "broken"][name] = "%s: %s" % (type(exc).__name__, exc)
                continue
            except Exception as exc:
                result["broken"][name] = "%s: %s" % (type(exc).__name__, exc)
                continue
        for w in caught:
            if issubclass(w.category, DeprecationWarning) and name in str(w.message):
                result["deprecated"][name] = str(w.message)
    print(json.dumps(result))
    """
)


def installed_targets(target: str) -> list[str]:
    env_dir = airflow_python(TARGET_ENVS[target]).parent.parent
    site_packages = next(env_dir.glob("lib/python3*/site-packages"))
    names = set(IMPORT_RENAMES[target].values()) | set(MODULE_RENAMES[target].values())
    checked = []
    for name in sorted(names):
        parts = name.split(".")
        depth = 4 if parts[1] == "providers" and parts[2] in ("apache", "cncf", "common", "microsoft") else 3
        package_dir = site_packages.joinpath(*parts[:depth]) if parts[1] == "providers" else site_packages
        if package_dir.is_dir():
            checked.append(name)
    return checked


@pytest.mark.airflow
@pytest.mark.slow
@pytest.mark.parametrize("target", TARGETS)
def test_targets_import_in_real_airflow(target, tmp_path):
    names = installed_targets(target)
    assert len(names) > 50
    env = TARGET_ENVS[target]
    result = subprocess.run(
        [str(airflow_python(env)), "-c", IMPORT_CHECK],
        input=json.dumps(names),
        capture_output=True,
        text=True,
        timeout=600,
        env=airflow_env_vars(env, tmp_path / "airflow_home"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    errors = {**found["missing"], **found["deprecated"]}
    assert not errors, (
        f"{len(errors)} of {len(names)} targets for {target} are wrong in Airflow:\n"
        + "\n".join(f"{k}: {v}" for k, v in sorted(errors.items()))
    )
    # modules that exist but cannot be imported in the env (optional dependencies not installed,
    # e.g. hive's mysql/samba providers): not a table error, but most targets must really import
    assert len(found["broken"]) <= max(5, len(names) // 10), found["broken"]
