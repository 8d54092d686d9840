"""What the generated tables cannot say: why an option went away and what replaces it.

The *which* (the option lists, versions, defaults) is generated from Airflow's own files into
_airflow_deprecations.py; this module only adds the human explanation and our policy choices.
"""

from __future__ import annotations

from codemods._generated import airflow_deprecations as generated


# Targets: the Airflow version whose config the migrated file must satisfy.
def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


TARGET_VERSIONS = {
    "2.0": (2, 0, 2),
    "2": version_tuple(generated.SOURCE_AIRFLOW_VERSION),
    "3": version_tuple(generated.SOURCE_AIRFLOW_3_VERSION),
}

# [kubernetes] options that 2.0 dropped because the worker pod is described by pod_template_file.
POD_TEMPLATE_OPTIONS = frozenset(generated.REMOVED_OPTIONS_2_0.get("kubernetes", ()))
POD_TEMPLATE_SECTIONS = frozenset(s for s in generated.REMOVED_SECTIONS_2_0 if s.startswith("kubernetes_"))

# section -> why it is gone in 2.0 (all its options go with it)
REMOVED_SECTION_REASONS = {
    "ldap": "2.0 removed the non-RBAC UI; configure LDAP with AUTH_LDAP_* in webserver_config.py",
    "mesos": "2.0 removed MesosExecutor; use LocalExecutor, CeleryExecutor or KubernetesExecutor",
}

# (section, option) -> what replaces it in 2.0
REMOVED_OPTION_REASONS = {
    ("core", "secure_mode"): "2.0 removed it (the data profiling UI it guarded is gone)",
    ("core", "store_serialized_dags"): "2.0 always serializes DAGs to the DB",
    ("scheduler", "run_duration"): "2.0 removed it; restart schedulers from your supervisor instead",
    ("scheduler", "authenticate"): "2.0 removed it (unused since 1.10)",
    ("webserver", "authenticate"): "2.0's UI is always RBAC; set AUTH_TYPE in webserver_config.py",
    ("webserver", "filter_by_owner"): "2.0 replaced it with RBAC DAG-level permissions",
    ("webserver", "owner_mode"): "2.0 replaced it with RBAC DAG-level permissions",
    ("webserver", "rbac"): "2.0's UI is always RBAC; create users with `airflow users create`",
}
POD_TEMPLATE_REASON = "2.0 reads the worker pod from pod_template_file; moved into the generated pod template"

# Defaults 2.0 changed whose old value a DAG may depend on: when the 1.10 file does not set them
# the user relied on the 1.10 default, so the migration writes that default out explicitly.
# (dagbag_import_timeout 30 -> 30.0, navbar_color and the celery examples are cosmetic.)
PINNED_OLD_DEFAULTS = {
    ("core", "enable_xcom_pickling"): "XCom values were pickled in 1.10; 2.0 switched the default to JSON",
    ("core", "dag_run_conf_overrides_params"): "2.0 lets dag_run.conf override params by default",
    ("core", "donot_pickle"): "2.0 stopped pickling DAGs by default",
}


def removed_reason(section: str, option: str) -> str | None:
    """Why `option` in `section` of a 1.10 file means nothing to 2.x, or None if it still does."""
    if section in generated.REMOVED_SECTIONS_2_0:
        if section in POD_TEMPLATE_SECTIONS:
            return POD_TEMPLATE_REASON
        return REMOVED_SECTION_REASONS.get(section, "2.0 removed this section")
    if option in generated.REMOVED_OPTIONS_2_0.get(section, ()):
        if section == "kubernetes" and option in POD_TEMPLATE_OPTIONS:
            return POD_TEMPLATE_REASON
        return REMOVED_OPTION_REASONS.get((section, option), "2.0 removed this option")
    return None


# -- which Airflow a file was written for ---------------------------------------------------------

_RENAMED_BY_2_0 = frozenset(
    old[:2] for old in generated.DEPRECATED_OPTIONS.values() if version_tuple(old[2]) < (2, 1)
) | frozenset(
    old[:2]
    for olds in generated.MANY_TO_ONE_DEPRECATED_OPTIONS.values()
    for old in olds
    if version_tuple(old[2]) < (2, 1)
)
_RENAMED_BY_3_0 = (
    frozenset(generated.CONFIG_RENAMES_3)
    | frozenset(generated.CONFIG_REMOVALS_3)
    | frozenset(old[:2] for old in generated.DEPRECATED_OPTIONS_3.values() if version_tuple(old[2]) < (3, 1))
)


