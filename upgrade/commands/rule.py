"""`airflow-upgrade rule CODE` (ruff's `ruff rule`): what the rule does, why, an example before
-> after and its fix safety, from the rule's own docstring (upgrade/rule_docs.py)."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

from upgrade.registry import all_rules
from upgrade.rule_docs import as_markdown, rule_doc


def add_arguments(parser):
    parser.add_argument(
        "codes", nargs="*", metavar="CODE", help="rule codes (e.g. AU110); see `airflow-upgrade rules`"
    )
    parser.add_argument("--all", action="store_true", help="every rule")
    parser.add_argument(
        "--output-format", choices=("text", "json"), default="text", help="text (markdown) or json"
    )


def run(args) -> int:
    rules = {rule.code: rule for rule in all_rules()}
    codes = list(rules) if args.all else [code.strip().upper() for code in args.codes]
    if not codes:
        print("airflow-upgrade rule: error: give a rule code (e.g. AU110) or --all", file=sys.stderr)
        return 2
    unknown = [code for code in codes if code not in rules]
    if unknown:
        print(
            f"airflow-upgrade rule: error: unknown rule code {unknown[0]!r} (see `airflow-upgrade rules`)",
            file=sys.stderr,
        )
        return 2
    docs = [rule_doc(rules[code]) for code in codes]
    if args.output_format == "json":
        print(json.dumps([asdict(doc) for doc in docs], indent=2))
    else:
        print("\n".join(as_markdown(doc) for doc in docs), end="")
    return 0
