"""Print a VerifyReport: new import errors first, then per-DAG differences, then the summary."""

from __future__ import annotations

import json
from typing import TextIO

from upgrade.verify.diff import NOTE, STRUCTURE, TEMPLATE, Difference, VerifyReport

MAX_VALUE_CHARS = 200


def print_text(report: VerifyReport, out: TextIO) -> None:
    write = out.write
    write(f"before: Airflow {report.before_version}   after: Airflow {report.after_version}\n")
    if report.new_import_errors:
        write(f"\nNew import errors ({len(report.new_import_errors)} files loaded before, fail after):\n")
        for outcome in report.new_import_errors:
            write(f"  {outcome.path}: {outcome.after}: {'; '.join(outcome.errors) or 'no message'}\n")
    if report.missing_files:
        write(f"\nFiles missing after ({len(report.missing_files)}):\n")
        for path in report.missing_files:
            write(f"  {path}\n")
    if report.failing_before:
        write(f"\nFiles that already failed before (not counted) ({len(report.failing_before)}):\n")
        for outcome in report.failing_before:
            write(f"  {outcome.path}: {'; '.join(outcome.errors)} (after: {outcome.after})\n")
    failed_files = {outcome.path for outcome in report.new_import_errors}
    for dag in report.dags:
        if dag.status == "identical" and not dag.differences:
            continue
        if dag.status == "missing" and dag.path in failed_files:
            write(f"\nDAG {dag.dag_id} ({dag.path}): missing, its file fails to load (above)\n")
            continue
        write(f"\nDAG {dag.dag_id} ({dag.path}): {dag.status}\n")
        for difference in dag.differences:
            write(f"  {describe(difference)}\n")
    write("\n" + report.summary_line())
    templated = sum(1 for dag in report.dags_before if dag.has(TEMPLATE))
    if templated:
        write(f" ({templated} with changed template values)")
    write("\n")


def describe(difference: Difference) -> str:
    where = f"task {difference.task_id}: " if difference.task_id else ""
    label = {STRUCTURE: "", TEMPLATE: "template ", NOTE: "note: "}[difference.kind]
    if difference.field in ("task_ids", "edges", "default_args_keys"):
        return f"{label}{where}{difference.field}: only before {short(difference.before)}, only after {short(difference.after)}"
    if difference.field == "task_group":  # a 1.10 subdag compared as a task group of its parent
        return f"{label}{difference.after}"
    if difference.field == "dag":
        return f"{label}not built after: {short(difference.after)}" if difference.before else "only after"
    return f"{label}{where}{difference.field}: {short(difference.before)} -> {short(difference.after)}"


def short(value) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def print_json(report: VerifyReport, out: TextIO) -> None:
    json.dump(report.to_json(), out, indent=1, sort_keys=True)
    out.write("\n")