def is_1_10_option(section: str | None, option: str) -> bool:
    """An option only a 1.10 file has: 2.0 renamed, moved or removed it."""
    return (
        (section, option) in _RENAMED_BY_2_0
        or section in generated.REMOVED_SECTIONS_2_0
        or option in generated.REMOVED_OPTIONS_2_0.get(section, ())
    )


def is_2_x_option(section: str | None, option: str) -> bool:
    """An option of a 2.x file that 3.0 renamed or removed."""
    return (
        (section, option) in _RENAMED_BY_3_0
        or option in generated.REMOVED_OPTIONS_3.get(section, ())
        or section in generated.REMOVED_SECTIONS_3
    )


# -- Airflow 3 ----------------------------------------------------------------------------------


def exists_on_target(section: str, option: str, target: tuple[int, ...]) -> bool:
    """Whether the target still reads `option`; a section 3 does not know (a provider's) counts as yes."""
    if target < (3,):
        return True
    known = generated.OPTIONS_3.get(section)
    return known is None or option in known


# (section, option) -> why a 1.10/2.x file that did not set it relied on its 2.x default
PINNED_2_DEFAULTS = {
    ("scheduler", "catchup_by_default"): "DAGs without catchup= caught up on missed runs",
    ("scheduler", "create_cron_data_intervals"): (
        "cron schedules ran with data intervals: execution_date/ds was the start of the interval"
    ),
    ("scheduler", "create_delta_data_intervals"): (
        "timedelta schedules ran with data intervals: execution_date/ds was the start of the interval"
    ),
}

# (old section, old option) -> factor: CONFIGS_CHANGES renames these to an option of another unit
# ([webserver] session_lifetime_days -> [fab] session_lifetime_minutes), so the value is converted.
UNIT_CHANGING_RENAMES = {("webserver", "session_lifetime_days"): 24 * 60}

CORE_AUTH_BACKEND_PACKAGE = "airflow.api.auth.backend."
AUTH_BACKENDS_3 = (
    "Airflow 3.0 removed airflow.api.auth.backend: the API server authenticates through "
    "[core] auth_manager; with the FAB auth manager, [fab] auth_backends names the provider's backends"
)

# Sections whose every option 3.0 dropped or moved: what took their place
REMOVED_IN_3_SECTION_REASONS = {
    "webserver": "Airflow 3 replaced the webserver with the API server ([api], `airflow api-server`)",
    "cli": "Airflow 3 removed the CLI's API client mode; use airflowctl",
}

# (section, option) -> what replaces it in 3, where Airflow's own suggestion says nothing
REMOVED_IN_3_REASONS = {
    ("core", "enable_xcom_pickling"): (
        "Airflow 3.0 removed XCom pickling: XCom values must be JSON-serializable (or use a custom XCom backend)"
    ),
    ("core", "donot_pickle"): "Airflow 3.0 removed DAG pickling",
    ("core", "task_runner"): "Airflow 3.0 runs tasks through the Task SDK; there is no task runner to choose",
    ("database", "load_default_connections"): (
        "Airflow 3.0 removed it; create the connections with `airflow connections create-default-connections`"
    ),
    ("scheduler", "standalone_dag_processor"): "Airflow 3.0 always runs `airflow dag-processor` on its own",
    (
        "scheduler",
        "allow_trigger_in_future",
    ): "Airflow 3.0 removed it (runs are always created at their logical date)",
}


def removed_in_3_reason(section: str, option: str, value: str) -> str | None:
    """Why Airflow 3 no longer reads `option` = `value` of `section`, or None if it does."""
    if (section, option) in generated.CONFIG_REMOVALS_IF_EQUALS_3:
        old_values, suggestion = generated.CONFIG_REMOVALS_IF_EQUALS_3[(section, option)]
        if value.strip() not in old_values:
            return None
        return (
            f"old default; Airflow 3.0 uses its own default instead{': ' + suggestion if suggestion else ''}"
        )
    if (section, option) in generated.CONFIG_REMOVALS_3:
        suggestion = generated.CONFIG_REMOVALS_3[(section, option)]
    elif option in generated.REMOVED_OPTIONS_3.get(section, ()) or section in generated.REMOVED_SECTIONS_3:
        # (an option of [webserver] that 3 neither renamed nor listed: 1.10's demo_mode)
        suggestion = ""
    else:
        return None
    reason = REMOVED_IN_3_REASONS.get((section, option)) or REMOVED_IN_3_SECTION_REASONS.get(section)
    return reason or f"Airflow 3.0 removed it{': ' + suggestion if suggestion else ''}"
