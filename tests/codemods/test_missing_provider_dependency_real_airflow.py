"""What the provider data says a module needs (codemods/_providers.py needs_distributions, read
from the wheels by scripts/provider_reader.py) is what importing it in a real Airflow env does:
with the providers installed in the tox env pinned, every module said to need a provider the env
lacks fails to import, and the other transfers and operators modules import without missing any provider package."""

from __future__ import annotations

import subprocess

import pytest

from codemods import _providers
from tests.airflow_envs import airflow_env_vars, airflow_python
from tests.codemods.test_provider_history import _installed_providers

# Imports each module named on stdin; prints `module<TAB>ok` or `module<TAB>error text`.
_IMPORT_EACH = """
import importlib, sys, traceback
for module in sys.stdin.read().split():
    try:
        importlib.import_module(module)
        print(module, "ok", sep="\\t")
    except BaseException as error:
        name = getattr(error, "name", None) or ""
        print(module, f"{type(error).__name__} {name} {error}".replace("\\n", " "), sep="\\t")
"""


def _package(dist: str) -> str:
    return "airflow.providers." + dist.removeprefix("apache-airflow-providers-").replace("-", ".")


@pytest.mark.parametrize(("env", "key"), [("af20", "2.0"), ("af2", "2"), ("af3", "3")])
def test_modules_said_to_need_a_missing_provider_fail_without_it(env, key, tmp_path):
    installed = _installed_providers(env)
    pins = tuple((dist, version) for dist, version, *_ in installed)
    chosen = _providers.releases_for(key, pins)
    present = {dist for dist, *_ in pins}
    needing, others = {}, []
    for dist, *_ in pins:
        for name, runs in _providers._provider(dist)["names"].items():
            if runs[0][2].get("k") != "module" or not _providers.exists(name, chosen.version(dist)):
                continue
            missing = [d for d in _providers.needs_distributions(name, chosen) if d not in present]
            if missing:
                needing[name] = missing
            elif ".transfers." in name or ".operators." in name:
                others.append(name)
    # af20 and af2 hold amazon and hive, whose transfers need other providers; af3 none of them
    assert needing or env == "af3", f"no module of the providers in {env} needs a provider it lacks"
    assert others
    result = subprocess.run(
        [str(airflow_python(env)), "-c", _IMPORT_EACH],
        input="\n".join([*needing, *others]),
        env=airflow_env_vars(env, tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = dict(line.split("\t", 1) for line in result.stdout.splitlines() if "\t" in line)
    for module, missing in needing.items():
        error = outcome[module]
        # on the missing provider's package, or on a library imported before it (bson for mongo,
        # MySQLdb, which hive's mysql_to_hive re-raises as a RuntimeError)
        assert error != "ok", (module, missing)
        if error.startswith("ModuleNotFoundError airflow.providers."):
            assert any(_package(dist) in error for dist in missing), (module, missing, error)
    for module in others:
        error = outcome[module]
        assert not (
            error.startswith("ModuleNotFoundError airflow.providers.")
            or error.startswith("AirflowOptionalProviderFeatureException")
        ), (module, error)
