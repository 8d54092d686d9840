"""`airflow-upgrade verify`: diff the DAGs a repo builds before and after the upgrade.

    airflow-upgrade verify BEFORE.json AFTER.json
    airflow-upgrade verify --before-env PY --after-env PY DAGS_DIR [--fix --target 2]

The second form snapshots DAGS_DIR with the old Airflow and (a fixed temporary copy of) it with
the new one, then diffs. Exit 0: same DAGs; 1: differences; 2: usage error or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from codemods._targets import DEFAULT_TARGET, UnknownTarget, parse_target, target_help
from upgrade.progress import progress
from upgrade.verify.diff import TEMPLATE, compare_snapshots
from upgrade.verify.fixtures import FixtureError
from upgrade.verify.report import print_json, print_text
from upgrade.verify.snapshot import (
    SnapshotError,
    SnapshotRequest,
    read_snapshot,
    take_snapshot,
    write_snapshot,
)
from upgrade.verify.snapshot_command import add_load_arguments

SAME, DIFFERENT, USAGE_ERROR = 0, 1, 2
# `airflow-upgrade fix` exits 1 when it changed files: that is success here.
FIX_OK = (0, 1)


class VerifyError(Exception):
    pass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="BEFORE.json AFTER.json (two snapshots), or DAGS_DIR with --before-env/--after-env",
    )
    parser.add_argument("--before-env", help="python or virtualenv of the Airflow the repo runs on today")
    parser.add_argument("--after-env", help="python or virtualenv of the Airflow to upgrade to")
    parser.add_argument(
        "--before-snapshot",
        type=Path,
        metavar="FILE",
        help="instead of --before-env: a snapshot of DAGS_DIR taken earlier (e.g. to try several --target)",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="run `airflow-upgrade fix` on a temporary copy before the after-snapshot",
    )
    parser.add_argument("--target", default=DEFAULT_TARGET, help="--target for `fix`: " + target_help())
    parser.add_argument("--unsafe-fixes", action="store_true", help="pass --unsafe-fixes to `fix`")
    parser.add_argument(
        "--providers", metavar="FILE", help="pass --providers FILE to `fix` (provider releases)"
    )
    parser.add_argument(
        "--expect",
        type=lambda value: [code.strip().upper() for code in value.split(",") if code.strip()],
        default=[],
        metavar="CODES",
        help="rule codes whose changes are expected (e.g. AU201,AU202): template-value differences in "
        "the files their fixes changed do not fail the run (with two snapshots: in every file)",
    )
    parser.add_argument("--output-format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--save-snapshots", type=Path, metavar="DIR", help="also write before.json and after.json into DIR"
    )
    add_load_arguments(parser)


def run(args: argparse.Namespace) -> int:
    try:
        before, after, fixed = _snapshots(args)
    except (VerifyError, SnapshotError, FixtureError) as exc:
        print(f"airflow-upgrade verify: {exc}", file=sys.stderr)
        return USAGE_ERROR
    report = compare_snapshots(before, after)
    if args.expect:
        accept_expected(report, set(args.expect), fixed)
    if args.output_format == "json":
        print_json(report, sys.stdout)
    else:
        print_text(report, sys.stdout)
    return DIFFERENT if report.has_differences else SAME


def accept_expected(report, expected: set[str], fixed: dict[str, set[str]] | None) -> None:
    """DAGs whose only differences are template values, in a file the expected rules' fixes
    changed (`fixed`: path -> applied codes; None = not known, two snapshots), are expected."""
    for dag in report.dags:
        if dag.status != "different" or any(d.kind != TEMPLATE for d in dag.differences):
            continue
        if fixed is None or fixed.get(dag.path, set()) & expected:
            dag.status = "expected"


def _snapshots(args: argparse.Namespace) -> tuple[dict, dict, dict[str, set[str]] | None]:
    if not (args.before_env or args.after_env or args.before_snapshot):
        if len(args.inputs) != 2 or args.fix:
            raise VerifyError("give BEFORE.json AFTER.json, or DAGS_DIR with --before-env and --after-env")
        return read_snapshot(Path(args.inputs[0])), read_snapshot(Path(args.inputs[1])), None
    if args.before_env and args.before_snapshot:
        raise VerifyError("give --before-env or --before-snapshot, not both")
    if not ((args.before_env or args.before_snapshot) and args.after_env) or len(args.inputs) != 1:
        raise VerifyError("--before-env and --after-env take exactly one DAGS_DIR")
    dags_dir = Path(args.inputs[0])
    if args.fix:
        try:
            parse_target(args.target)
        except UnknownTarget as exc:
            raise VerifyError(str(exc)) from exc
    if not dags_dir.is_dir():
        raise VerifyError(f"{dags_dir}: not a directory")
    if args.before_snapshot:
        before = read_snapshot(args.before_snapshot)
    else:
        before = take_snapshot(_request(args, dags_dir, args.before_env))
    if args.fix:
        with tempfile.TemporaryDirectory(prefix="airflow-upgrade-verify-") as scratch:
            copy = Path(scratch) / dags_dir.resolve().name
            shutil.copytree(dags_dir, copy, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
            fixed = run_fix(copy, args.target, args.unsafe_fixes, args.providers)
            after = take_snapshot(_request(args, copy, args.after_env))
    else:
        fixed = None
        after = take_snapshot(_request(args, dags_dir, args.after_env))
    if args.save_snapshots:
        args.save_snapshots.mkdir(parents=True, exist_ok=True)
        write_snapshot(before, args.save_snapshots / "before.json")
        write_snapshot(after, args.save_snapshots / "after.json")
    return before, after, fixed


def _request(args: argparse.Namespace, dags_dir: Path, python: str) -> SnapshotRequest:
    return SnapshotRequest(
        dags_dir=dags_dir,
        python=python,
        timeout=args.timeout,
        jobs=args.jobs,
        variables_file=args.variables,
        pythonpath=args.pythonpath,
        progress=progress(f"load under {python}", quiet=bool(getattr(args, "quiet", False))),
    )


def run_fix(
    directory: Path, target: str, unsafe_fixes: bool, providers: str | None = None
) -> dict[str, set[str]]:
    """`airflow-upgrade fix` as a subprocess, exactly as a user would run it; the codes it
    fixed, per file (relative to `directory`)."""
    command = [sys.executable, "-m", "upgrade", "fix", "--target", target, "--no-cache", "--quiet"]
    command += ["--output-format", "json"]
    if unsafe_fixes:
        command.append("--unsafe-fixes")
    if providers:
        command += ["--providers", str(Path(providers).resolve())]
    result = subprocess.run([*command, str(directory)], capture_output=True, text=True)
    fixed: dict[str, set[str]] = {}
    try:
        for diagnostic in json.loads(result.stdout)["diagnostics"]:
            if diagnostic["applied"]:
                path = Path(diagnostic["path"]).resolve().relative_to(directory.resolve()).as_posix()
                fixed.setdefault(path, set()).add(diagnostic["code"])
    except (ValueError, KeyError, TypeError):
        pass  # no report: nothing is known to be expected
    if result.returncode not in FIX_OK:
        # exit 2: some file could not be processed; the others were fixed, so go on and let the
        # after-snapshot show that file's import error, but say why.
        print(
            f"airflow-upgrade verify: fix exited {result.returncode}:\n{result.stderr.strip()}",
            file=sys.stderr,
        )
    return fixed
