"""`airflow-upgrade rules`: the rule table (also the source of docs/rules.md)."""

from __future__ import annotations

import json

from upgrade.registry import all_rules
from upgrade.targets import format_target


def add_arguments(parser):
    parser.add_argument("--output-format", choices=("text", "json", "markdown"), default="text")


def rule_rows() -> list[dict]:
    return [
        {
            "code": rule.code,
            "name": rule.name,
            "since": format_target(rule.min_target),
            "fix": rule.fix or "none",
            "summary": rule.summary,
        }
        for rule in all_rules()
    ]


def markdown_table() -> str:
    lines = ["| code | name | targets | fix | what it does |", "| --- | --- | --- | --- | --- |"]
    for row in rule_rows():
        lines.append(f"| {row['code']} | {row['name']} | ≥ {row['since']} | {row['fix']} | {row['summary']} |")
    return "\n".join(lines) + "\n"


def run(args) -> int:
    if args.output_format == "json":
        print(json.dumps(rule_rows(), indent=2))
    elif args.output_format == "markdown":
        print(markdown_table(), end="")
    else:
        for row in rule_rows():
            print(f"{row['code']}  {row['name']:<32} ≥{row['since']:<5} fix={row['fix']:<7} {row['summary']}")
    return 0
