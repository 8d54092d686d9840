"""The deprecation table, generated from Airflow's own files (drift: tests/test_generated_data.py),
holds what the migration needs."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.airflow_envs import airflow_python

REPO = Path(__file__).resolve().parents[2]


def test_table_holds_the_renames_the_1_10_migration_needs():
    from upgrade.config_migration import _airflow_deprecations as table

    assert table.DEPRECATED_OPTIONS[("logging", "base_log_folder")] == ("core", "base_log_folder", "2.0.0")
    assert table.DEPRECATED_OPTIONS[("scheduler", "parsing_processes")] == (
        "scheduler",
        "max_threads",
        "1.10.14",
    )
    assert table.DEPRECATED_SECTIONS["kubernetes_executor"][0] == "kubernetes"
    assert "rbac" in table.REMOVED_OPTIONS_2_0["webserver"]
    assert "git_repo" in table.REMOVED_OPTIONS_2_0["kubernetes"]
    assert table.CHANGED_DEFAULTS_2_0[("core", "enable_xcom_pickling")] == ("True", "False")


def test_every_airflow_3_configs_change_is_in_a_table():
    """Each of CONFIGS_CHANGES's entries (what `airflow config lint` checks) lands in one of our tables."""
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import gen_config_tables
    finally:
        sys.path.remove(str(REPO / "scripts"))
    from upgrade.config_migration import _airflow_deprecations as table

    airflow_python("af3")
    changes = gen_config_tables.read_configs_changes(
        gen_config_tables.config_command_source(gen_config_tables.default_source_3())
    )
    assert len(changes) > 150
    for change in changes:
        key = change["config"]
        if change.get("renamed_to"):
            assert key in table.CONFIG_RENAMES_3 or key in table.CONFIG_REMOVALS_3, key
        elif change["was_removed"]:
            assert key in table.CONFIG_REMOVALS_3 or key in table.CONFIG_REMOVALS_IF_EQUALS_3, key
        else:
            assert key in table.CONFIG_DEFAULT_CHANGES_3 or key in table.CONFIG_INVALID_VALUES_3, key


def test_airflow_3_tables_resolve_chains_and_conditions():
    from upgrade.config_migration import _airflow_deprecations as table

    # the wrong homes: 3.0 moved parsing_processes out of [scheduler]
    assert table.CONFIG_RENAMES_3[("scheduler", "max_threads")] == ("dag_processor", "parsing_processes")
    assert table.CONFIG_RENAMES_3[("api", "auth_backend")] == ("fab", "auth_backends")
    # chains: through CONFIGS_CHANGES and 3's deprecated_options, or into a removal
    assert table.CONFIG_RENAMES_3[("webserver", "page_size")] == ("api", "fallback_page_limit")
    assert table.CONFIG_RENAMES_3[("webserver", "access_logfile")] == ("api", "log_config")
    assert ("core", "load_default_connections") in table.CONFIG_REMOVALS_3
    # "removed only when the value is X": both old log_filename_template defaults
    old_values, _ = table.CONFIG_REMOVALS_IF_EQUALS_3[("logging", "log_filename_template")]
    assert "{{ ti.dag_id }}/{{ ti.task_id }}/{{ ts }}/{{ try_number }}.log" in old_values
    assert table.CONFIG_DEFAULT_CHANGES_3[("scheduler", "catchup_by_default")][:2] == ("True", "False")
    assert "dag_default_view" in table.REMOVED_OPTIONS_3["webserver"]
    assert "enable_xcom_pickling" not in table.OPTIONS_3["core"]
