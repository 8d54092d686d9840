"""The layout every rule follows: one module named after the rule, its tests in the test module of
the same name, and codemods/ standing on its own (the CLI in upgrade/ imports the rules, never
the other way round)."""

from __future__ import annotations

import ast

from tests.airflow_envs import REPO
from upgrade.registry import all_rules


def test_each_rule_lives_in_the_module_named_after_it_and_has_its_test_module():
    misplaced, untested = [], []
    for rule in all_rules():
        module = rule.__module__.removeprefix("codemods.")
        if module != rule.name.replace("-", "_"):
            misplaced.append(f"{rule.code} {rule.name}: codemods/{module}.py")
        if not (REPO / "tests" / "codemods" / f"test_{module}.py").exists():
            untested.append(f"{rule.code}: tests/codemods/test_{module}.py")
    assert not misplaced, misplaced
    assert not untested, untested


def test_codemods_import_nothing_from_upgrade():
    imports = []
    for path in sorted((REPO / "codemods").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_bytes())):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            imports += [
                f"{path.relative_to(REPO)}:{node.lineno} {name}"
                for name in names
                if name.split(".")[0] == "upgrade"
            ]
    assert not imports, imports
