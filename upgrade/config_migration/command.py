"""`airflow-upgrade config PATH`: migrate a 1.10 airflow.cfg for Airflow 2.0, latest 2.x or 3.

Without -o/--in-place nothing is written: the changes are listed (exit 1 if any), like
`check`. Exit codes: 0 nothing to change, 1 changes made or needed, 2 the file cannot be used.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from codemods._targets import DEFAULT_TARGET, UnknownTarget, config_key, parse_target, target_help
from upgrade.config_migration import env_overrides, interpolation
from upgrade.config_migration.cfg_document import ConfigFileError, load
from upgrade.config_migration.migrate import migrate
from upgrade.config_migration.pod_template import PodTemplateError, to_yaml
from upgrade.diffs import unified_diff, write_diff
from upgrade.files import write_file, write_refused
from upgrade.redact import mask_cfg_line, mask_text

OK, CHANGED, UNUSABLE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="the 1.10 airflow.cfg")
    parser.add_argument(
        "--target",
        type=_config_target,
        default=DEFAULT_TARGET,
        help=target_help() + " (2.0 … 2.10 migrate as for 2.0: renamed options keep working until 3.0)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, help="write the migrated file here")
    where.add_argument("--in-place", action="store_true", help="rewrite PATH itself")
    parser.add_argument(
        "--pod-template",
        type=Path,
        help="where to write the KubernetesExecutor pod template (default: pod_template.yaml next to the output)",
    )
    parser.add_argument(
        "--pod-template-path",
        help="the pod_template_file value to write into the config, i.e. the path inside the scheduler "
        "container (default: the absolute path of --pod-template)",
    )
    parser.add_argument(
        "--env-file",
        type=Path,
        action="append",
        default=[],
        help="a dotenv file of AIRFLOW__SECTION__KEY overrides to check (repeatable); "
        "the process environment is always checked",
    )
    parser.add_argument("--diff", action="store_true", help="print a unified diff (passwords masked)")


def _config_target(value: str) -> str:
    """The command-wide target scheme (codemods/_targets.py), mapped onto the migrations there are."""
    try:
        return config_key(parse_target(value))
    except UnknownTarget as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def redact(line: str) -> str:
    """A line of the unified diff with secrets masked (fernet_key, git_password, URL passwords, ...)."""
    if line.startswith(("+++", "---", "@@")) or not line:
        return mask_text(line)
    return line[0] + mask_cfg_line(line[1:])


def _fail(path: Path, reason: str) -> int:
    print(f"airflow-upgrade config: {path}: {reason}", file=sys.stderr)
    return UNUSABLE


def write_atomically(path: Path, text: str, expected: str | None = None) -> None:
    """Through the one write path of DAG files too: never a half-written file, a read-only
    file refused, owner/mode/hardlinks kept, and an edit made since `expected` was read kept."""
    write_file(str(path), text.encode("utf-8"), None if expected is None else expected.encode("utf-8"))


def run(args: argparse.Namespace) -> int:
    path: Path = args.path
    try:
        document = load(path)
    except ConfigFileError as exc:
        return _fail(path, str(exc))
    original = document.render()
    output = path if args.in_place else args.output
    template_file = args.pod_template or ((output or path).resolve().parent / "pod_template.yaml")
    template_value = args.pod_template_path or str(Path(template_file).resolve())
    try:
        migration = migrate(document, args.target, template_value)
    except PodTemplateError as exc:
        return _fail(path, f"cannot build the pod template: {exc}")
    migration.changes += interpolation.keep_resolvable(document, original)
    migrated = document.render()
    migration.changes += interpolation.broken_references(original, migrated)

    names = env_overrides.names_in_environment(os.environ)
    for env_file in args.env_file:
        try:
            names += env_overrides.names_in_env_file(env_file)
        except (OSError, UnicodeDecodeError) as exc:
            return _fail(env_file, f"cannot read env file: {getattr(exc, 'strerror', None) or exc}")
    overrides = env_overrides.check_overrides(names, args.target)

    # With --diff stdout is the patch alone (`git apply`, `patch -p1`), as for `fix --diff`.
    listing = sys.stderr if args.diff else sys.stdout
    for change in migration.changes:
        print(f"{path}: {change.line()}", file=listing)
    for override in overrides:
        print(f"env override {override.line()}", file=listing)
    if args.diff and migrated != original:
        diff = unified_diff(str(path), original, migrated, str(output or path))
        write_diff("".join(redact(line) for line in diff.splitlines(keepends=True)), sys.stdout)
        sys.stdout.flush()

    if output is not None:
        refused = write_refused(str(output))
        if refused:  # before the pod template is written: nothing half done
            return _fail(output, f"cannot write: {refused}")
        try:
            if migration.pod is not None:
                write_atomically(Path(template_file), to_yaml(migration.pod, path.name))
            if migrated != original or output != path:
                write_atomically(output, migrated, original if output == path else None)
        except OSError as exc:
            return _fail(output, f"cannot write: {exc.strerror or exc}")
    changed = migrated != original or bool(overrides)
    summary = f"{len(migration.changes)} config change(s), {len(overrides)} env override(s) to rename"
    if output is None and changed:
        summary += "; nothing written (use -o OUT or --in-place)"
    elif output is not None:
        summary += f"; wrote {output}" + (f" and {template_file}" if migration.pod is not None else "")
    if not getattr(args, "quiet", False):
        print(summary, file=listing)
    return CHANGED if changed else OK
