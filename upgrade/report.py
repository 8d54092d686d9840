"""One diagnostic type, several printers: text, json, sarif, github."""

from __future__ import annotations

import json
import shlex
from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from upgrade import __version__
from upgrade.diffs import write_diff
from upgrade.runner import RunSummary

FORMATS = ("text", "json", "sarif", "github")


@dataclass(frozen=True)
class TextOptions:
    quiet: bool = False  # findings only: no summary
    verbose: bool = False  # also the findings `fix` fixed
    statistics: bool = False  # one line per code instead of the findings
    show_fixes: bool = False  # after `fix`: what was fixed, per file
    rule_names: dict = field(default_factory=dict)  # code -> name, for --statistics / --show-fixes
    # the paths the user gave: the summary is followed by the command to run next
    next_paths: tuple = ()


def _fix_marker(diagnostic, mode: str) -> str:
    if diagnostic.applied:
        return " (in the diff)" if mode == "diff" else " (fixed)"
    if diagnostic.fix == "safe":
        return " [*]"
    if diagnostic.fix == "unsafe":
        return " [*unsafe]"
    return ""


def _line(d, mode: str) -> str:
    return f"{d.path}:{d.line}:{d.col}: {d.code} {d.message}{_fix_marker(d, mode)}"


def print_text(
    summary: RunSummary, out: TextIO, err: TextIO, mode: str, options: TextOptions = TextOptions()
) -> None:
    """Like ruff: findings, then the summary, on stdout; with --diff stdout holds the patch
    alone (findings and summary go to stderr), so `fix --diff | git apply` works."""
    listing = err if mode == "diff" else out
    for outcome in summary.outcomes:
        if outcome.error:
            print(f"{outcome.path}: error: {outcome.error}", file=err)
        if outcome.diff:
            write_diff(outcome.diff, out)
    if options.statistics:
        _print_statistics(summary, listing, options)
    else:
        # one write: a cached check of many files prints little else
        listing.write(
            "".join(
                _line(d, mode) + "\n"
                for d in summary.diagnostics
                if not (d.applied and mode != "check" and not options.verbose)  # fixed: summarised
            )
        )
    if options.show_fixes and mode == "fix":
        _print_fixes(summary, listing, options)
    if not options.quiet:
        listing.flush()
        print(summary_line(summary, mode), file=listing)
        hint = next_step(summary, mode, options.next_paths)
        if hint:
            print(hint, file=listing)


def next_step(summary: RunSummary, mode: str, paths: tuple) -> str:
    """What to run next, so that a first run says how to go on (README: the first command)."""
    if not paths:
        return ""
    where = " ".join(shlex.quote(path) for path in paths)
    remaining = [d for d in summary.diagnostics if not d.applied]
    fixable = [d for d in remaining if d.fix == "safe"]
    if mode == "check" and fixable:
        return f"Next: `airflow-upgrade fix --diff {where}` shows the fixes, `airflow-upgrade fix {where}` applies them."
    if mode == "diff" and summary.changed_files:
        return f"Next: `airflow-upgrade fix {where}` writes these changes."
    unsafe = sorted({d.code for d in remaining if d.fix == "unsafe"})
    if mode == "fix" and unsafe:
        return (
            f"Next: `airflow-upgrade rule {unsafe[0]}` says what its unsafe fix changes; "
            f"`airflow-upgrade fix --unsafe-fixes --diff {where}` shows them."
        )
    if remaining:
        code = sorted(d.code for d in remaining)[0]
        return (
            f"Next: change the remaining lines by hand (`airflow-upgrade rule {code}` explains {code}), "
            f"or silence one on its line with `# noqa: {code}`."
        )
    return ""


def summary_line(summary: RunSummary, mode: str) -> str:
    remaining = [d for d in summary.diagnostics if not d.applied]
    fixed = [d for d in summary.diagnostics if d.applied]
    parts = []
    if mode == "fix":
        parts.append(f"{len(fixed)} fixed in {len(summary.changed_files)} file(s)")
        parts.append(f"{len(remaining)} remaining")
    elif mode == "diff":
        parts.append(f"{len(summary.changed_files)} file(s) would be rewritten")
        parts.append(f"{len(remaining)} finding(s) the diff leaves")
    else:
        safe = sum(1 for d in remaining if d.fix == "safe")
        unsafe = sum(1 for d in remaining if d.fix == "unsafe")
        parts.append(f"{len(remaining)} finding(s)")
        if safe or unsafe:
            parts.append(f"{safe} fixable with `fix`, {unsafe} more with `--unsafe-fixes`")
    if summary.errors:
        parts.append(f"{len(summary.errors)} file(s) could not be processed")
    parts.append(f"{summary.files_seen} file(s) checked")
    return "Found " + ", ".join(parts) + "."


