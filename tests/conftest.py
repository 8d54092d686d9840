import os

import pytest

_ENV_HELPERS = ("airflow_envs", "airflow_python", "init_airflow_db", "airflow_env_vars", "tox_workdir", "run_json")


def _uses_airflow_envs(item) -> bool:
    module = getattr(item, "module", None)
    return module is not None and any(name in vars(module) for name in _ENV_HELPERS)


def pytest_collection_modifyitems(config, items):
    # Tests that drive the tox Airflow envs are marked `airflow`, so that the tool envs on
    # other Pythons (tool39, tool313) can run only the pure codemod tests with -m "not airflow".
    for item in items:
        if _uses_airflow_envs(item):
            item.add_marker(pytest.mark.airflow)
    # Slow end-to-end tests run by default; only an explicit `scripts/test --skip-slow`
    # (AU_SKIP_SLOW=1) deselects them.
    if os.environ.get("AU_SKIP_SLOW") != "1":
        return
    kept = [item for item in items if "slow" not in item.keywords]
    deselected = [item for item in items if "slow" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
