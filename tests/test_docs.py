"""The docs' rule list and the registry stay in sync."""

import subprocess
import sys
from pathlib import Path

from upgrade.registry import all_rules

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