def _print_statistics(summary: RunSummary, out: TextIO, options: TextOptions) -> None:
    """ruff's --statistics: count, code, fixable mark, rule name; most frequent first."""
    remaining = [d for d in summary.diagnostics if not d.applied]
    counts = Counter(d.code for d in remaining)
    fixable = {d.code: d.fix for d in remaining}
    marks = {"safe": "[*]", "unsafe": "[-]", None: "[ ]"}
    width = max((len(str(n)) for n in counts.values()), default=1)
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        name = options.rule_names.get(code, "")
        print(f"{count:>{width}}\t{code}\t{marks.get(fixable[code], '[ ]')} {name}".rstrip(), file=out)


def _print_fixes(summary: RunSummary, out: TextIO, options: TextOptions) -> None:
    """ruff's --show-fixes: per file, how many findings of each code were fixed."""
    by_file: dict[str, Counter] = {}
    for d in summary.diagnostics:
        if d.applied:
            by_file.setdefault(d.path, Counter())[d.code] += 1
    if not by_file:
        return
    total = sum(sum(c.values()) for c in by_file.values())
    print(f"\nFixed {total} finding(s):", file=out)
    for path, counts in by_file.items():
        print(f"- {path}:", file=out)
        for code, count in sorted(counts.items()):
            name = options.rule_names.get(code, "")
            print(f"    {count} × {code} ({name})" if name else f"    {count} × {code}", file=out)


def as_json(summary: RunSummary) -> dict:
    return {
        "version": __version__,
        "files": summary.files_seen,
        "diagnostics": [d.to_dict() for d in summary.diagnostics],
        "errors": [{"path": o.path, "message": o.error} for o in summary.errors],
        "changed": [o.path for o in summary.changed_files],
    }


def as_sarif(summary: RunSummary, rules) -> dict:
    level = {"safe": "warning", "unsafe": "warning", None: "error"}
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "airflow-upgrade",
                        "version": __version__,
                        "rules": [
                            {"id": r.code, "name": r.name, "shortDescription": {"text": r.summary}}
                            for r in rules
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": d.code,
                        "level": level.get(d.fix, "warning"),
                        "message": {"text": d.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": d.path},
                                    "region": {
                                        "startLine": d.line,
                                        "startColumn": d.col,
                                        "endLine": d.end_line or d.line,
                                        "endColumn": d.end_col or d.col,
                                    },
                                }
                            }
                        ],
                    }
                    for d in summary.diagnostics
                    if not d.applied
                ],
                "invocations": [
                    {
                        "executionSuccessful": not summary.errors,
                        "toolExecutionNotifications": [
                            {
                                "level": "error",
                                "message": {"text": o.error},
                                "locations": [{"physicalLocation": {"artifactLocation": {"uri": o.path}}}],
                            }
                            for o in summary.errors
                        ],
                    }
                ],
            }
        ],
    }


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    # A property value (file=, title=) ends at `,` and the properties at `::`: GitHub's
    # toolkit escapes both there, on top of what a message needs.
    return _github_escape(text).replace(":", "%3A").replace(",", "%2C")


def print_github(summary: RunSummary, out: TextIO) -> None:
    for o in summary.errors:
        print(
            f"::error file={_github_property(o.path)},title=airflow-upgrade::{_github_escape(o.error or '')}",
            file=out,
        )
    for d in summary.diagnostics:
        if d.applied:
            continue
        print(
            f"::warning file={_github_property(d.path)},line={d.line},col={d.col},endLine={d.end_line or d.line},"
            f"endColumn={d.end_col or d.col},title={_github_property(d.code)}::{_github_escape(d.message)}",
            file=out,
        )


def emit(
    summary: RunSummary,
    fmt: str,
    out: TextIO,
    err: TextIO,
    mode: str,
    rules,
    options: TextOptions = TextOptions(),
) -> None:
    if fmt == "text":
        print_text(summary, out, err, mode, options)
    elif fmt == "json":
        json.dump(as_json(summary), out, indent=2)
        out.write("\n")
    elif fmt == "sarif":
        json.dump(as_sarif(summary, rules), out, indent=2)
        out.write("\n")
    elif fmt == "github":
        print_github(summary, out)
    else:  # argparse restricts choices; kept for API callers
        raise ValueError(f"unknown output format {fmt!r}")
