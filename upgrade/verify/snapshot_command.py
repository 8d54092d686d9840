"""`airflow-upgrade snapshot DAGS_DIR --python PY -o snap.json`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from upgrade.progress import progress
from upgrade.verify.fixtures import FixtureError
from upgrade.verify.snapshot import SnapshotError, SnapshotRequest, take_snapshot, write_snapshot

USAGE_ERROR = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dags_dir", metavar="DAGS_DIR", type=Path, help="the DAGs folder to load")
    parser.add_argument(
        "--python",
        required=True,
        help="python executable (or virtualenv directory) of the Airflow install to load the DAGs with",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, help="where to write the snapshot JSON")
    add_load_arguments(parser)


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by `snapshot` and `verify --before-env/--after-env`."""
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one file may take to load (60)")
    parser.add_argument("-j", "--jobs", type=int, default=0, help="worker processes (default: one per CPU)")
    parser.add_argument(
        "--variables",
        type=Path,
        help="JSON/YAML file with the Variables and Connections DAG files read at parse time",
    )
    parser.add_argument(
        "--pythonpath",
        action="append",
        type=Path,
        default=[],
        help="directory to put on sys.path while loading (e.g. the repo root for shared modules); repeatable",
    )


def run(args: argparse.Namespace) -> int:
    request = SnapshotRequest(
        dags_dir=args.dags_dir,
        python=args.python,
        timeout=args.timeout,
        jobs=args.jobs,
        variables_file=args.variables,
        pythonpath=args.pythonpath,
        progress=progress("snapshot", quiet=bool(getattr(args, "quiet", False))),
    )
    try:
        snapshot = take_snapshot(request)
    except (SnapshotError, FixtureError) as exc:
        print(f"airflow-upgrade snapshot: {exc}", file=sys.stderr)
        return USAGE_ERROR
    try:
        write_snapshot(snapshot, args.output)
    except OSError as exc:
        print(f"airflow-upgrade snapshot: {args.output}: cannot write: {exc.strerror}", file=sys.stderr)
        return USAGE_ERROR
    files = snapshot["files"]
    loaded = sum(1 for record in files if record["status"] == "ok")
    dags = sum(len(record["dags"]) for record in files)
    if getattr(args, "quiet", False):
        return 0
    print(
        f"{args.output}: Airflow {snapshot['airflow_version']}: {loaded} of {len(files)} files load, "
        f"{dags} DAGs",
        file=sys.stderr,
    )
    return 0
