"""What the generated tables cannot say: why an option went away and what replaces it.

The *which* (the option lists, versions, defaults) is generated from Airflow's own files into
_airflow_deprecations.py; this module only adds the human explanation and our policy choices.
"""

from __future__ import annotations

from upgrade.config_migration import _airflow_deprecations as generated


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
