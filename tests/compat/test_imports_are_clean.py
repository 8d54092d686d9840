"""compat/ and dags/ import on this Airflow without any deprecation warning of their own.

Runs in a fresh interpreter so that nothing is imported before the warnings are recorded: a
module-level deprecation shim (e.g. airflow.operators.bash_operator on 2.x) only warns on its
first import. Warnings raised by Airflow about its own config or by third-party packages are not
ours; a warning is ours when it points at compat/ or dags/, or at importlib (a deprecated module
imported by name, which is what compat._imports does).
"""

import ast
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROBE = r"""
import importlib, json, os, pkgutil, runpy, sys, warnings
import airflow  # Airflow's own import-time warnings (config, providers) are not under test

repo = sys.argv[1]
found = []
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import compat
    modules = sorted(m.name for m in pkgutil.iter_modules(compat.__path__, "compat."))
    for name in modules:
        importlib.import_module(name)
    from compat import pod_log_patch, slack
    slack._base_hook()
    pod_log_patch.first_importable(
        "get_kube_client",
        ["airflow.providers.cncf.kubernetes.kube_client", "airflow.kubernetes.kube_client"],
    )
    runpy.run_path(os.path.join(repo, "dags", "test_dag.py"), run_name="reference_dag")
for w in caught:
    if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)):
        continue
    filename = os.path.abspath(w.filename) if not w.filename.startswith("<") else w.filename
    ours = filename.startswith((os.path.join(repo, "compat"), os.path.join(repo, "dags")))
    via_import = "importlib" in filename
    # Airflow's own deprecation categories (RemovedInAirflow3Warning, AirflowProviderDeprecationWarning,
    # DeprecatedImportWarning) are often attributed to Airflow's frames (operator __init__ wrappers);
    # config-option moves are about airflow.cfg, not about this code.
    airflow_category = w.category.__module__.split(".")[0] == "airflow" and "option in [" not in str(w.message)
    if ours or via_import or airflow_category:
        found.append("%s:%s %s: %s" % (w.filename, w.lineno, w.category.__name__, w.message))
print(json.dumps({"modules": modules, "warnings": found}))
"""


def test_compat_and_dags_import_without_deprecation_warnings():
    result = subprocess.run(
        [sys.executable, "-c", PROBE, REPO],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO,
        # 2.x warns about the metrics timer default (a config choice, not this code's) unless set
        env=dict(os.environ, PYTHONPATH=REPO, AIRFLOW__METRICS__TIMER_UNIT_CONSISTENCY="True"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["warnings"] == []
    expected = {"compat.dag", "compat.macros", "compat.operators", "compat.pod_exec", "compat.pod_log_patch"}
    assert expected <= set(report["modules"])


def _python_files(*folders):
    for folder in folders:
        for root, _, names in os.walk(os.path.join(REPO, folder)):
            for name in sorted(names):
                if name.endswith(".py"):
                    yield os.path.join(root, name)


def test_compat_and_dags_are_python_38_code_without_libcst():
    # feature_version=(3, 8) makes the parser reject syntax newer than 3.8 (match, except*,
    # parenthesised context managers...); the af110/af20 envs also import everything on 3.8.
    files = list(_python_files("compat", "dags"))
    assert len(files) >= 8
    for path in files:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), filename=path, feature_version=(3, 8))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] == "libcst" for name in names), path
