"""compat/ and dags/ import on this Airflow without any deprecation warning of their own.

Runs in a fresh interpreter so that nothing is imported before the warnings are recorded: a
module-level deprecation shim (e.g. airflow.operators.bash_operator on 2.x) only warns on its
first import. Warnings raised by Airflow about its own config or by third-party packages are not
ours; a warning is ours when it points at compat/ or dags/, or at importlib (a deprecated module
imported by name, which is what compat._imports does).
"""

import ast
import os

from tests.dags.fresh_interpreter import REPO, fresh_interpreter_report


def test_compat_and_dags_import_without_deprecation_warnings():
    report = fresh_interpreter_report()
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
