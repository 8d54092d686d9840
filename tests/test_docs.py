"""The docs' rule list and the registry stay in sync; every rule documents itself with an
example the real engine agrees with (upgrade/rule_docs.py), shown by `airflow-upgrade rule CODE`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from codemods._context import RunOptions
from codemods._targets import format_target, parse_target
from upgrade.engine import process_source
from upgrade.registry import all_rules, select_rules
from upgrade.rule_docs import rule_doc

REPO = Path(__file__).resolve().parent.parent


def test_rules_doc_and_readme_table_are_generated_from_registry():
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_docs.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_rule_is_in_readme_and_docs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    docs = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert f"| {rule.code} |" in readme, f"{rule.code} missing from README's rule table"
        assert f"## {rule.code} {rule.name}" in docs, f"{rule.code} missing from docs/rules.md"


def test_every_rule_has_summary_and_docs():
    for rule in all_rules():
        assert rule.summary and rule.name, rule
        assert rule.__doc__ or sys.modules[rule.__module__].__doc__, rule


RULES = all_rules()


def _run(rule, example, source: str, target: str, root: Path, *, fix: bool):
    """The example's DAG file (and its other files, e.g. a template) in a folder of its own."""
    for path, (before, _) in example.files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(before)
    target_version = parse_target(target)
    rules = select_rules(target_version, list(example.select) or [rule.code])
    flags = {option: True for option in example.options}
    options = RunOptions(target_version, fix=fix, unsafe_fixes=True, **flags)
    return process_source(str(root / "dag.py"), source.encode(), rules, options)


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_example_is_what_the_rule_does(rule, tmp_path: Path):
    doc = rule_doc(rule)
    example = doc.example
    assert example is not None, f"{rule.code}: its docstring has no ## Example (layout: upgrade/rule_docs.py)"
    target = example.target or format_target(rule.min_target)
    before = _run(rule, example, example.before, target, tmp_path, fix=False)
    assert before.error is None, before.error
    assert any(d.code == rule.code for d in before.diagnostics), f"{rule.code}: the example reports nothing"
    assert example.after is not None, f"{rule.code}: the example has no `Use instead:` block"
    if rule.fix:
        fixed = _run(rule, example, example.before, target, tmp_path, fix=True)
        assert fixed.error is None, fixed.error
        assert (fixed.new_source or example.before.encode()).decode() == example.after
        rewritten = {os.path.relpath(extra.path, tmp_path): extra.new.decode() for extra in fixed.extra_files}
        assert rewritten == {path: after for path, (_, after) in example.files.items() if after is not None}
    else:  # no automatic fix: the hand-written form is clean
        after = _run(rule, example, example.after, target, tmp_path, fix=False)
        assert not [d for d in after.diagnostics if d.code == rule.code], after.diagnostics


def test_rule_command_shows_every_section():
    result = subprocess.run(
        [sys.executable, "-m", "upgrade", "rule", "AU110"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in (
        "# AU110 provide-context",
        "## What it does",
        "## Example",
        "Use instead:",
        "## Fix safety",
    ):
        assert heading in out, heading
    every = subprocess.run(
        [sys.executable, "-m", "upgrade", "rule", "--all"], capture_output=True, text=True, timeout=60
    )
    assert all(f"# {rule.code} {rule.name}" in every.stdout for rule in RULES)
    unknown = subprocess.run(
        [sys.executable, "-m", "upgrade", "rule", "AU999"], capture_output=True, text=True, timeout=60
    )
    assert unknown.returncode == 2 and "AU999" in unknown.stderr
